/* mend-finding.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-finding"

#include "config.h"

#include "mend-finding.h"

/* A diagnosed problem, or a reassuring fact, as the user sees it. The id is
 * stable: scripts and tests rely on it, translations do not change it. */
struct _MendFinding
{
  GObject       parent_instance;

  char         *id;
  MendSeverity  severity;
  char         *title;
  char         *explanation;
  char         *remedy;
  char         *link;
  char         *details;
};

G_DEFINE_FINAL_TYPE (MendFinding, mend_finding, G_TYPE_OBJECT)

static void
mend_finding_finalize (GObject *object)
{
  MendFinding *self = (MendFinding *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->explanation);
  g_free (self->remedy);
  g_free (self->link);
  g_free (self->details);

  G_OBJECT_CLASS (mend_finding_parent_class)->finalize (object);
}

static void
mend_finding_class_init (MendFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_finding_finalize;
}

static void
mend_finding_init (MendFinding *self)
{
}

/**
 * mend_finding_new:
 * @id: the stable id, such as “basic-auth”
 * @severity: how bad it is
 * @title: a short, translated title
 * @explanation: what it means, translated
 * @remedy: what to do, translated
 */
MendFinding *
mend_finding_new (const char   *id,
                  MendSeverity  severity,
                  const char   *title,
                  const char   *explanation,
                  const char   *remedy)
{
  MendFinding *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (MEND_TYPE_FINDING, NULL);
  self->id = g_strdup (id);
  self->severity = severity;
  self->title = g_strdup (title);
  self->explanation = g_strdup (explanation ? explanation : "");
  self->remedy = g_strdup (remedy ? remedy : "");

  return self;
}

const char *
mend_finding_get_id (MendFinding *self)
{
  g_return_val_if_fail (MEND_IS_FINDING (self), NULL);

  return self->id;
}

MendSeverity
mend_finding_get_severity (MendFinding *self)
{
  g_return_val_if_fail (MEND_IS_FINDING (self), MEND_SEVERITY_INFO);

  return self->severity;
}

const char *
mend_finding_get_title (MendFinding *self)
{
  g_return_val_if_fail (MEND_IS_FINDING (self), NULL);

  return self->title;
}

const char *
mend_finding_get_explanation (MendFinding *self)
{
  g_return_val_if_fail (MEND_IS_FINDING (self), NULL);

  return self->explanation;
}

const char *
mend_finding_get_remedy (MendFinding *self)
{
  g_return_val_if_fail (MEND_IS_FINDING (self), NULL);

  return self->remedy;
}

/**
 * mend_finding_get_link:
 *
 * Returns: (nullable): an address with more help
 */
const char *
mend_finding_get_link (MendFinding *self)
{
  g_return_val_if_fail (MEND_IS_FINDING (self), NULL);

  return self->link;
}

void
mend_finding_set_link (MendFinding *self,
                       const char  *link)
{
  g_return_if_fail (MEND_IS_FINDING (self));

  g_free (self->link);
  self->link = g_strdup (link);
}

/**
 * mend_finding_get_details:
 *
 * Returns: (nullable): technical details for support staff, such as a file
 *   name or a server's reply; never a secret
 */
const char *
mend_finding_get_details (MendFinding *self)
{
  g_return_val_if_fail (MEND_IS_FINDING (self), NULL);

  return self->details;
}

void
mend_finding_set_details (MendFinding *self,
                          const char  *details)
{
  g_return_if_fail (MEND_IS_FINDING (self));

  g_free (self->details);
  self->details = g_strdup (details);
}

/**
 * mend_severity_to_string:
 *
 * Returns: “info”, “warning” or “error”, as the JSON output spells them
 */
const char *
mend_severity_to_string (MendSeverity severity)
{
  switch (severity)
    {
    case MEND_SEVERITY_INFO:
      return "info";
    case MEND_SEVERITY_WARNING:
      return "warning";
    case MEND_SEVERITY_ERROR:
      return "error";
    default:
      g_return_val_if_reached ("error");
    }
}
