/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "ladder.h"
struct _GstLadderRung { GstBin parent; };
G_DEFINE_TYPE (GstLadderRung, gst_ladder_rung, GST_TYPE_BIN);
static void gst_ladder_rung_class_init (GstLadderRungClass * klass) { }
static void gst_ladder_rung_init (GstLadderRung * self) { }
