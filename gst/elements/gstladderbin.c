/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <gst/ladder/ladder.h>
#include "gstladderelements.h"
#define GST_TYPE_LADDER_BIN (gst_ladder_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderBin, gst_ladder_bin, GST, LADDER_BIN, GstBin);
struct _GstLadderBin { GstBin parent; };
G_DEFINE_TYPE (GstLadderBin, gst_ladder_bin, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE (ladder, "ladder", GST_RANK_NONE, GST_TYPE_LADDER_BIN);
static void gst_ladder_bin_class_init (GstLadderBinClass * klass) {
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "Ladder", "Generic/Bin", "placeholder", "gst-ladder");
}
static void gst_ladder_bin_init (GstLadderBin * self) { }
