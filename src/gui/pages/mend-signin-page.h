/* mend-signin-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_SIGNIN_PAGE (mend_signin_page_get_type ())

G_DECLARE_FINAL_TYPE (MendSigninPage, mend_signin_page, MEND, SIGNIN_PAGE, GtkWidget)

const char *mend_signin_page_get_address   (MendSigninPage     *self);
void        mend_signin_page_set_address   (MendSigninPage     *self,
                                           const char     *address);
void        mend_signin_page_set_addresses (MendSigninPage     *self,
                                            const char * const *addresses);
gboolean    mend_signin_page_get_complete  (MendSigninPage     *self);

G_END_DECLS
