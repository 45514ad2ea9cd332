/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "ladder.h"
struct _GstLadderPassthrough { GstLadderTranscoder parent; };
G_DEFINE_TYPE (GstLadderPassthrough, gst_ladder_passthrough, GST_TYPE_LADDER_TRANSCODER);
static void gst_ladder_passthrough_class_init (GstLadderPassthroughClass * klass) { }
static void gst_ladder_passthrough_init (GstLadderPassthrough * self) { }
