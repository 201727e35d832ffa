/* mend-probe-result.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-probe-result"

#include "config.h"

#include "mend-probe-result.h"

/* What one sign-in check found: the server, whether the sign-in (and the command after it)
 * worked, what failed as findings, and a transcript of the conversation for support staff,
 * with the sign-in redacted. */
struct _MendProbeResult
{
  GObject            parent_instance;

  MendServerAddress *server;
  gboolean           ok;
  char              *summary;
  char              *transcript;
  GPtrArray         *findings;
};

G_DEFINE_FINAL_TYPE (MendProbeResult, mend_probe_result, G_TYPE_OBJECT)

static void
mend_probe_result_dispose (GObject *object)
{
  MendProbeResult *self = (MendProbeResult *) object;

  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_probe_result_parent_class)->dispose (object);
}

static void
mend_probe_result_finalize (GObject *object)
{
  MendProbeResult *self = (MendProbeResult *) object;

  g_clear_pointer (&self->server, mend_server_address_free);
  g_free (self->summary);
  g_free (self->transcript);

  G_OBJECT_CLASS (mend_probe_result_parent_class)->finalize (object);
}

static void
mend_probe_result_class_init (MendProbeResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_probe_result_dispose;
  object_class->finalize = mend_probe_result_finalize;
}

static void
mend_probe_result_init (MendProbeResult *self)
{
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * mend_probe_result_new:
 * @server: the server checked
 * @ok: whether the sign-in and the command after it worked
 * @summary: what was checked, translated, such as “Signed in and listed the folders”
 * @transcript: the conversation, one line each, secrets redacted
 */
MendProbeResult *
mend_probe_result_new (const MendServerAddress *server,
                       gboolean                 ok,
                       const char              *summary,
                       const char              *transcript)
{
  MendProbeResult *self;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (summary != NULL, NULL);

  self = g_object_new (MEND_TYPE_PROBE_RESULT, NULL);
  self->server = mend_server_address_copy (server);
  self->ok = ok;
  self->summary = g_strdup (summary);
  self->transcript = g_strdup (transcript != NULL ? transcript : "");

  return self;
}

const MendServerAddress *
mend_probe_result_get_server (MendProbeResult *self)
{
  g_return_val_if_fail (MEND_IS_PROBE_RESULT (self), NULL);

  return self->server;
}

MendProtocol
mend_probe_result_get_protocol (MendProbeResult *self)
{
  g_return_val_if_fail (MEND_IS_PROBE_RESULT (self), MEND_PROTOCOL_IMAP);

  return mend_server_address_get_protocol (self->server);
}

gboolean
mend_probe_result_get_ok (MendProbeResult *self)
{
  g_return_val_if_fail (MEND_IS_PROBE_RESULT (self), FALSE);

  return self->ok;
}

/**
 * mend_probe_result_get_summary:
 *
 * Returns: what was checked when it worked, else the title of the first finding
 */
const char *
mend_probe_result_get_summary (MendProbeResult *self)
{
  g_return_val_if_fail (MEND_IS_PROBE_RESULT (self), NULL);

  if (!self->ok && self->findings->len > 0)
    return mend_finding_get_title (g_ptr_array_index (self->findings, 0));

  return self->summary;
}

/**
 * mend_probe_result_get_transcript:
 *
 * Returns: the conversation with the server, “C: ” for what Mailmend sent and “S: ” for what
 *   the server answered, one line each; the sign-in is redacted
 */
const char *
mend_probe_result_get_transcript (MendProbeResult *self)
{
  g_return_val_if_fail (MEND_IS_PROBE_RESULT (self), NULL);

  return self->transcript;
}

/**
 * mend_probe_result_get_findings:
 *
 * Returns: (transfer none) (element-type MendFinding): what went wrong; empty when it worked
 */
GPtrArray *
mend_probe_result_get_findings (MendProbeResult *self)
{
  g_return_val_if_fail (MEND_IS_PROBE_RESULT (self), NULL);

  return self->findings;
}

void
mend_probe_result_add_finding (MendProbeResult *self,
                               MendFinding     *finding)
{
  g_return_if_fail (MEND_IS_PROBE_RESULT (self));
  g_return_if_fail (MEND_IS_FINDING (finding));

  g_ptr_array_add (self->findings, g_object_ref (finding));
}

gboolean
mend_probe_result_has_finding (MendProbeResult *self,
                               const char      *id)
{
  g_return_val_if_fail (MEND_IS_PROBE_RESULT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < self->findings->len; i++)
    {
      if (g_str_equal (mend_finding_get_id (g_ptr_array_index (self->findings, i)), id))
        return TRUE;
    }

  return FALSE;
}

/**
 * mend_probe_result_replace_finding:
 * @id: the id of the finding to replace
 * @finding: what it means after all, once other checks are known
 */
void
mend_probe_result_replace_finding (MendProbeResult *self,
                                   const char      *id,
                                   MendFinding     *finding)
{
  g_return_if_fail (MEND_IS_PROBE_RESULT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (MEND_IS_FINDING (finding));

  for (guint i = 0; i < self->findings->len; i++)
    {
      if (g_str_equal (mend_finding_get_id (g_ptr_array_index (self->findings, i)), id))
        {
          g_object_unref (self->findings->pdata[i]);
          self->findings->pdata[i] = g_object_ref (finding);
          return;
        }
    }

  g_return_if_reached ();
}
