/* placeholder: being written (see the issue tracker) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "ladder.h"
gchar *gst_ladder_rendition_to_string (const GstLadderRendition * r) { return NULL; }
GstLadderRendition *gst_ladder_rendition_from_string (const gchar * s, GError ** e) { return NULL; }
