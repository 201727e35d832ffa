/* mend-msmtprc.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One `account` of an msmtp configuration, with its defaults and the
 * accounts it inherits from filled in. */
typedef struct
{
  char     *name;
  guint     line;
  char     *host;
  guint     port;          /* 0 when not set */
  gboolean  tls;           /* `tls on` */
  gboolean  tls_starttls;  /* TRUE unless `tls_starttls off` */
  char     *auth;          /* NULL: off; "": on (msmtp picks); else the method, lower case */
  char     *user;
  char     *from;
  gboolean  has_password;  /* `password` or `passwordeval`, never their value */
  gboolean  has_plain_password;  /* `password`, which msmtp prefers to `passwordeval` */
  gboolean  has_password_eval;   /* `passwordeval` */
  gboolean  alias;         /* `account NAME : OTHER` and nothing of its own */
} MendMsmtprcAccount;

void       mend_msmtprc_account_free (MendMsmtprcAccount  *account);
GPtrArray *mend_msmtprc_parse        (const char          *data,
                                      gsize                length,
                                      GError             **error);

char      *mend_msmtprc_set_xoauth2   (const char          *data,
                                      gsize                length,
                                      const char          *name,
                                      const char          *passwordeval,
                                      gsize               *new_length,
                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendMsmtprcAccount, mend_msmtprc_account_free)

G_END_DECLS
