/* mend-oauth-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Microsoft's identity platform can answer, and what Mailmend's own
 * checks refuse, as findings: one GError code per finding id. The GError
 * domain is an extended one: each error carries what support staff need
 * (the OAuth error, the AADSTS code, the trace and correlation ids, the
 * description with anything token-like cut out), and
 * mend_oauth_error_get_finding() turns it back into a finding, even after
 * g_error_copy() or a trip through a GTask.
 */

#define G_LOG_DOMAIN "mend-oauth-error"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-oauth-error.h"

typedef struct
{
  char  *oauth_error;
  char  *description;
  char  *trace_id;
  char  *correlation_id;
  char  *link;
  guint  aadsts;
  guint  http_status;
} MendOAuthErrorPrivate;

static void
mend_oauth_error_private_init (MendOAuthErrorPrivate *priv)
{
  priv->oauth_error = NULL;
  priv->description = NULL;
  priv->trace_id = NULL;
  priv->correlation_id = NULL;
  priv->link = NULL;
  priv->aadsts = 0;
  priv->http_status = 0;
}

static void
mend_oauth_error_private_copy (const MendOAuthErrorPrivate *src,
                               MendOAuthErrorPrivate       *dest)
{
  dest->oauth_error = g_strdup (src->oauth_error);
  dest->description = g_strdup (src->description);
  dest->trace_id = g_strdup (src->trace_id);
  dest->correlation_id = g_strdup (src->correlation_id);
  dest->link = g_strdup (src->link);
  dest->aadsts = src->aadsts;
  dest->http_status = src->http_status;
}

static void
mend_oauth_error_private_clear (MendOAuthErrorPrivate *priv)
{
  g_clear_pointer (&priv->oauth_error, g_free);
  g_clear_pointer (&priv->description, g_free);
  g_clear_pointer (&priv->trace_id, g_free);
  g_clear_pointer (&priv->correlation_id, g_free);
  g_clear_pointer (&priv->link, g_free);
}

G_DEFINE_EXTENDED_ERROR (MendOAuthError, mend_oauth_error)

/* The findings, by error code. An explanation of NULL means the error's
 * message is the explanation (Mailmend's own checks, which name the value
 * they refused). */
static const struct {
  MendOAuthError  code;
  const char     *id;
  MendSeverity    severity;
  const char     *title;
  const char     *explanation;
  const char     *remedy;
  const char     *link;
} findings[] = {
  { MEND_OAUTH_ERROR_PROVIDER_ERROR, "provider-error", MEND_SEVERITY_ERROR,
    N_("Microsoft’s sign-in service had a problem"),
    N_("Microsoft’s sign-in service answered with an error Mailmend does not recognise, or with "
       "an answer it could not read. This is usually temporary."),
    N_("Try again in a few minutes. If it keeps happening, check Microsoft’s service status and "
       "give the details below to whoever helps you."),
    NULL },
  { MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED, "admin-consent-required", MEND_SEVERITY_ERROR,
    N_("An administrator must approve Mailmend"),
    N_("Your organization only lets its administrators allow apps to read and send mail, and "
       "Mailmend has not been approved for your organization yet."),
    N_("Ask your IT department to approve Mailmend for your organization (the link below is for "
       "them), then sign in again."),
    NULL },
  { MEND_OAUTH_ERROR_CONSENT_DECLINED, "consent-declined", MEND_SEVERITY_WARNING,
    N_("The permissions were not granted"),
    N_("The sign-in was cancelled, or the request to let Mailmend read and send your mail (IMAP "
       "and SMTP) was declined. Mail apps cannot connect without these permissions."),
    N_("Sign in again and choose Accept when Microsoft asks for the permissions. For a work or "
       "school account, an administrator may have to approve the app first."),
    NULL },
  { MEND_OAUTH_ERROR_MFA_REQUIRED, "mfa-required", MEND_SEVERITY_ERROR,
    N_("Extra verification is needed"),
    N_("Microsoft asks for a second step, such as a code from the Authenticator app or a text "
       "message, before this account can sign in. It may also ask you to set up that second "
       "step first."),
    N_("Sign in again and complete the verification in the sign-in window. If Microsoft asks you "
       "to set up security information, do that at the address below first."),
    "https://mysignins.microsoft.com/security-info" },
  { MEND_OAUTH_ERROR_CONDITIONAL_ACCESS, "conditional-access", MEND_SEVERITY_ERROR,
    N_("Your organization’s policy blocks this sign-in"),
    N_("A rule set by your organization does not allow this app or this computer to sign in, "
       "for example because it requires a device your organization manages. This cannot be "
       "fixed from this computer."),
    N_("Contact your IT department and give them the details below. They can allow the sign-in, "
       "or tell you which app to use instead."),
    NULL },
  { MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE, "wrong-account-type", MEND_SEVERITY_ERROR,
    N_("This kind of account cannot sign in here"),
    N_("The sign-in is set up for a different kind of account: a personal Microsoft account "
       "(Outlook.com, Hotmail, Live) was used where only work or school accounts are accepted, "
       "or the other way round."),
    N_("Sign in with the account of the mailbox you are repairing. If that is what you did, set "
       "the tenant back to “common” (the default); if you use your own client id, its "
       "registration must accept this kind of account."),
    NULL },
  { MEND_OAUTH_ERROR_APP_NOT_REGISTERED, "app-not-registered", MEND_SEVERITY_ERROR,
    N_("Microsoft does not accept this app registration"),
    N_("The client id Mailmend signs in with is unknown to Microsoft or to your organization, or "
       "its registration is not set up for a desktop app (it needs the “Mobile and desktop "
       "applications” platform, no client secret, and the IMAP and SMTP permissions)."),
    N_("Check the client id in Preferences or on the command line. For a work or school account, "
       "your organization may block outside apps: ask your IT department for a client id they "
       "allow."),
    NULL },
  { MEND_OAUTH_ERROR_TOKEN_EXPIRED, "token-expired", MEND_SEVERITY_ERROR,
    N_("You need to sign in again"),
    N_("The saved sign-in has expired or was revoked, for example after a password change, after "
       "a long time without use, or because of a rule of your organization."),
    N_("Sign in again with Mailmend. Mail apps that get their access from Mailmend work again "
       "right after."),
    NULL },
  { MEND_OAUTH_ERROR_PASSWORD_WRONG, "password-wrong", MEND_SEVERITY_ERROR,
    N_("The password was not accepted"),
    N_("Microsoft did not accept the password entered on its sign-in page."),
    N_("Sign in again and check the password. If you have forgotten it, reset it on Microsoft’s "
       "sign-in page, or ask your IT department for a work or school account."),
    NULL },
  { MEND_OAUTH_ERROR_ACCOUNT_LOCKED, "account-locked", MEND_SEVERITY_ERROR,
    N_("The account is locked or disabled"),
    N_("Microsoft does not let this account sign in: it was locked after too many attempts, its "
       "password has expired, or it has been disabled."),
    N_("Wait a while and try again, or change the password if Microsoft asks you to. If that does "
       "not help, contact your IT department (work or school accounts) or Microsoft support "
       "(personal accounts)."),
    NULL },
  { MEND_OAUTH_ERROR_ACCOUNT_NOT_FOUND, "account-not-found", MEND_SEVERITY_ERROR,
    N_("Microsoft does not know this account"),
    N_("No account with this address exists where Microsoft looked, or the address has a typo."),
    N_("Check the address. If Microsoft asks which kind of account it is, choose “Work or school "
       "account” for an address your organization gave you, “Personal account” otherwise."),
    NULL },
  { MEND_OAUTH_ERROR_CODE_EXPIRED, "code-expired", MEND_SEVERITY_ERROR,
    N_("The sign-in could not be completed"),
    N_("The one-time code Microsoft returned after the sign-in had expired or had already been "
       "used, so it could not be exchanged for access."),
    N_("Start the sign-in again and finish it within a few minutes."),
    NULL },
  { MEND_OAUTH_ERROR_DEVICE_CODE_EXPIRED, "device-code-expired", MEND_SEVERITY_ERROR,
    N_("The code has expired"),
    N_("The code to enter on another device is only valid for a few minutes, and that time has "
       "passed."),
    N_("Start again to get a new code, and enter it soon."),
    NULL },
  { MEND_OAUTH_ERROR_DEVICE_CODE_DECLINED, "device-code-declined", MEND_SEVERITY_WARNING,
    N_("The sign-in was declined on the other device"),
    N_("On the device where the code was entered, the sign-in or the permissions were declined."),
    N_("Start again with a new code, and accept the permissions this time."),
    NULL },
  { MEND_OAUTH_ERROR_DEVICE_CODE_INVALID, "device-code-invalid", MEND_SEVERITY_ERROR,
    N_("The code was not recognised"),
    N_("Microsoft did not recognise the code of this sign-in."),
    N_("Start again to get a new code, and type it exactly as shown."),
    NULL },
  { MEND_OAUTH_ERROR_AUTHORIZATION_PENDING, "device-code-pending", MEND_SEVERITY_INFO,
    N_("Waiting for the sign-in on the other device"),
    N_("Microsoft has not seen the sign-in with the code yet."),
    N_("Enter the code at the address shown and sign in; Mailmend notices by itself."),
    NULL },
  { MEND_OAUTH_ERROR_SLOW_DOWN, "device-code-slow-down", MEND_SEVERITY_INFO,
    N_("Waiting for the sign-in on the other device"),
    N_("Microsoft asked Mailmend to check less often for the sign-in with the code."),
    N_("Enter the code at the address shown and sign in; Mailmend notices by itself."),
    NULL },
  { MEND_OAUTH_ERROR_SIGN_IN_THROTTLED, "sign-in-throttled", MEND_SEVERITY_WARNING,
    N_("Too many sign-in attempts"),
    N_("Microsoft is limiting sign-ins for this account or organization for a while, because "
       "there were too many in a short time."),
    N_("Wait a few minutes, then try once more."),
    NULL },
  { MEND_OAUTH_ERROR_CLIENT_ID_MISSING, "client-id-missing", MEND_SEVERITY_ERROR,
    N_("No Microsoft client id is set"),
    N_("Microsoft only lets registered apps sign in, and this copy of Mailmend has no "
       "application (client) id to sign in with."),
    N_("Enter the client id of a Microsoft Entra app registration in Preferences, or give it "
       "with --client-id. Your IT department may have one; Mailmend from Flathub has one built "
       "in."),
    NULL },
  { MEND_OAUTH_ERROR_CLIENT_ID_INVALID, "client-id-invalid", MEND_SEVERITY_ERROR,
    N_("The client id is not valid"),
    NULL,
    N_("Copy the “Application (client) ID” from the app’s overview page in the Microsoft Entra "
       "admin center, or clear the setting to use the one built into Mailmend."),
    NULL },
  { MEND_OAUTH_ERROR_AUTHORITY_INVALID, "authority-invalid", MEND_SEVERITY_ERROR,
    N_("The sign-in address is not valid"),
    NULL,
    N_("Clear the setting to use https://login.microsoftonline.com, or enter the https:// address "
       "of your Microsoft cloud."),
    NULL },
  { MEND_OAUTH_ERROR_TENANT_INVALID, "tenant-invalid", MEND_SEVERITY_ERROR,
    N_("The tenant is not valid"),
    NULL,
    N_("Use “common” (the default), “consumers”, “organizations”, your organization’s tenant "
       "id or its domain name."),
    NULL },
  { MEND_OAUTH_ERROR_STATE_MISMATCH, "state-mismatch", MEND_SEVERITY_ERROR,
    N_("The sign-in answer does not match"),
    N_("The answer does not belong to the sign-in Mailmend started, so it was refused. This "
       "check stops anyone from slipping their own sign-in in."),
    N_("Start the sign-in again, and paste only the address of the sign-in you started."),
    NULL },
  { MEND_OAUTH_ERROR_REDIRECT_INVALID, "redirect-invalid", MEND_SEVERITY_ERROR,
    N_("The sign-in answer is incomplete"),
    NULL,
    N_("Start the sign-in again. If you paste the final address, copy all of it from the "
       "browser’s address bar."),
    NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (findings) == MEND_OAUTH_ERROR_REDIRECT_INVALID + 1);

/* AADSTS codes (microsoft.md §2, entra-docs reference-error-codes.md). */
static const struct {
  guint          aadsts;
  MendOAuthError code;
} aadsts_codes[] = {
  /* 65001 depends on the tenant: see classify. */
  { 65004, MEND_OAUTH_ERROR_CONSENT_DECLINED },
  { 90094, MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED },
  { 90095, MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED },
  { 50072, MEND_OAUTH_ERROR_MFA_REQUIRED },
  { 50074, MEND_OAUTH_ERROR_MFA_REQUIRED },
  { 50076, MEND_OAUTH_ERROR_MFA_REQUIRED },
  { 50079, MEND_OAUTH_ERROR_MFA_REQUIRED },
  { 53000, MEND_OAUTH_ERROR_CONDITIONAL_ACCESS },
  { 53001, MEND_OAUTH_ERROR_CONDITIONAL_ACCESS },
  { 53003, MEND_OAUTH_ERROR_CONDITIONAL_ACCESS },
  { 530035, MEND_OAUTH_ERROR_CONDITIONAL_ACCESS },
  { 50020, MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE },
  { 500208, MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE },
  { 9002331, MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE },
  { 90124, MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE },
  { 90130, MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE },
  { 9001023, MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE },
  { 700016, MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { 50011, MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { 7000218, MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { 700025, MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { 70011, MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { 650057, MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { 70000, MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { 70008, MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { 700082, MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { 700084, MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { 50173, MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { 70043, MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { 50058, MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { 50126, MEND_OAUTH_ERROR_PASSWORD_WRONG },
  { 50053, MEND_OAUTH_ERROR_ACCOUNT_LOCKED },
  { 50055, MEND_OAUTH_ERROR_ACCOUNT_LOCKED },
  { 50057, MEND_OAUTH_ERROR_ACCOUNT_LOCKED },
  { 50034, MEND_OAUTH_ERROR_ACCOUNT_NOT_FOUND },
  { 54005, MEND_OAUTH_ERROR_CODE_EXPIRED },
  { 501481, MEND_OAUTH_ERROR_CODE_EXPIRED },
  { 70016, MEND_OAUTH_ERROR_AUTHORIZATION_PENDING },
  { 70018, MEND_OAUTH_ERROR_DEVICE_CODE_INVALID },
  { 70019, MEND_OAUTH_ERROR_DEVICE_CODE_EXPIRED },
  { 50196, MEND_OAUTH_ERROR_SIGN_IN_THROTTLED },
  { 90055, MEND_OAUTH_ERROR_SIGN_IN_THROTTLED },
};

/* OAuth `error` values (RFC 6749, RFC 8628, v2-oauth2-*.md), used when no
 * AADSTS code says more. */
static const struct {
  const char     *oauth_error;
  MendOAuthError  code;
} oauth_errors[] = {
  { "access_denied", MEND_OAUTH_ERROR_CONSENT_DECLINED },
  { "invalid_client", MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { "unauthorized_client", MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { "invalid_scope", MEND_OAUTH_ERROR_APP_NOT_REGISTERED },
  { "invalid_grant", MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { "interaction_required", MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { "login_required", MEND_OAUTH_ERROR_TOKEN_EXPIRED },
  { "authorization_pending", MEND_OAUTH_ERROR_AUTHORIZATION_PENDING },
  { "slow_down", MEND_OAUTH_ERROR_SLOW_DOWN },
  { "authorization_declined", MEND_OAUTH_ERROR_DEVICE_CODE_DECLINED },
  { "expired_token", MEND_OAUTH_ERROR_DEVICE_CODE_EXPIRED },
  { "bad_verification_code", MEND_OAUTH_ERROR_DEVICE_CODE_INVALID },
  { "temporarily_unavailable", MEND_OAUTH_ERROR_SIGN_IN_THROTTLED },
  { "server_error", MEND_OAUTH_ERROR_PROVIDER_ERROR },
};

static gboolean
is_guid_at (const char *text)
{
  static const guint8 groups[] = { 8, 4, 4, 4, 12 };
  const char *p = text;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      if (g > 0 && *p++ != '-')
        return FALSE;
      for (guint i = 0; i < groups[g]; i++, p++)
        if (!g_ascii_isxdigit (*p))
          return FALSE;
    }

  return TRUE;
}

/* Finds “AADSTS<digits>” in Microsoft's description. */
static guint
aadsts_from_description (const char *description)
{
  const char *p = description;

  while (p != NULL && (p = strstr (p, "AADSTS")) != NULL)
    {
      guint64 value = 0;
      guint digits = 0;

      p += strlen ("AADSTS");
      while (g_ascii_isdigit (*p) && digits < 9)
        {
          value = value * 10 + (guint) (*p - '0');
          digits++;
          p++;
        }

      if (digits >= 4 && !g_ascii_isdigit (*p))
        return (guint) value;
    }

  return 0;
}

/* Microsoft's descriptions end with “Trace ID: <guid> Correlation ID: <guid>
 * Timestamp: …”; a redirect carries nothing else. */
static char *
guid_after_label (const char *description,
                  const char *label)
{
  const char *p;

  if (description == NULL || (p = strstr (description, label)) == NULL)
    return NULL;

  p += strlen (label);
  while (*p == ' ')
    p++;

  if (!is_guid_at (p))
    return NULL;

  return g_ascii_strdown (p, 36);
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("._~+/=!*$%-", c) != NULL;
}

/**
 * mend_oauth_redact_description:
 * @description: (nullable): an `error_description`
 *
 * Makes Microsoft's description safe to show and to keep in a report: one
 * line, without the trailing trace and correlation ids (kept apart), at most
 * 500 characters, and without anything that looks like a token, a code or a
 * verifier (a run of 32 or more token characters mixing upper case, lower
 * case and digits, GUIDs excepted), which becomes “[redacted]”.
 *
 * Returns: (transfer full) (nullable): the description, or %NULL
 */
char *
mend_oauth_redact_description (const char *description)
{
  g_autoptr(GString) out = NULL;
  const char *end;
  const char *p;

  if (description == NULL)
    return NULL;

  end = strstr (description, "Trace ID:");
  if (end == NULL)
    end = description + strlen (description);

  out = g_string_new (NULL);
  p = description;
  while (p < end)
    {
      if (is_token_char (*p))
        {
          const char *start = p;
          gboolean upper = FALSE, lower = FALSE, digit = FALSE;
          gsize len;

          while (p < end && is_token_char (*p))
            {
              upper |= g_ascii_isupper (*p);
              lower |= g_ascii_islower (*p);
              digit |= g_ascii_isdigit (*p);
              p++;
            }
          len = p - start;

          if (len >= 32 && upper && lower && digit && !(len == 36 && is_guid_at (start)))
            g_string_append (out, "[redacted]");
          else
            g_string_append_len (out, start, len);
        }
      else if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          p++;
        }
      else
        {
          g_string_append_c (out, *p++);
        }
    }

  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (out->str, out->len);

      g_string_assign (out, valid);
    }

  if (out->len > 500)
    {
      const char *cut = g_utf8_find_prev_char (out->str, out->str + 500);

      g_string_truncate (out, cut ? cut - out->str : 0);
      g_string_append (out, "…");
    }

  if (out->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mend_oauth_error_classify:
 * @oauth_error: (nullable): the OAuth `error` value
 * @aadsts: the AADSTS code, or 0
 * @description: (nullable): the `error_description`, for the AADSTS code
 *   when @aadsts is 0 and for the few errors only it tells apart
 * @tenant_type: what is known of the account
 *
 * The AADSTS code decides first (Microsoft asks to key on `error` and
 * `error_codes`, not on the text), then the OAuth `error`; anything else is
 * %MEND_OAUTH_ERROR_PROVIDER_ERROR.
 *
 * Returns: the error code
 */
MendOAuthError
mend_oauth_error_classify (const char     *oauth_error,
                           guint           aadsts,
                           const char     *description,
                           MendTenantType  tenant_type)
{
  if (aadsts == 0)
    aadsts = aadsts_from_description (description);

  /* The device-code poll's answers (RFC 8628 §3.5) say what they are by name alone: Microsoft
   * sends slow_down with AADSTS70016 (“pending”) and authorization_declined with AADSTS70000
   * (“invalid grant”), which would otherwise read as the wrong finding. */
  if (g_strcmp0 (oauth_error, "slow_down") == 0)
    return MEND_OAUTH_ERROR_SLOW_DOWN;
  if (g_strcmp0 (oauth_error, "authorization_declined") == 0)
    return MEND_OAUTH_ERROR_DEVICE_CODE_DECLINED;
  if (g_strcmp0 (oauth_error, "expired_token") == 0)
    return MEND_OAUTH_ERROR_DEVICE_CODE_EXPIRED;

  /* “The client does not exist or is not enabled for consumers”: the app's
   * registration leaves out personal accounts, whatever the code. */
  if (g_strcmp0 (oauth_error, "unauthorized_client") == 0 &&
      description != NULL &&
      strstr (description, "not enabled for consumers") != NULL)
    return MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE;

  /* Consent missing: at work an administrator may have to give it. */
  if (aadsts == 65001)
    return tenant_type == MEND_TENANT_TYPE_ORGANIZATION ? MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED
                                                        : MEND_OAUTH_ERROR_CONSENT_DECLINED;

  for (guint i = 0; aadsts != 0 && i < G_N_ELEMENTS (aadsts_codes); i++)
    if (aadsts_codes[i].aadsts == aadsts)
      return aadsts_codes[i].code;

  if (g_strcmp0 (oauth_error, "consent_required") == 0)
    return tenant_type == MEND_TENANT_TYPE_ORGANIZATION ? MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED
                                                        : MEND_OAUTH_ERROR_CONSENT_DECLINED;

  for (guint i = 0; oauth_error != NULL && i < G_N_ELEMENTS (oauth_errors); i++)
    if (g_str_equal (oauth_errors[i].oauth_error, oauth_error))
      return oauth_errors[i].code;

  return MEND_OAUTH_ERROR_PROVIDER_ERROR;
}

static char *
message_for (MendOAuthError code,
             guint          aadsts)
{
  const char *title = _(findings[code].title);

  if (aadsts != 0)
    /* Translators: %s is a finding's title, such as “You need to sign in
     * again”; the rest is Microsoft's error number, such as AADSTS70000. */
    return g_strdup_printf (_("%s (AADSTS%u)"), title, aadsts);

  return g_strdup (title);
}

/**
 * mend_oauth_error_new_from_info:
 * @info: what Microsoft said
 *
 * Returns: (transfer full): a %MEND_OAUTH_ERROR error whose message is the
 *   finding's title, carrying the details for mend_oauth_error_get_finding()
 */
GError *
mend_oauth_error_new_from_info (const MendOAuthErrorInfo *info)
{
  MendOAuthErrorPrivate *priv;
  g_autofree char *message = NULL;
  MendOAuthError code;
  GError *error;
  guint aadsts;

  g_return_val_if_fail (info != NULL, NULL);

  aadsts = info->aadsts ? info->aadsts : aadsts_from_description (info->error_description);
  code = mend_oauth_error_classify (info->error, aadsts, info->error_description,
                                    info->tenant_type);

  if (code == MEND_OAUTH_ERROR_PROVIDER_ERROR && info->http_status == 429)
    code = MEND_OAUTH_ERROR_SIGN_IN_THROTTLED;

  message = message_for (code, aadsts);
  error = g_error_new_literal (MEND_OAUTH_ERROR, code, message);

  priv = mend_oauth_error_get_private (error);
  priv->oauth_error = g_strdup (info->error);
  priv->description = mend_oauth_redact_description (info->error_description);
  priv->trace_id = info->trace_id ? g_strdup (info->trace_id)
                                  : guid_after_label (info->error_description, "Trace ID:");
  priv->correlation_id = info->correlation_id ? g_strdup (info->correlation_id)
                                              : guid_after_label (info->error_description,
                                                                  "Correlation ID:");
  priv->aadsts = aadsts;
  priv->http_status = info->http_status;
  if (code == MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED)
    priv->link = g_strdup (info->admin_consent_url);

  g_debug ("OAuth error %s, AADSTS%u, HTTP %u → %s",
           info->error ? info->error : "(none)", aadsts, info->http_status,
           findings[code].id);

  return error;
}

static const char *
get_json_string (JsonObject *object,
                 const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * mend_oauth_error_new_from_json:
 * @object: an error answer of the token or device-code endpoint
 * @http_status: its HTTP status, or 0
 * @tenant_type: what is known of the account
 * @admin_consent_url: (nullable): where an administrator approves the app
 *
 * Reads `error`, `error_description`, `error_codes`, `trace_id` and
 * `correlation_id`.
 *
 * Returns: (transfer full): the error
 */
GError *
mend_oauth_error_new_from_json (JsonObject     *object,
                                guint           http_status,
                                MendTenantType  tenant_type,
                                const char     *admin_consent_url)
{
  MendOAuthErrorInfo info = { 0, };
  JsonNode *codes;

  g_return_val_if_fail (object != NULL, NULL);

  info.error = get_json_string (object, "error");
  info.error_description = get_json_string (object, "error_description");
  info.trace_id = get_json_string (object, "trace_id");
  info.correlation_id = get_json_string (object, "correlation_id");
  info.http_status = http_status;
  info.tenant_type = tenant_type;
  info.admin_consent_url = admin_consent_url;

  codes = json_object_get_member (object, "error_codes");
  if (codes != NULL && JSON_NODE_HOLDS_ARRAY (codes))
    {
      JsonArray *array = json_node_get_array (codes);

      if (json_array_get_length (array) > 0)
        {
          JsonNode *first = json_array_get_element (array, 0);

          if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_INT64)
            {
              gint64 value = json_node_get_int (first);

              if (value > 0 && value <= G_MAXUINT)
                info.aadsts = (guint) value;
            }
        }
    }

  /* A trace or correlation id is a GUID; anything else is not kept. */
  if (info.trace_id != NULL && (strlen (info.trace_id) != 36 || !is_guid_at (info.trace_id)))
    info.trace_id = NULL;
  if (info.correlation_id != NULL &&
      (strlen (info.correlation_id) != 36 || !is_guid_at (info.correlation_id)))
    info.correlation_id = NULL;

  return mend_oauth_error_new_from_info (&info);
}

/**
 * mend_oauth_error_new_malformed:
 * @http_status: the HTTP status of the answer, or 0
 *
 * For an answer that is not the JSON it should be (an HTML error page from a
 * proxy, a cut-off body, a 5xx).
 *
 * Returns: (transfer full): a %MEND_OAUTH_ERROR_PROVIDER_ERROR error, or
 *   %MEND_OAUTH_ERROR_SIGN_IN_THROTTLED for a 429
 */
GError *
mend_oauth_error_new_malformed (guint http_status)
{
  MendOAuthErrorPrivate *priv;
  MendOAuthError code;
  GError *error;

  code = http_status == 429 ? MEND_OAUTH_ERROR_SIGN_IN_THROTTLED : MEND_OAUTH_ERROR_PROVIDER_ERROR;
  error = g_error_new_literal (MEND_OAUTH_ERROR, code, _(findings[code].title));
  priv = mend_oauth_error_get_private (error);
  priv->http_status = http_status;
  priv->description = g_strdup ("The answer is not the JSON object the OAuth 2.0 protocol expects.");

  return error;
}

/**
 * mend_oauth_error_get_finding_id:
 * @code: a #MendOAuthError
 *
 * Returns: the stable finding id, such as “token-expired”
 */
const char *
mend_oauth_error_get_finding_id (MendOAuthError code)
{
  g_return_val_if_fail ((guint) code < G_N_ELEMENTS (findings), "provider-error");

  return findings[code].id;
}

static void
append_detail (GString    *details,
               const char *label,
               const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  if (details->len > 0)
    g_string_append_c (details, '\n');
  g_string_append_printf (details, "%s: %s", label, value);
}

/**
 * mend_oauth_error_get_finding:
 * @error: a #GError
 *
 * Details (untranslated, for support staff) hold the OAuth error, the AADSTS
 * code, the HTTP status, the trace and correlation ids and the redacted
 * description.
 *
 * Returns: (transfer full) (nullable): the finding for a %MEND_OAUTH_ERROR
 *   error, %NULL for any other domain
 */
MendFinding *
mend_oauth_error_get_finding (const GError *error)
{
  MendOAuthErrorPrivate *priv;
  g_autoptr(GString) details = NULL;
  MendFinding *finding;
  guint code;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != MEND_OAUTH_ERROR)
    return NULL;

  code = (guint) error->code < G_N_ELEMENTS (findings) ? (guint) error->code
                                                       : MEND_OAUTH_ERROR_PROVIDER_ERROR;
  priv = mend_oauth_error_get_private (error);

  finding = mend_finding_new (findings[code].id,
                              findings[code].severity,
                              _(findings[code].title),
                              findings[code].explanation ? _(findings[code].explanation)
                                                         : error->message,
                              _(findings[code].remedy));

  if (priv->link != NULL)
    mend_finding_set_link (finding, priv->link);
  else if (findings[code].link != NULL)
    mend_finding_set_link (finding, findings[code].link);

  details = g_string_new (NULL);
  append_detail (details, "error", priv->oauth_error);
  if (priv->aadsts != 0)
    {
      g_autofree char *aadsts = g_strdup_printf ("AADSTS%u", priv->aadsts);

      append_detail (details, "code", aadsts);
    }
  if (priv->http_status != 0)
    {
      g_autofree char *status = g_strdup_printf ("%u", priv->http_status);

      append_detail (details, "HTTP status", status);
    }
  append_detail (details, "trace id", priv->trace_id);
  append_detail (details, "correlation id", priv->correlation_id);
  append_detail (details, "description", priv->description);
  if (details->len > 0)
    mend_finding_set_details (finding, details->str);

  return finding;
}

/**
 * mend_oauth_error_get_aadsts:
 *
 * Returns: the AADSTS code of a %MEND_OAUTH_ERROR error, or 0
 */
guint
mend_oauth_error_get_aadsts (const GError *error)
{
  g_return_val_if_fail (error != NULL, 0);

  if (error->domain != MEND_OAUTH_ERROR)
    return 0;

  return mend_oauth_error_get_private (error)->aadsts;
}

/**
 * mend_oauth_error_get_oauth_error:
 *
 * Returns: (nullable): the OAuth `error` value, such as “invalid_grant”
 */
const char *
mend_oauth_error_get_oauth_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != MEND_OAUTH_ERROR)
    return NULL;

  return mend_oauth_error_get_private (error)->oauth_error;
}

/**
 * mend_oauth_error_get_trace_id:
 *
 * Returns: (nullable): Microsoft's trace id
 */
const char *
mend_oauth_error_get_trace_id (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != MEND_OAUTH_ERROR)
    return NULL;

  return mend_oauth_error_get_private (error)->trace_id;
}

/**
 * mend_oauth_error_get_correlation_id:
 *
 * Returns: (nullable): Microsoft's correlation id
 */
const char *
mend_oauth_error_get_correlation_id (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != MEND_OAUTH_ERROR)
    return NULL;

  return mend_oauth_error_get_private (error)->correlation_id;
}
