/* mend-signin-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests look at and drive, besides the page's widgets.
 */

#pragma once

#include "mend-finding.h"
#include "mend-signin-page.h"

G_BEGIN_DECLS

typedef enum
{
  MEND_SIGNIN_METHOD_WEB,
  MEND_SIGNIN_METHOD_CODE,
  MEND_SIGNIN_METHOD_BROWSER,
} MendSigninMethod;

const char  *_mend_signin_page_get_view_name     (MendSigninPage   *self);
MendFinding *_mend_signin_page_get_finding       (MendSigninPage   *self);
GtkWidget   *_mend_signin_page_get_web_view      (MendSigninPage   *self);
const char  *_mend_signin_page_get_authorize_url (MendSigninPage   *self);
const char  *_mend_signin_page_get_user_code     (MendSigninPage   *self);
void         _mend_signin_page_use_method        (MendSigninPage   *self,
                                                  MendSigninMethod  method);

G_END_DECLS
