/* mend-oauth-device-code.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-oauth-settings.h"

G_BEGIN_DECLS

/**
 * MendOAuthDeviceCode:
 * @device_code: what the token endpoint is polled with; a secret, never shown or logged
 * @user_code: what the user types on the other device
 * @verification_uri: where the user types it
 * @message: (nullable): Microsoft's own instructions, in the language asked for
 * @expires_in: seconds until the codes expire
 * @interval: seconds to wait between two polls
 *
 * The answer of the device-code endpoint (RFC 8628 §3.2).
 */
typedef struct
{
  char  *device_code;
  char  *user_code;
  char  *verification_uri;
  char  *message;
  guint  expires_in;
  guint  interval;
} MendOAuthDeviceCode;

#define MEND_TYPE_OAUTH_DEVICE_CODE (mend_oauth_device_code_get_type ())

GType                mend_oauth_device_code_get_type (void) G_GNUC_CONST;
MendOAuthDeviceCode *mend_oauth_device_code_parse    (const char                *json,
                                                      MendOAuthSettings         *settings,
                                                      GError                   **error);
MendOAuthDeviceCode *mend_oauth_device_code_copy     (const MendOAuthDeviceCode *self);
void                 mend_oauth_device_code_free     (MendOAuthDeviceCode       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendOAuthDeviceCode, mend_oauth_device_code_free)

G_END_DECLS
