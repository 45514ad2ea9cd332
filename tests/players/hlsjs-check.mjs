// Plays every level of an HLS multivariant playlist with hls.js in headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core), one level
// locked at a time, and reports what happened as JSON lines on stdout.
//
//   node hlsjs-check.mjs '<json options>'
//
// Options (all but pageUrl and masterUrl have defaults):
//   pageUrl       a page, same origin as the playlists, that has a <body> and
//                 loads hls.js (window.Hls); tests/integration/hlsplayers.py
//                 serves one at /__hlsjs__/index.html next to the playlists
//   masterUrl     the multivariant playlist
//   mode          "vod" (play each level from 0 to its end) or "live" (join
//                 each level at the live edge and play for a while)
//   rate          VOD playbackRate (default 4)
//   levelTimeoutMs  bound on one level (default 60000)
//   liveTargetDurations  how long to play each live level, in target
//                 durations (default 2)
//   totalTimeoutMs  bound on the whole run (default 300000)
//   executablePath  Chromium (default /usr/bin/chromium)
//   userDataDir   a fresh, empty profile folder (default: a temporary one)
//   args          extra Chromium arguments
//
// Output, one JSON object a line:
//   {"event":"browser", "version":..., "hlsjs":..., "levels":[...]}
//   {"event":"level", ...facts about one level...}      (one per level)
//   {"event":"done", "problems":[...]}                   (always last)
// The checks (is this level ok?) are made by the caller from the facts.
// Exit status: 0 when the run completed (whatever the levels did), 2 when the
// browser, the page or hls.js could not be brought up, 3 on the total timeout.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const opts = Object.assign({
  mode: 'vod',
  rate: 4,
  levelTimeoutMs: 60000,
  liveTargetDurations: 2,
  totalTimeoutMs: 300000,
  executablePath: '/usr/bin/chromium',
  userDataDir: null,
  args: [],
}, JSON.parse(process.argv[2] || '{}'));

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required', '--mute-audio',
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

// Runs in the page: one level, locked, from start to end (VOD) or from the
// live edge for a while (live). Returns plain facts.
async function checkLevel(o) {
  const Hls = window.Hls;
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0) / 1000;
  const ranges = (tr) => {
    const out = [];
    for (let i = 0; tr && i < tr.length; i++) out.push([+tr.start(i).toFixed(3), +tr.end(i).toFixed(3)]);
    return out;
  };
  const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? +x.toFixed(3) : (x === undefined ? null : String(x)));
  const levelUri = (l) => l.uri || (Array.isArray(l.url) ? l.url[0] : l.url);
  const short = (s) => (s === undefined || s === null ? '' : String(s).slice(0, 300));

  const r = {
    index: o.index, url: null, mode: o.mode, errors: [], fragsBuffered: [],
    otherLevelFrags: [], otherLevelLoads: [], levelLoads: 0, details: null,
    firstDetails: null, playError: null, timedOut: false, events: [],
  };
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.width = 320;
  document.body.appendChild(video);

  const hls = new Hls({
    debug: false,
    enableWorker: true,
    startLevel: o.index,
    capLevelToPlayerSize: false,
    capLevelOnFPSDrop: false,
    testBandwidth: false,
    startPosition: o.mode === 'live' ? -1 : 0,
  });
  let fatal = null;
  hls.on(Hls.Events.ERROR, (ev, d) => {
    const e = {
      t: now(), type: d.type, details: d.details, fatal: !!d.fatal,
      reason: short(d.reason), error: short(d.error && (d.error.message || d.error)),
      level: d.level ?? (d.frag ? d.frag.level : null), sn: d.frag ? d.frag.sn : null,
      url: short(d.url || (d.frag && d.frag.url) || (d.context && d.context.url)),
      code: d.response ? d.response.code : null,
      currentTime: num(video.currentTime), buffered: ranges(video.buffered),
    };
    r.errors.push(e);
    if (d.fatal && !fatal) fatal = e;
  });
  hls.on(Hls.Events.MANIFEST_PARSED, (ev, d) => {
    r.levelCount = d.levels.length;
    const l = d.levels[o.index];
    r.url = l ? levelUri(l) : null;
    hls.loadLevel = o.index; // manual level: no ABR switching
  });
  hls.on(Hls.Events.LEVEL_LOADED, (ev, d) => {
    r.levelLoads++;
    const det = d.details;
    const facts = {
      t: now(), live: !!det.live, type: det.type || null, targetduration: det.targetduration,
      fragments: det.fragments.length, startSN: det.startSN, endSN: det.endSN,
      totalduration: num(det.totalduration), edge: num(det.edge),
      start: det.fragments.length ? num(det.fragments[0].start) : null,
    };
    if (d.level !== o.index) r.otherLevelLoads.push({ level: d.level, t: now() });
    if (!r.firstDetails) r.firstDetails = facts;
    r.details = facts;
  });
  hls.on(Hls.Events.FRAG_BUFFERED, (ev, d) => {
    const f = d.frag;
    if (f.type !== 'main') return;
    if (f.level === o.index) r.fragsBuffered.push(f.sn);
    else r.otherLevelFrags.push({ level: f.level, sn: f.sn });
  });
  for (const name of ['playing', 'waiting', 'stalled', 'ended', 'error', 'seeking', 'seeked']) {
    video.addEventListener(name, () => {
      if (r.events.length < 200) r.events.push([now(), name, num(video.currentTime)]);
    });
  }

  let playingAt = null;   // seconds since t0 of the first 'playing'
  let startPos = null;    // currentTime then
  video.addEventListener('playing', () => {
    if (playingAt !== null) return;
    playingAt = now();
    startPos = video.currentTime;
    const det = hls.latestLevelDetails || (hls.levels[o.index] && hls.levels[o.index].details);
    r.start = {
      t: playingAt, currentTime: num(startPos),
      edge: det ? num(det.edge) : null,
      liveSyncPosition: num(hls.liveSyncPosition), latency: num(hls.latency),
      targetLatency: num(hls.targetLatency),
    };
  });

  hls.attachMedia(video);
  hls.loadSource(o.master);
  // play() once the element can play: called before any data is buffered, it
  // makes the element fire 'waiting', and hls.js reports that start-up wait
  // as a bufferStalledError, which is no fault of the stream
  if (o.mode !== 'live') {
    video.defaultPlaybackRate = o.rate;
    video.playbackRate = o.rate;
  }
  video.addEventListener('canplay', () => {
    if (r.playCalledAt !== undefined) return;
    r.playCalledAt = now();
    if (o.mode !== 'live') video.playbackRate = o.rate;
    video.play().catch((e) => { r.playError = short(e && e.message); });
  });

  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  let lastTime = -1;
  let lastProgress = now();
  let liveEndPos = null;
  for (;;) {
    await sleep(100);
    const t = now();
    if (video.currentTime !== lastTime) { lastTime = video.currentTime; lastProgress = t; }
    if (fatal) break;
    if (o.mode === 'live') {
      if (playingAt !== null && t - playingAt >= o.liveSeconds) { liveEndPos = video.currentTime; break; }
    } else {
      if (video.ended) break;
      const d = video.duration;
      // at the end without an 'ended' event: within 0.3 s and stuck
      if (Number.isFinite(d) && d > 0 && video.currentTime >= d - 0.3 && t - lastProgress > 1.5) break;
    }
    if (t * 1000 > o.timeoutMs) { r.timedOut = true; break; }
  }

  const q = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
  Object.assign(r, {
    elapsed: now(), playingAt, startPos: num(startPos), liveEndPos: num(liveEndPos),
    currentTime: num(video.currentTime), duration: num(video.duration),
    ended: video.ended, paused: video.paused, readyState: video.readyState,
    buffered: ranges(video.buffered), videoWidth: video.videoWidth, videoHeight: video.videoHeight,
    frames: q ? q.totalVideoFrames : null, droppedFrames: q ? q.droppedVideoFrames : null,
    mediaError: video.error ? { code: video.error.code, message: short(video.error.message) } : null,
    playbackRate: video.playbackRate, lastProgressAgo: +(now() - lastProgress).toFixed(3),
  });
  hls.destroy();
  video.removeAttribute('src');
  video.load();
  video.remove();
  return r;
}

// Runs in the page: the levels as hls.js sees them.
async function listLevels(master) {
  const Hls = window.Hls;
  return await new Promise((resolve) => {
    const hls = new Hls({ debug: false });
    const done = (v) => { hls.destroy(); resolve(v); };
    hls.on(Hls.Events.MANIFEST_PARSED, (ev, d) => done({
      levels: d.levels.map((l, i) => ({
        index: i, url: l.uri || (Array.isArray(l.url) ? l.url[0] : l.url), bitrate: l.bitrate, width: l.width, height: l.height,
        videoCodec: l.videoCodec || null, audioCodec: l.audioCodec || null,
      })),
    }));
    hls.on(Hls.Events.ERROR, (ev, d) => {
      if (d.fatal) done({ error: d.type + ': ' + d.details + ' ' + (d.reason || (d.error && d.error.message) || '') });
    });
    hls.loadSource(master);
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

async function main() {
  const problems = [];
  const consoleErrors = [];
  let context = null;
  let tmpProfile = null;
  const watchdog = setTimeout(() => {
    emit({ event: 'done', problems: [...problems, `total timeout of ${opts.totalTimeoutMs} ms reached`], consoleErrors, timedOut: true });
    process.exit(3);
  }, opts.totalTimeoutMs);

  try {
    let userDataDir = opts.userDataDir;
    if (!userDataDir) userDataDir = tmpProfile = fs.mkdtempSync(path.join(os.tmpdir(), 'hlsjs-profile-'));
    try {
      context = await withTimeout(chromium.launchPersistentContext(userDataDir, {
        executablePath: opts.executablePath,
        headless: true,
        args: [...CHROMIUM_ARGS, ...opts.args],
        viewport: { width: 640, height: 360 },
        timeout: 60000,
      }), 90000, 'launching chromium');
    } catch (e) {
      emit({ event: 'done', problems: [`cannot launch ${opts.executablePath}: ${e.message.split('\n')[0]}`], fatal: true });
      return 2;
    }
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' && consoleErrors.length < 50) consoleErrors.push(m.text().slice(0, 300)); });
    page.on('pageerror', (e) => { if (consoleErrors.length < 50) consoleErrors.push('pageerror: ' + String(e.message).slice(0, 300)); });
    const resp = await page.goto(opts.pageUrl, { timeout: 30000 });
    if (!resp || !resp.ok()) {
      emit({ event: 'done', problems: [`player page ${opts.pageUrl}: HTTP ${resp ? resp.status() : 'no response'}`], fatal: true });
      return 2;
    }
    const env = await page.evaluate(() => ({
      hlsjs: window.Hls ? window.Hls.version : null,
      supported: window.Hls ? window.Hls.isSupported() : false,
      avc: MediaSource.isTypeSupported('video/mp4; codecs="avc1.64001f"'),
      aac: MediaSource.isTypeSupported('audio/mp4; codecs="mp4a.40.2"'),
      userAgent: navigator.userAgent,
    }));
    if (!env.hlsjs || !env.supported) {
      emit({ event: 'done', problems: [`hls.js not loaded or not supported in this browser: ${JSON.stringify(env)}`], fatal: true });
      return 2;
    }
    const listed = await withTimeout(page.evaluate(listLevels, opts.masterUrl), 30000, 'loading the multivariant playlist');
    emit({ event: 'browser', version: context.browser() ? context.browser().version() : null, ...env, ...listed });
    if (listed.error) {
      emit({ event: 'done', problems: [`hls.js cannot load ${opts.masterUrl}: ${listed.error}`], consoleErrors });
      return 0;
    }

    for (const level of listed.levels) {
      let targetDuration = 2;
      let result;
      try {
        // a level's target duration, for the live play time: from its playlist
        if (opts.mode === 'live') {
          const text = await page.evaluate(async (u) => (await fetch(u, { cache: 'no-store' })).text(), new URL(level.url, opts.masterUrl).href);
          const m = /#EXT-X-TARGETDURATION:\s*([0-9.]+)/.exec(text);
          if (m) targetDuration = parseFloat(m[1]);
        }
        result = await withTimeout(page.evaluate(checkLevel, {
          master: opts.masterUrl, index: level.index, mode: opts.mode, rate: opts.rate,
          timeoutMs: opts.levelTimeoutMs, liveSeconds: opts.liveTargetDurations * targetDuration,
        }), opts.levelTimeoutMs + 15000, `level ${level.index} (${level.url})`);
        result.targetDurationFromPlaylist = targetDuration;
      } catch (e) {
        result = { index: level.index, url: level.url, hang: e.message.split('\n')[0] };
        problems.push(result.hang);
        emit({ event: 'level', ...level, ...result });
        break; // the page is in an unknown state
      }
      emit({ event: 'level', ...level, ...result, url: level.url });
    }
    emit({ event: 'done', problems, consoleErrors });
    return 0;
  } finally {
    clearTimeout(watchdog);
    if (context) await withTimeout(context.close(), 15000, 'closing chromium').catch(() => {});
    if (tmpProfile) fs.rmSync(tmpProfile, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e) => {
  emit({ event: 'done', problems: [`hlsjs-check: ${e.stack || e}`], fatal: true });
  process.exit(2);
});
