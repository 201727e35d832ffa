/* mend-fetchmailrc.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One user of one `poll` (or `skip`) entry of a fetchmailrc, with the
 * `defaults` entry filled in. */
typedef struct
{
  char     *label;         /* the name after poll/skip */
  gboolean  skip;          /* a `skip` entry: polled only when named */
  guint     line;
  char     *via;           /* the host to connect to, when not the label */
  char     *protocol;      /* lower case: auto, pop2, pop3, imap, apop, rpop, kpop, sdps, etrn,
                            * odmr; NULL when not set (auto) */
  guint     port;          /* 0 when not set */
  char     *service;       /* `service NAME` when not a number */
  char     *auth;          /* lower case; NULL when not set (any) */
  char     *user;          /* the remote user; NULL when implicit */
  gboolean  ssl;           /* TLS from the start */
  char     *sslproto;      /* NULL when not set; "" turns opportunistic STARTTLS off */
  gboolean  has_password;  /* `password` or `passwordfile`, never their value */
} MendFetchmailrcAccount;

void       mend_fetchmailrc_account_free (MendFetchmailrcAccount  *account);
GPtrArray *mend_fetchmailrc_parse        (const char              *data,
                                          gsize                    length,
                                          GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendFetchmailrcAccount, mend_fetchmailrc_account_free)

G_END_DECLS
