/* mend-imap-probe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-imap-probe"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-imap-probe.h"
#include "mend-probe-private.h"

/* The IMAP check (microsoft.md §3): greeting, CAPABILITY, [STARTTLS, CAPABILITY],
 * AUTHENTICATE XOAUTH2 (with SASL-IR when offered, answering an error challenge with an empty
 * line), then LIST "" "": Exchange Online can accept the sign-in and then refuse every
 * command with “BAD User is authenticated but not connected.” Then LOGOUT. */
struct _MendImapProbe
{
  MendProbe  parent_instance;

  enum {
    STATE_GREETING,
    STATE_CAPABILITY,
    STATE_STARTTLS,
    STATE_AUTHENTICATE,
    STATE_LIST,
  }          state;
  guint      tag_number;
  char      *tag;
  gboolean   starttls;
  gboolean   xoauth2;
  gboolean   sasl_ir;
};

G_DEFINE_FINAL_TYPE (MendImapProbe, mend_imap_probe, MEND_TYPE_PROBE)

/* Returns the next command's tagged line; the tag is kept to match the answer. */
static char *
next_command (MendImapProbe *self,
              const char    *command)
{
  g_free (self->tag);
  self->tag = g_strdup_printf ("A%u", ++self->tag_number);

  return g_strdup_printf ("%s %s", self->tag, command);
}

static void
send_command (MendImapProbe *self,
              const char    *command)
{
  g_autofree char *line = next_command (self, command);

  _mend_probe_send (MEND_PROBE (self), line);
}

static char *
logout_line (MendImapProbe *self)
{
  return next_command (self, "LOGOUT");
}

static void
fail (MendImapProbe  *self,
      MendProbeError  code,
      MendMailReply  *reply)
{
  g_autofree char *logout = logout_line (self);

  _mend_probe_fail_with_reply (MEND_PROBE (self), code, reply, logout);
}

static void
authenticate (MendImapProbe *self)
{
  g_autofree char *prefix = NULL;

  self->state = STATE_AUTHENTICATE;

  if (self->sasl_ir)
    {
      prefix = next_command (self, "AUTHENTICATE XOAUTH2 ");
      _mend_probe_send_sasl (MEND_PROBE (self), prefix);
      return;
    }

  send_command (self, "AUTHENTICATE XOAUTH2");
}

static void
handle_capabilities (MendImapProbe *self,
                     MendMailReply *reply)
{
  if (reply->kind != MEND_MAIL_REPLY_OK)
    {
      fail (self, MEND_PROBE_ERROR_PROTOCOL, reply);
      return;
    }

  if (!_mend_probe_is_encrypted (MEND_PROBE (self)))
    {
      if (!self->starttls)
        {
          fail (self, MEND_PROBE_ERROR_NO_TLS_OFFERED, reply);
          return;
        }

      self->state = STATE_STARTTLS;
      send_command (self, "STARTTLS");
      return;
    }

  if (!self->xoauth2)
    {
      fail (self, MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED, reply);
      return;
    }

  authenticate (self);
}

static void
handle_authenticate (MendImapProbe *self,
                     MendMailReply *reply)
{
  switch (reply->kind)
    {
    case MEND_MAIL_REPLY_CONTINUE:
      if (!_mend_probe_answer_challenge (MEND_PROBE (self)))
        _mend_probe_fail_with_reply (MEND_PROBE (self), MEND_PROBE_ERROR_PROTOCOL, reply, NULL);
      return;

    case MEND_MAIL_REPLY_OK:
      self->state = STATE_LIST;
      send_command (self, "LIST \"\" \"\"");
      return;

    case MEND_MAIL_REPLY_FAILURE:
    case MEND_MAIL_REPLY_BAD:
      fail (self, mend_probe_classify_reply (reply, MEND_PROBE_ERROR_TOKEN_REJECTED), reply);
      return;

    case MEND_MAIL_REPLY_BYE:
    case MEND_MAIL_REPLY_DATA:
    default:
      g_assert_not_reached ();
    }
}

static void
mend_imap_probe_handle_reply (MendProbe     *probe,
                              MendMailReply *reply)
{
  MendImapProbe *self = MEND_IMAP_PROBE (probe);
  g_autofree char *logout = NULL;

  /* The server is leaving: what it says last is the reason. */
  if (reply->kind == MEND_MAIL_REPLY_BYE)
    {
      _mend_probe_fail_with_reply (probe,
                                   mend_probe_classify_reply (reply,
                                                              MEND_PROBE_ERROR_SERVER_UNAVAILABLE),
                                   reply, NULL);
      return;
    }

  if (self->state == STATE_GREETING)
    {
      if (reply->kind != MEND_MAIL_REPLY_OK || mend_mail_reply_is_tagged (reply))
        {
          fail (self, MEND_PROBE_ERROR_PROTOCOL, reply);
          return;
        }

      self->state = STATE_CAPABILITY;
      send_command (self, "CAPABILITY");
      return;
    }

  if (reply->kind == MEND_MAIL_REPLY_CONTINUE)
    {
      if (self->state == STATE_AUTHENTICATE)
        handle_authenticate (self, reply);
      else
        fail (self, MEND_PROBE_ERROR_PROTOCOL, reply);
      return;
    }

  if (!mend_mail_reply_is_tagged (reply))
    {
      if (mend_mail_reply_has_capability (reply, "STARTTLS", NULL))
        self->starttls = TRUE;
      if (mend_mail_reply_has_capability (reply, "AUTH", "XOAUTH2"))
        self->xoauth2 = TRUE;
      if (mend_mail_reply_has_capability (reply, "SASL-IR", NULL))
        self->sasl_ir = TRUE;
      return;
    }

  if (g_strcmp0 (reply->tag, self->tag) != 0)
    {
      fail (self, MEND_PROBE_ERROR_PROTOCOL, reply);
      return;
    }

  switch (self->state)
    {
    case STATE_CAPABILITY:
      handle_capabilities (self, reply);
      break;

    case STATE_STARTTLS:
      if (reply->kind == MEND_MAIL_REPLY_OK)
        _mend_probe_start_tls (probe);
      else
        fail (self, MEND_PROBE_ERROR_NO_TLS_OFFERED, reply);
      break;

    case STATE_AUTHENTICATE:
      handle_authenticate (self, reply);
      break;

    case STATE_LIST:
      if (reply->kind == MEND_MAIL_REPLY_OK)
        {
          logout = logout_line (self);
          _mend_probe_succeed (probe, _("Signed in and listed the folders"), logout);
        }
      else
        {
          fail (self, mend_probe_classify_reply (reply, MEND_PROBE_ERROR_PROTOCOL), reply);
        }
      break;

    case STATE_GREETING:
    default:
      g_assert_not_reached ();
    }
}

static void
mend_imap_probe_tls_started (MendProbe *probe)
{
  MendImapProbe *self = MEND_IMAP_PROBE (probe);

  /* RFC 9051 §6.2.1: forget what the server said before TLS. */
  self->starttls = FALSE;
  self->xoauth2 = FALSE;
  self->sasl_ir = FALSE;
  self->state = STATE_CAPABILITY;
  send_command (self, "CAPABILITY");
}

static void
mend_imap_probe_finalize (GObject *object)
{
  MendImapProbe *self = (MendImapProbe *) object;

  g_free (self->tag);

  G_OBJECT_CLASS (mend_imap_probe_parent_class)->finalize (object);
}

static void
mend_imap_probe_class_init (MendImapProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MendProbeClass *probe_class = MEND_PROBE_CLASS (klass);

  object_class->finalize = mend_imap_probe_finalize;

  probe_class->protocol = MEND_PROTOCOL_IMAP;
  probe_class->handle_reply = mend_imap_probe_handle_reply;
  probe_class->tls_started = mend_imap_probe_tls_started;
}

static void
mend_imap_probe_init (MendImapProbe *self)
{
  self->state = STATE_GREETING;
}
