/* mend-microsoft.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-account.h"

G_BEGIN_DECLS

typedef enum
{
  MEND_MICROSOFT_CLOUD_NONE,
  MEND_MICROSOFT_CLOUD_GLOBAL,
  MEND_MICROSOFT_CLOUD_US_GOVERNMENT,
  MEND_MICROSOFT_CLOUD_CHINA,
} MendMicrosoftCloud;

MendMicrosoftCloud  mend_microsoft_classify_host      (const char         *host);
gboolean            mend_microsoft_is_legacy_host     (const char         *host);
gboolean            mend_microsoft_is_consumer_host   (const char         *host);
gboolean            mend_microsoft_is_consumer_address (const char        *address);
const char         *mend_microsoft_recommended_host   (MendProtocol        protocol);
const char         *mend_microsoft_cloud_to_string    (MendMicrosoftCloud  cloud);

G_END_DECLS
