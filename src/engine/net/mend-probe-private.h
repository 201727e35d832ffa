/* mend-probe-private.h: what the IMAP, SMTP and POP probes share with their base class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-mail-reply.h"
#include "mend-probe.h"
#include "mend-probe-error.h"

G_BEGIN_DECLS

MendMailReplyParser *_mend_probe_get_parser        (MendProbe      *self);
gboolean             _mend_probe_is_encrypted      (MendProbe      *self);
void                 _mend_probe_send              (MendProbe      *self,
                                                    const char     *line);
void                 _mend_probe_send_sasl         (MendProbe      *self,
                                                    const char     *prefix);
gboolean             _mend_probe_sent_sasl         (MendProbe      *self);
gboolean             _mend_probe_answer_challenge  (MendProbe      *self);
void                 _mend_probe_start_tls         (MendProbe      *self);
void                 _mend_probe_succeed           (MendProbe      *self,
                                                    const char     *summary,
                                                    const char     *logout);
void                 _mend_probe_fail              (MendProbe      *self,
                                                    GError         *error,
                                                    const char     *logout);
void                 _mend_probe_fail_with_reply   (MendProbe      *self,
                                                    MendProbeError  code,
                                                    MendMailReply  *reply,
                                                    const char     *logout);

G_END_DECLS
