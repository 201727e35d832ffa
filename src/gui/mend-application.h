/* mend-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MEND_TYPE_APPLICATION (mend_application_get_type ())

G_DECLARE_FINAL_TYPE (MendApplication, mend_application, MEND, APPLICATION, AdwApplication)

MendApplication *mend_application_new (void);

G_END_DECLS
