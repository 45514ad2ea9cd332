#!/usr/bin/env python3
"""gst-inspect-1.0 loads every element of the plugin, and every property,
pad template and signal it shows is documented."""
import os
import re
import subprocess
import sys

ELEMENTS = sys.argv[1:] or ["ladderbroadcaster", "ladderpassthrough",
                            "ladderdecode",
                            "ladderx264", "ladder", "ladderhlssink",
                            "ladderscale"]


def inspect(*args):
    return subprocess.run(["gst-inspect-1.0", *args], capture_output=True,
                          text=True, timeout=120)


def main():
    failures = []
    # "ladder" names both the plugin and an element: ask for the plugin by
    # its file, as built here
    plugin_file = os.path.join(os.environ.get("LADDER_BUILD_ROOT", "build"),
                               "gst", "elements", "libgstladder.so")
    plugin = inspect(plugin_file)
    if plugin.returncode != 0:
        print("gst-inspect-1.0 %s failed:\n%s" % (plugin_file, plugin.stderr))
        return 1
    for name in ELEMENTS:
        if not re.search(r"^\s+%s:" % re.escape(name), plugin.stdout, re.M):
            failures.append("%s is not listed by gst-inspect-1.0 ladder" % name)
            continue
        res = inspect(name)
        if res.returncode != 0:
            failures.append("gst-inspect-1.0 %s failed: %s" % (name, res.stderr))
            continue
        out = res.stdout
        for field in ("Long-name", "Klass", "Description", "Author"):
            m = re.search(r"^\s+%s\s+(.*)$" % field, out, re.M)
            if not m or not m.group(1).strip() or "placeholder" in m.group(1):
                failures.append("%s: element metadata %s is missing" % (name, field))
        # Properties: "  name                : blurb"
        in_props = False
        seen = 0
        for line in out.splitlines():
            if line.startswith("Element Properties:"):
                in_props = True
                continue
            if in_props and line and not line.startswith(" "):
                in_props = False
            if in_props:
                m = re.match(r"^  (\S+)\s*: ?(.*)$", line)
                if m and not line.startswith("   "):
                    seen += 1
                    prop, blurb = m.group(1), m.group(2).strip()
                    if not blurb or blurb == prop or blurb.lower() == prop.replace("-", " "):
                        failures.append("%s: property %s has no description" % (name, prop))
        if seen == 0:
            failures.append("%s: no properties found in gst-inspect output" % name)
        print("ok: %s (%d properties)" % (name, seen))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
