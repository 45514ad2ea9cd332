/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "ladder.h"
struct _GstLadderX264 { GstLadderTranscoder parent; };
G_DEFINE_TYPE (GstLadderX264, gst_ladder_x264, GST_TYPE_LADDER_TRANSCODER);
static void gst_ladder_x264_class_init (GstLadderX264Class * klass) { }
static void gst_ladder_x264_init (GstLadderX264 * self) { }
