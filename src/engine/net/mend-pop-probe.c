/* mend-pop-probe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-pop-probe"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-pop-probe.h"
#include "mend-probe-private.h"

/* The POP check (microsoft.md §3): greeting, CAPA, [STLS, CAPA], AUTH XOAUTH2 then the
 * XOAUTH2 string after the server's “+” (as Microsoft documents it; an error challenge gets
 * an empty line), STAT (like IMAP's LIST: the mailbox really opens), QUIT. A server without
 * CAPA is tried anyway: STLS or AUTH then says whether it can. */
struct _MendPopProbe
{
  MendProbe  parent_instance;

  enum {
    STATE_GREETING,
    STATE_CAPA,
    STATE_STLS,
    STATE_AUTH,
    STATE_STAT,
  }          state;
};

G_DEFINE_FINAL_TYPE (MendPopProbe, mend_pop_probe, MEND_TYPE_PROBE)

static void
fail (MendPopProbe   *self,
      MendProbeError  code,
      MendMailReply  *reply)
{
  _mend_probe_fail_with_reply (MEND_PROBE (self), code, reply, "QUIT");
}

static void
send_capa (MendPopProbe *self)
{
  self->state = STATE_CAPA;
  mend_mail_reply_parser_expect_lines (_mend_probe_get_parser (MEND_PROBE (self)));
  _mend_probe_send (MEND_PROBE (self), "CAPA");
}

static void
handle_capa (MendPopProbe  *self,
             MendMailReply *reply)
{
  /* Without CAPA (an -ERR), nothing is known: try. */
  gboolean known = reply->kind == MEND_MAIL_REPLY_OK;

  if (reply->kind == MEND_MAIL_REPLY_CONTINUE)
    {
      fail (self, MEND_PROBE_ERROR_PROTOCOL, reply);
      return;
    }

  if (!_mend_probe_is_encrypted (MEND_PROBE (self)))
    {
      if (known && !mend_mail_reply_has_capability (reply, "STLS", NULL))
        {
          fail (self, MEND_PROBE_ERROR_NO_TLS_OFFERED, reply);
          return;
        }

      self->state = STATE_STLS;
      _mend_probe_send (MEND_PROBE (self), "STLS");
      return;
    }

  if (known && !mend_mail_reply_has_capability (reply, "SASL", "XOAUTH2"))
    {
      fail (self, MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED, reply);
      return;
    }

  self->state = STATE_AUTH;
  _mend_probe_send (MEND_PROBE (self), "AUTH XOAUTH2");
}

static void
handle_auth (MendPopProbe  *self,
             MendMailReply *reply)
{
  gboolean sent_sasl = _mend_probe_sent_sasl (MEND_PROBE (self));

  switch (reply->kind)
    {
    case MEND_MAIL_REPLY_CONTINUE:
      if (!_mend_probe_answer_challenge (MEND_PROBE (self)))
        fail (self, MEND_PROBE_ERROR_PROTOCOL, reply);
      return;

    case MEND_MAIL_REPLY_OK:
      if (!sent_sasl)
        {
          fail (self, MEND_PROBE_ERROR_PROTOCOL, reply);
          return;
        }
      self->state = STATE_STAT;
      _mend_probe_send (MEND_PROBE (self), "STAT");
      return;

    case MEND_MAIL_REPLY_FAILURE:
    case MEND_MAIL_REPLY_BAD:
    case MEND_MAIL_REPLY_BYE:
    case MEND_MAIL_REPLY_DATA:
    default:
      fail (self, mend_probe_classify_reply (reply, sent_sasl
                                                      ? MEND_PROBE_ERROR_TOKEN_REJECTED
                                                      : MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED),
            reply);
      return;
    }
}

static void
mend_pop_probe_handle_reply (MendProbe     *probe,
                             MendMailReply *reply)
{
  MendPopProbe *self = MEND_POP_PROBE (probe);

  switch (self->state)
    {
    case STATE_GREETING:
      if (reply->kind != MEND_MAIL_REPLY_OK)
        {
          fail (self, mend_probe_classify_reply (reply, MEND_PROBE_ERROR_SERVER_UNAVAILABLE),
                reply);
          return;
        }
      send_capa (self);
      break;

    case STATE_CAPA:
      handle_capa (self, reply);
      break;

    case STATE_STLS:
      if (reply->kind == MEND_MAIL_REPLY_OK)
        _mend_probe_start_tls (probe);
      else
        fail (self, MEND_PROBE_ERROR_NO_TLS_OFFERED, reply);
      break;

    case STATE_AUTH:
      handle_auth (self, reply);
      break;

    case STATE_STAT:
      if (reply->kind == MEND_MAIL_REPLY_OK)
        _mend_probe_succeed (probe, _("Signed in and opened the mailbox"), "QUIT");
      else
        fail (self, mend_probe_classify_reply (reply, MEND_PROBE_ERROR_PROTOCOL), reply);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
mend_pop_probe_tls_started (MendProbe *probe)
{
  /* RFC 2595 §4: capabilities may change once encrypted. */
  send_capa (MEND_POP_PROBE (probe));
}

static void
mend_pop_probe_class_init (MendPopProbeClass *klass)
{
  MendProbeClass *probe_class = MEND_PROBE_CLASS (klass);

  probe_class->protocol = MEND_PROTOCOL_POP3;
  probe_class->handle_reply = mend_pop_probe_handle_reply;
  probe_class->tls_started = mend_pop_probe_tls_started;
}

static void
mend_pop_probe_init (MendPopProbe *self)
{
  self->state = STATE_GREETING;
}
