/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "ladder.h"
struct _GstLadderRunner { GstObject parent; };
G_DEFINE_TYPE (GstLadderRunner, gst_ladder_runner, GST_TYPE_OBJECT);
static void gst_ladder_runner_class_init (GstLadderRunnerClass * klass) { }
static void gst_ladder_runner_init (GstLadderRunner * self) { }
