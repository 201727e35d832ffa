/* mend-test-mail-server.h: a private Dovecot (IMAP, POP3, submission) for the integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs tests/harness/mail-server (its path comes from MAILMEND_MAIL_SERVER, set by meson): a
 * Dovecot on 127.0.0.1, free ports, XOAUTH2 checked against the fake identity provider's
 * /introspect, a TLS certificate for localhost signed by nobody (trust it with the CA file),
 * and an SMTP sink that keeps every submitted message as SINK_DIR/N.eml. Every user who signs in
 * finds one message in INBOX. See tests/harness/README.md.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MendTestMailServer MendTestMailServer;

/* FALSE, after g_test_skip(), outside the rig or when Dovecot is not installed. */
gboolean            mend_test_mail_server_can_run          (void);

MendTestMailServer *mend_test_mail_server_start            (const char          *introspection_url,
                                                            GError             **error);
/* Stops every process and removes the folder; waits for Dovecot's master to exit. */
void                mend_test_mail_server_stop             (MendTestMailServer  *server);

/* The imap, pop3 and submission ports need STARTTLS before any AUTH; imaps, pop3s and
 * submissions speak TLS from the first byte. Strings are absolute paths. */
const char         *mend_test_mail_server_get_dir          (MendTestMailServer  *server);
const char         *mend_test_mail_server_get_ca_file      (MendTestMailServer  *server);
guint16             mend_test_mail_server_get_imap_port    (MendTestMailServer  *server);
guint16             mend_test_mail_server_get_imaps_port   (MendTestMailServer  *server);
guint16             mend_test_mail_server_get_pop3_port    (MendTestMailServer  *server);
guint16             mend_test_mail_server_get_pop3s_port   (MendTestMailServer  *server);
guint16             mend_test_mail_server_get_submission_port
                                                           (MendTestMailServer  *server);
guint16             mend_test_mail_server_get_submissions_port
                                                           (MendTestMailServer  *server);
const char         *mend_test_mail_server_get_sink_dir     (MendTestMailServer  *server);
const char         *mend_test_mail_server_get_log_file     (MendTestMailServer  *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendTestMailServer, mend_test_mail_server_stop)

G_END_DECLS
