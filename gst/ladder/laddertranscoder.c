/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "ladder.h"
G_DEFINE_ABSTRACT_TYPE (GstLadderTranscoder, gst_ladder_transcoder, GST_TYPE_BIN);
static void gst_ladder_transcoder_class_init (GstLadderTranscoderClass * klass) { }
static void gst_ladder_transcoder_init (GstLadderTranscoder * self) { }
