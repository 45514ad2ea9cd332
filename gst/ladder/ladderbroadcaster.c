/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "ladder.h"
struct _GstLadderBroadcaster { GstElement parent; };
G_DEFINE_TYPE (GstLadderBroadcaster, gst_ladder_broadcaster, GST_TYPE_ELEMENT);
static void gst_ladder_broadcaster_class_init (GstLadderBroadcasterClass * klass) { }
static void gst_ladder_broadcaster_init (GstLadderBroadcaster * self) { }
