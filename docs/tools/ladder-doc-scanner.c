/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* ladder-doc-scanner: writes the element reference of the `ladder` plugin
 * from the plugin itself, so the docs cannot disagree with gst-inspect-1.0.
 *
 *   ladder-doc-scanner OUTDIR
 *
 * writes OUTDIR/gst_plugins_cache.json (the GStreamer docs cache layout:
 * plugin -> elements -> pad templates, properties, signals) and one
 * OUTDIR/<element>.md page per element. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <string.h>

static void
json_string (GString * out, const gchar * str)
{
  const gchar *p;

  g_string_append_c (out, '"');
  for (p = str ? str : ""; *p; p++) {
    switch (*p) {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        if ((guchar) * p < 0x20)
          g_string_append_printf (out, "\\u%04x", *p);
        else
          g_string_append_c (out, *p);
    }
  }
  g_string_append_c (out, '"');
}

static gchar *
default_value_string (GParamSpec * pspec)
{
  const GValue *def = g_param_spec_get_default_value (pspec);
  GValue v = G_VALUE_INIT;
  gchar *str;

  if (G_IS_PARAM_SPEC_ENUM (pspec)) {
    GEnumValue *ev = g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class,
        g_value_get_enum (def));
    return g_strdup (ev ? ev->value_nick : "");
  }
  if (G_IS_PARAM_SPEC_FLAGS (pspec))
    return g_strdup_printf ("0x%08x", g_value_get_flags (def));
  if (G_IS_PARAM_SPEC_BOXED (pspec) || G_IS_PARAM_SPEC_OBJECT (pspec)
      || G_IS_PARAM_SPEC_POINTER (pspec))
    return g_strdup ("NULL");

  g_value_init (&v, G_TYPE_STRING);
  if (g_value_transform (def, &v))
    str = g_value_dup_string (&v);
  else
    str = g_strdup ("");
  g_value_unset (&v);
  return str ? str : g_strdup ("NULL");
}

static const gchar *
flags_string (GParamSpec * pspec)
{
  gboolean r = pspec->flags & G_PARAM_READABLE;
  gboolean w = pspec->flags & G_PARAM_WRITABLE;

  if (pspec->flags & G_PARAM_CONSTRUCT_ONLY)
    return "readable, writable, construct-only";
  if (r && w)
    return "readable, writable";
  return r ? "readable" : "writable";
}

static gchar *
range_string (GParamSpec * pspec)
{
  if (G_IS_PARAM_SPEC_UINT (pspec))
    return g_strdup_printf ("%u - %u", G_PARAM_SPEC_UINT (pspec)->minimum,
        G_PARAM_SPEC_UINT (pspec)->maximum);
  if (G_IS_PARAM_SPEC_INT (pspec))
    return g_strdup_printf ("%d - %d", G_PARAM_SPEC_INT (pspec)->minimum,
        G_PARAM_SPEC_INT (pspec)->maximum);
  if (G_IS_PARAM_SPEC_UINT64 (pspec))
    return g_strdup_printf ("%" G_GUINT64_FORMAT " - %" G_GUINT64_FORMAT,
        G_PARAM_SPEC_UINT64 (pspec)->minimum,
        G_PARAM_SPEC_UINT64 (pspec)->maximum);
  if (G_IS_PARAM_SPEC_INT64 (pspec))
    return g_strdup_printf ("%" G_GINT64_FORMAT " - %" G_GINT64_FORMAT,
        G_PARAM_SPEC_INT64 (pspec)->minimum,
        G_PARAM_SPEC_INT64 (pspec)->maximum);
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    return g_strdup_printf ("%g - %g", G_PARAM_SPEC_DOUBLE (pspec)->minimum,
        G_PARAM_SPEC_DOUBLE (pspec)->maximum);
  if (G_IS_PARAM_SPEC_ENUM (pspec)) {
    GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
    GString *s = g_string_new (NULL);
    guint i;
    for (i = 0; i < klass->n_values; i++)
      g_string_append_printf (s, "%s%s", i ? ", " : "",
          klass->values[i].value_nick);
    return g_string_free (s, FALSE);
  }
  return NULL;
}

static gint
compare_pspecs (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(GParamSpec **) a)->name, (*(GParamSpec **) b)->name);
}

static const gchar *
presence_string (GstPadPresence p)
{
  switch (p) {
    case GST_PAD_ALWAYS:
      return "always";
    case GST_PAD_SOMETIMES:
      return "sometimes";
    default:
      return "request";
  }
}

static gint
compare_templates (gconstpointer a, gconstpointer b)
{
  return strcmp (((GstStaticPadTemplate *) a)->name_template,
      ((GstStaticPadTemplate *) b)->name_template);
}

static void
describe_element (GstElementFactory * factory, GString * json,
    GString * md, gboolean first)
{
  GstElement *element = gst_element_factory_create (factory, NULL);
  GObjectClass *oclass = G_OBJECT_GET_CLASS (element);
  GType type = G_OBJECT_TYPE (element);
  GList *templates, *l;
  GParamSpec **pspecs;
  guint n, i, *ids, n_ids;
  gboolean first_item;
  const gchar *name = GST_OBJECT_NAME (factory);

  g_string_append_printf (json, "%s\n      ", first ? "" : ",");
  json_string (json, name);
  g_string_append (json, ": {\n        \"author\": ");
  json_string (json, gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_AUTHOR));
  g_string_append (json, ",\n        \"description\": ");
  json_string (json, gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_DESCRIPTION));
  g_string_append (json, ",\n        \"hierarchy\": [");
  for (i = 0; type; type = g_type_parent (type), i++) {
    g_string_append (json, i ? ", " : "");
    json_string (json, g_type_name (type));
  }
  g_string_append (json, "],\n        \"klass\": ");
  json_string (json, gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_KLASS));
  g_string_append (json, ",\n        \"long-name\": ");
  json_string (json, gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_LONGNAME));

  g_string_append_printf (md, "# %s\n\n", name);
  g_string_append (md, "<!-- generated by docs/gen-reference.sh from the "
      "built plugin: do not edit -->\n\n");
  g_string_append_printf (md, "**%s** (`%s`, klass `%s`)\n\n%s\n\n",
      gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_LONGNAME), G_OBJECT_TYPE_NAME (element),
      gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS),
      gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_DESCRIPTION));

  /* pad templates */
  g_string_append (json, ",\n        \"pad-templates\": {");
  g_string_append (md, "## Pad templates\n\n| name | direction | presence | caps |\n|---|---|---|---|\n");
  first_item = TRUE;
  /* sorted: the registry gives them in an order that depends on whether
   * the plugin was loaded or read from the cache */
  templates = g_list_sort (g_list_copy ((GList *)
          gst_element_factory_get_static_pad_templates (factory)),
      compare_templates);
  for (l = templates; l; l = l->next) {
    GstStaticPadTemplate *t = l->data;
    GstCaps *caps = gst_static_caps_get (&t->static_caps);
    gchar *caps_str = gst_caps_to_string (caps);

    g_string_append_printf (json, "%s\n          ", first_item ? "" : ",");
    json_string (json, t->name_template);
    g_string_append (json, ": {\"caps\": ");
    json_string (json, caps_str);
    g_string_append_printf (json, ", \"direction\": \"%s\", "
        "\"presence\": \"%s\"}",
        t->direction == GST_PAD_SRC ? "src" : "sink",
        presence_string (t->presence));
    g_string_append_printf (md, "| `%s` | %s | %s | `%s` |\n",
        t->name_template, t->direction == GST_PAD_SRC ? "src" : "sink",
        presence_string (t->presence), caps_str);
    first_item = FALSE;
    g_free (caps_str);
    gst_caps_unref (caps);
  }
  g_list_free (templates);
  g_string_append (json, "\n        }");

  /* properties declared by the element's own types, not GstElement's */
  pspecs = g_object_class_list_properties (oclass, &n);
  qsort (pspecs, n, sizeof (GParamSpec *), compare_pspecs);
  g_string_append (json, ",\n        \"properties\": {");
  g_string_append (md, "\n## Properties\n\n| name | type | default | range | flags | description |\n|---|---|---|---|---|---|\n");
  first_item = TRUE;
  for (i = 0; i < n; i++) {
    GParamSpec *p = pspecs[i];
    gchar *def, *range;

    if (p->owner_type == GST_TYPE_OBJECT || p->owner_type == GST_TYPE_ELEMENT
        || p->owner_type == GST_TYPE_BIN)
      continue;
    def = default_value_string (p);
    range = range_string (p);
    g_string_append_printf (json, "%s\n          ", first_item ? "" : ",");
    json_string (json, p->name);
    g_string_append (json, ": {\"blurb\": ");
    json_string (json, g_param_spec_get_blurb (p));
    g_string_append (json, ", \"default\": ");
    json_string (json, def);
    g_string_append (json, ", \"flags\": ");
    json_string (json, flags_string (p));
    if (range) {
      g_string_append (json, ", \"range\": ");
      json_string (json, range);
    }
    g_string_append (json, ", \"type\": ");
    json_string (json, g_type_name (p->value_type));
    g_string_append (json, "}");
    g_string_append_printf (md, "| `%s` | `%s` | `%s` | %s | %s | %s |\n",
        p->name, g_type_name (p->value_type), def, range ? range : "",
        flags_string (p), g_param_spec_get_blurb (p));
    first_item = FALSE;
    g_free (def);
    g_free (range);
  }
  g_string_append (json, "\n        }");
  g_free (pspecs);

  /* signals of the element's own types */
  g_string_append (json, ",\n        \"signals\": {");
  first_item = TRUE;
  for (type = G_OBJECT_TYPE (element); type != GST_TYPE_ELEMENT
      && type != GST_TYPE_BIN && type; type = g_type_parent (type)) {
    ids = g_signal_list_ids (type, &n_ids);
    for (i = 0; i < n_ids; i++) {
      GSignalQuery q;
      guint a;

      g_signal_query (ids[i], &q);
      if (first_item)
        g_string_append (md, "\n## Signals\n\n| name | returns | arguments | flags |\n|---|---|---|---|\n");
      g_string_append_printf (json, "%s\n          ", first_item ? "" : ",");
      json_string (json, q.signal_name);
      g_string_append (json, ": {\"args\": [");
      g_string_append_printf (md, "| `%s` | `%s` | ", q.signal_name,
          g_type_name (q.return_type));
      for (a = 0; a < q.n_params; a++) {
        g_string_append (json, a ? ", " : "");
        json_string (json, g_type_name (q.param_types[a]));
        g_string_append_printf (md, "%s`%s`", a ? ", " : "",
            g_type_name (q.param_types[a]));
      }
      g_string_append (json, "], \"return-type\": ");
      json_string (json, g_type_name (q.return_type));
      g_string_append_printf (json, ", \"action\": %s}",
          (q.signal_flags & G_SIGNAL_ACTION) ? "true" : "false");
      g_string_append_printf (md, " | %s |\n",
          (q.signal_flags & G_SIGNAL_ACTION) ? "action" : "");
      first_item = FALSE;
    }
    g_free (ids);
  }
  g_string_append (json, "\n        }\n      }");

  gst_object_unref (element);
}

static gint
compare_features (gconstpointer a, gconstpointer b)
{
  return strcmp (GST_OBJECT_NAME (a), GST_OBJECT_NAME (b));
}

int
main (int argc, char **argv)
{
  GstPlugin *plugin;
  GList *features, *l;
  GString *json;
  GError *err = NULL;
  gchar *path;
  gboolean first = TRUE;

  gst_init (&argc, &argv);
  if (argc != 2) {
    g_printerr ("usage: %s OUTDIR\n", argv[0]);
    return 2;
  }

  plugin = gst_registry_find_plugin (gst_registry_get (), "ladder");
  if (plugin == NULL) {
    g_printerr ("the ladder plugin is not on the plugin path\n");
    return 1;
  }

  json = g_string_new ("{\n  \"ladder\": {\n    \"description\": ");
  json_string (json, gst_plugin_get_description (plugin));
  g_string_append (json, ",\n    \"elements\": {");

  features = gst_registry_get_feature_list_by_plugin (gst_registry_get (),
      "ladder");
  features = g_list_sort (features, compare_features);
  for (l = features; l; l = l->next) {
    GString *md;

    if (!GST_IS_ELEMENT_FACTORY (l->data))
      continue;
    md = g_string_new (NULL);
    describe_element (GST_ELEMENT_FACTORY (l->data), json, md, first);
    first = FALSE;
    path = g_strdup_printf ("%s/%s.md", argv[1], GST_OBJECT_NAME (l->data));
    if (!g_file_set_contents (path, md->str, md->len, &err)) {
      g_printerr ("%s\n", err->message);
      return 1;
    }
    g_free (path);
    g_string_free (md, TRUE);
  }
  gst_plugin_feature_list_free (features);

  g_string_append (json, "\n    },\n    \"filename\": \"gstladder\",\n"
      "    \"license\": ");
  json_string (json, gst_plugin_get_license (plugin));
  g_string_append (json, ",\n    \"package\": ");
  json_string (json, gst_plugin_get_package (plugin));
  g_string_append (json, ",\n    \"source\": ");
  json_string (json, gst_plugin_get_source (plugin));
  g_string_append (json, "\n  }\n}\n");

  path = g_strdup_printf ("%s/gst_plugins_cache.json", argv[1]);
  if (!g_file_set_contents (path, json->str, json->len, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  g_free (path);
  g_string_free (json, TRUE);
  gst_object_unref (plugin);
  return 0;
}
