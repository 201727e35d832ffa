/* mend-smtp-probe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-smtp-probe"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-probe-private.h"
#include "mend-smtp-probe.h"

/* The SMTP check (microsoft.md §3): greeting, EHLO, [STARTTLS, EHLO], AUTH XOAUTH2 with the
 * initial response (answering an error challenge, 334, with an empty line), QUIT. No message
 * is sent. Exchange Online offers AUTH only after STARTTLS. */
struct _MendSmtpProbe
{
  MendProbe  parent_instance;

  enum {
    STATE_GREETING,
    STATE_EHLO,
    STATE_STARTTLS,
    STATE_AUTH,
  }          state;
};

G_DEFINE_FINAL_TYPE (MendSmtpProbe, mend_smtp_probe, MEND_TYPE_PROBE)

/* RFC 5321 §4.1.4 wants the client's name or address; the loopback literal says nothing
 * about this computer, and Microsoft accepts it. */
#define EHLO "EHLO [127.0.0.1]"

static void
fail (MendSmtpProbe  *self,
      MendProbeError  code,
      MendMailReply  *reply)
{
  _mend_probe_fail_with_reply (MEND_PROBE (self), code, reply, "QUIT");
}

static void
handle_ehlo (MendSmtpProbe *self,
             MendMailReply *reply)
{
  if (reply->kind != MEND_MAIL_REPLY_OK)
    {
      fail (self, mend_probe_classify_reply (reply, MEND_PROBE_ERROR_PROTOCOL), reply);
      return;
    }

  if (!_mend_probe_is_encrypted (MEND_PROBE (self)))
    {
      if (!mend_mail_reply_has_capability (reply, "STARTTLS", NULL))
        {
          fail (self, MEND_PROBE_ERROR_NO_TLS_OFFERED, reply);
          return;
        }

      self->state = STATE_STARTTLS;
      _mend_probe_send (MEND_PROBE (self), "STARTTLS");
      return;
    }

  if (!mend_mail_reply_has_capability (reply, "AUTH", "XOAUTH2"))
    {
      fail (self, MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED, reply);
      return;
    }

  self->state = STATE_AUTH;
  _mend_probe_send_sasl (MEND_PROBE (self), "AUTH XOAUTH2 ");
}

static void
handle_auth (MendSmtpProbe *self,
             MendMailReply *reply)
{
  switch (reply->kind)
    {
    case MEND_MAIL_REPLY_OK:
      _mend_probe_succeed (MEND_PROBE (self), _("Signed in (no message sent)"), "QUIT");
      return;

    case MEND_MAIL_REPLY_CONTINUE:
      if (!_mend_probe_answer_challenge (MEND_PROBE (self)))
        fail (self, MEND_PROBE_ERROR_PROTOCOL, reply);
      return;

    case MEND_MAIL_REPLY_FAILURE:
    case MEND_MAIL_REPLY_BAD:
    case MEND_MAIL_REPLY_BYE:
    case MEND_MAIL_REPLY_DATA:
    default:
      fail (self, mend_probe_classify_reply (reply, MEND_PROBE_ERROR_TOKEN_REJECTED), reply);
      return;
    }
}

static void
mend_smtp_probe_handle_reply (MendProbe     *probe,
                              MendMailReply *reply)
{
  MendSmtpProbe *self = MEND_SMTP_PROBE (probe);

  switch (self->state)
    {
    case STATE_GREETING:
      if (reply->kind != MEND_MAIL_REPLY_OK)
        {
          fail (self, mend_probe_classify_reply (reply, MEND_PROBE_ERROR_SERVER_UNAVAILABLE),
                reply);
          return;
        }
      self->state = STATE_EHLO;
      _mend_probe_send (probe, EHLO);
      break;

    case STATE_EHLO:
      handle_ehlo (self, reply);
      break;

    case STATE_STARTTLS:
      if (reply->code == 220)
        _mend_probe_start_tls (probe);
      else
        fail (self, MEND_PROBE_ERROR_NO_TLS_OFFERED, reply);
      break;

    case STATE_AUTH:
      handle_auth (self, reply);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
mend_smtp_probe_tls_started (MendProbe *probe)
{
  MendSmtpProbe *self = MEND_SMTP_PROBE (probe);

  /* RFC 3207 §4.2: start again, with a new EHLO. */
  self->state = STATE_EHLO;
  _mend_probe_send (probe, EHLO);
}

static void
mend_smtp_probe_class_init (MendSmtpProbeClass *klass)
{
  MendProbeClass *probe_class = MEND_PROBE_CLASS (klass);

  probe_class->protocol = MEND_PROTOCOL_SMTP;
  probe_class->handle_reply = mend_smtp_probe_handle_reply;
  probe_class->tls_started = mend_smtp_probe_tls_started;
}

static void
mend_smtp_probe_init (MendSmtpProbe *self)
{
  self->state = STATE_GREETING;
}
