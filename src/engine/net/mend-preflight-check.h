/* mend-preflight-check.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-finding.h"

G_BEGIN_DECLS

/* How a server is checked. */
typedef enum
{
  /* A web server (the sign-in page): TLS from the start, through the proxy a browser uses. */
  MEND_PREFLIGHT_MODE_HTTPS,
  /* A mail server with TLS from the start (IMAP 993, POP 995, SMTP 465): a direct connection,
   * as mail apps make. */
  MEND_PREFLIGHT_MODE_TLS,
  /* An SMTP submission server (587): greeting, EHLO, STARTTLS, then TLS; direct. */
  MEND_PREFLIGHT_MODE_SMTP_STARTTLS,
} MendPreflightMode;

typedef enum
{
  MEND_PREFLIGHT_CHECK_RUNNING,
  MEND_PREFLIGHT_CHECK_OK,
  MEND_PREFLIGHT_CHECK_FAILED,
} MendPreflightCheckState;

#define MEND_TYPE_PREFLIGHT_CHECK (mend_preflight_check_get_type ())

G_DECLARE_FINAL_TYPE (MendPreflightCheck, mend_preflight_check, MEND, PREFLIGHT_CHECK, GObject)

MendPreflightCheck      *mend_preflight_check_new            (MendPreflightMode        mode,
                                                              const char              *name,
                                                              const char              *host,
                                                              guint16                  port);
MendPreflightMode        mend_preflight_check_get_mode       (MendPreflightCheck      *self);
const char              *mend_preflight_check_get_name       (MendPreflightCheck      *self);
const char              *mend_preflight_check_get_host       (MendPreflightCheck      *self);
guint16                  mend_preflight_check_get_port       (MendPreflightCheck      *self);
MendPreflightCheckState  mend_preflight_check_get_state      (MendPreflightCheck      *self);
MendFinding             *mend_preflight_check_get_finding    (MendPreflightCheck      *self);
guint                    mend_preflight_check_get_elapsed_ms (MendPreflightCheck      *self);
void                     mend_preflight_check_set_result     (MendPreflightCheck      *self,
                                                              MendPreflightCheckState  state,
                                                              MendFinding             *finding,
                                                              guint                    elapsed_ms);

const char              *mend_preflight_mode_to_string       (MendPreflightMode        mode);

G_END_DECLS
