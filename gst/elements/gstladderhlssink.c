/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <gst/ladder/ladder.h>
#include "gstladderelements.h"
#define GST_TYPE_LADDER_HLS_SINK (gst_ladder_hls_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderHlsSink, gst_ladder_hls_sink, GST, LADDER_HLS_SINK, GstBin);
struct _GstLadderHlsSink { GstBin parent; };
G_DEFINE_TYPE (GstLadderHlsSink, gst_ladder_hls_sink, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE (ladderhlssink, "ladderhlssink", GST_RANK_NONE, GST_TYPE_LADDER_HLS_SINK);
static void gst_ladder_hls_sink_class_init (GstLadderHlsSinkClass * klass) {
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "Ladder HLS sink", "Sink/Muxer", "placeholder", "gst-ladder");
}
static void gst_ladder_hls_sink_init (GstLadderHlsSink * self) { }
