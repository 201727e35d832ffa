/* mend-mbsyncrc.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One IMAP server of an mbsync configuration: an `IMAPAccount` section, or
 * an `IMAPStore` section. */
typedef struct
{
  char     *section;       /* “IMAPAccount” or “IMAPStore” */
  char     *name;
  guint     line;
  char     *host;
  guint     port;          /* 0 when not set */
  char     *user;          /* NULL when not set */
  gboolean  user_command;  /* `UserCmd`: the user comes from a command */
  char     *auth_mechs;    /* `AuthMechs`, space-separated; NULL when not set */
  char     *tls_type;      /* `TLSType` or `SSLType` as written; NULL when not set */
  gboolean  use_imaps;     /* isync < 1.3: `UseIMAPS yes` */
  gboolean  tunnel;        /* `Tunnel`: a command instead of a host */
  char     *account;       /* IMAPStore: the IMAPAccount it uses; NULL when inline */
  gboolean  has_password;  /* `Pass` or `PassCmd`, never their value */
} MendMbsyncrcAccount;

void       mend_mbsyncrc_account_free (MendMbsyncrcAccount  *account);
GPtrArray *mend_mbsyncrc_parse        (const char           *data,
                                       gsize                 length,
                                       GError              **error);

char      *mend_mbsyncrc_set_xoauth2  (const char           *data,
                                       gsize                 length,
                                       const char           *section,
                                       const char           *name,
                                       const char           *pass_command,
                                       gsize                *new_length,
                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendMbsyncrcAccount, mend_mbsyncrc_account_free)

G_END_DECLS
