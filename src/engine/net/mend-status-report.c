/* mend-status-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-status-report"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mend-html-text.h"
#include "mend-status-report.h"

/* What Microsoft's status page says about Outlook.com, read from the undocumented JSON behind
 * status.cloud.microsoft (reference/microsoft.md §5): an array with one entry per consumer
 * service, each with `ServiceDisplayName`, `ServiceWorkloadName`, `Status`, `Title` and
 * `Message` (HTML). Nothing in it is promised, so anything unexpected makes the state
 * unknown, never green. Every report holds exactly one finding, for a diagnosis to collect. */
struct _MendStatusReport
{
  GObject            parent_instance;

  MendServiceState   state;
  MendServiceHealth *outlook;
  GPtrArray         *services;
  GPtrArray         *findings;
  GDateTime         *checked_at;
};

G_DEFINE_FINAL_TYPE (MendStatusReport, mend_status_report, G_TYPE_OBJECT)

G_DEFINE_QUARK (mend-service-status-error-quark, mend_service_status_error)

/* Longest texts kept from the answer: a message is a few paragraphs. */
#define MAX_TITLE_LENGTH   400
#define MAX_MESSAGE_LENGTH 4000
#define MAX_SERVICES       100

static const char * const ok_words[] = {
  "Available", "Operational", "ServiceOperational",
};
static const char * const restored_words[] = {
  "ServiceRestored",
};
static const char * const degraded_words[] = {
  "ServiceDegradation", "ServiceInterruption", "Investigating", "RestoringService",
  "VerifyingService", "ExtendedRecovery",
};

static gboolean
word_in (const char         *word,
         const char * const *words,
         gsize               n_words)
{
  for (gsize i = 0; i < n_words; i++)
    {
      if (g_ascii_strcasecmp (word, words[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Returns: the member's text, or %NULL when it is missing or not a string. */
static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static char *
dup_trimmed (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  g_strstrip (valid);

  return valid[0] != '\0' ? g_steal_pointer (&valid) : NULL;
}

static char *
dup_plain (const char *html,
           gsize       max_length)
{
  g_autofree char *text = NULL;

  if (html == NULL)
    return NULL;

  text = mend_html_text_to_plain (html, -1, max_length);

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
classify (MendServiceHealth *health)
{
  const char *status = health->status ? health->status : "";

  if (word_in (status, ok_words, G_N_ELEMENTS (ok_words)))
    {
      health->state = MEND_SERVICE_STATE_OK;
    }
  else if (word_in (status, restored_words, G_N_ELEMENTS (restored_words)))
    {
      health->state = MEND_SERVICE_STATE_OK;
      health->incident = TRUE;
    }
  else if (word_in (status, degraded_words, G_N_ELEMENTS (degraded_words)))
    {
      health->state = MEND_SERVICE_STATE_DEGRADED;
      health->incident = TRUE;
    }
  else
    {
      health->state = MEND_SERVICE_STATE_UNKNOWN;
    }
}

static MendServiceHealth *
health_from_entry (JsonObject *entry)
{
  g_autoptr(MendServiceHealth) health = mend_service_health_new ();

  health->name = dup_trimmed (get_string (entry, "ServiceDisplayName"));
  health->workload = dup_trimmed (get_string (entry, "ServiceWorkloadName"));
  if (health->name == NULL && health->workload == NULL)
    return NULL;
  if (health->name == NULL)
    health->name = g_strdup (health->workload);

  health->status = dup_trimmed (get_string (entry, "Status"));
  classify (health);

  /* Without an incident the title and message say nothing worth showing. */
  if (health->incident)
    {
      health->title = dup_plain (get_string (entry, "Title"), MAX_TITLE_LENGTH);
      health->message = dup_plain (get_string (entry, "Message"), MAX_MESSAGE_LENGTH);
    }

  return g_steal_pointer (&health);
}

static gboolean
is_outlook (const MendServiceHealth *health)
{
  g_autoptr(GString) workload = g_string_new (NULL);

  if (g_ascii_strcasecmp (health->name, "Outlook.com") == 0)
    return TRUE;

  for (const char *p = health->workload; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (workload, g_ascii_tolower (*p));
    }

  return g_str_equal (workload->str, "outlookcom");
}

/* The order in which two entries for Outlook.com win: a problem first. */
static guint
severity_rank (MendServiceState state)
{
  switch (state)
    {
    case MEND_SERVICE_STATE_DEGRADED:
      return 2;
    case MEND_SERVICE_STATE_UNKNOWN:
      return 1;
    case MEND_SERVICE_STATE_OK:
    default:
      return 0;
    }
}

static MendFinding *
new_unknown_finding (const char *details)
{
  MendFinding *finding;

  finding = mend_finding_new ("service-status-unknown", MEND_SEVERITY_INFO,
                              _("Microsoft’s service status is not available"),
                              _("Mailmend could not read Microsoft’s service status, so it cannot "
                                "tell whether Outlook.com is having an outage. This does not stop "
                                "the repair."),
                              /* Translators: the address is Microsoft's status page. */
                              _("To check by hand, open https://status.cloud.microsoft in a web "
                                "browser."));
  mend_finding_set_details (finding, details);
  mend_finding_set_link (finding, MEND_SERVICE_STATUS_PAGE_URL);

  return finding;
}

static char *
describe_incident (const MendServiceHealth *health)
{
  if (health->title != NULL && health->message != NULL)
    return g_strdup_printf ("%s\n%s", health->title, health->message);

  return g_strdup (health->title ? health->title : health->message);
}

static MendFinding *
new_finding (const MendServiceHealth *outlook)
{
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *incident = describe_incident (outlook);

  switch (outlook->state)
    {
    case MEND_SERVICE_STATE_OK:
      if (outlook->incident)
        finding = mend_finding_new ("service-operational", MEND_SEVERITY_INFO,
                                    _("Outlook.com is working again"),
                                    _("Microsoft reports that a recent problem with Outlook.com "
                                      "has been fixed."),
                                    NULL);
      else
        finding = mend_finding_new ("service-operational", MEND_SEVERITY_INFO,
                                    _("Outlook.com is working normally"),
                                    _("Microsoft reports no problem with Outlook.com right now."),
                                    NULL);
      break;

    case MEND_SERVICE_STATE_DEGRADED:
      finding = mend_finding_new ("service-degraded", MEND_SEVERITY_WARNING,
                                  _("Microsoft reports a problem with Outlook.com"),
                                  _("Microsoft is working on a problem with Outlook.com. Until it "
                                    "is fixed, signing in, receiving or sending mail may fail even "
                                    "when everything on this computer is set up correctly."),
                                  _("Wait until Microsoft has fixed the problem, then try again. "
                                    "You can go on with the repair in the meantime."));
      break;

    case MEND_SERVICE_STATE_UNKNOWN:
    default:
      {
        g_autofree char *details = NULL;

        /* Translators: %s is Microsoft's status word, such as “Unknown”. */
        details = g_strdup_printf (_("Outlook.com’s status is “%s”, which Mailmend does not know."),
                                   outlook->status ? outlook->status : "");
        return new_unknown_finding (details);
      }
    }

  mend_finding_set_details (finding, incident);
  mend_finding_set_link (finding, MEND_SERVICE_STATUS_PAGE_URL);

  return g_steal_pointer (&finding);
}

static void
mend_status_report_finalize (GObject *object)
{
  MendStatusReport *self = (MendStatusReport *) object;

  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->checked_at, g_date_time_unref);

  G_OBJECT_CLASS (mend_status_report_parent_class)->finalize (object);
}

static void
mend_status_report_class_init (MendStatusReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_status_report_finalize;
}

static void
mend_status_report_init (MendStatusReport *self)
{
  self->services = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_service_health_free);
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * mend_status_report_parse:
 * @data: the body of Microsoft's answer
 * @length: its length in bytes
 *
 * Reads the consumer status JSON. An Outlook.com status word that Mailmend does not know gives
 * a report in the unknown state, not an error.
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with @error set
 *   (%MEND_SERVICE_STATUS_ERROR_FORMAT or %MEND_SERVICE_STATUS_ERROR_NO_OUTLOOK)
 */
MendStatusReport *
mend_status_report_parse (const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(MendStatusReport) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  JsonArray *entries;
  JsonNode *root;
  guint n_entries;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_FORMAT,
                           _("The answer is empty."));
      return NULL;
    }

  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, data, length, &json_error))
    {
      g_set_error (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_FORMAT,
                   /* Translators: %s says what is wrong with the JSON. */
                   _("The answer is not valid JSON: %s"),
                   json_error ? json_error->message : "");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_FORMAT,
                           _("The answer is not a list of services."));
      return NULL;
    }

  self = g_object_new (MEND_TYPE_STATUS_REPORT, NULL);
  entries = json_node_get_array (root);
  n_entries = json_array_get_length (entries);

  for (guint i = 0; i < n_entries && self->services->len < MAX_SERVICES; i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      MendServiceHealth *health;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (health = health_from_entry (json_node_get_object (node))) == NULL)
        continue;

      g_ptr_array_add (self->services, health);
      if (is_outlook (health) &&
          (self->outlook == NULL || severity_rank (health->state) > severity_rank (self->outlook->state)))
        self->outlook = health;
    }

  if (self->services->len == 0)
    {
      g_set_error_literal (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_FORMAT,
                           _("The answer lists no services."));
      return NULL;
    }

  if (self->outlook == NULL)
    {
      g_set_error_literal (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_NO_OUTLOOK,
                           _("The answer does not mention Outlook.com."));
      return NULL;
    }

  self->state = self->outlook->state;
  g_ptr_array_add (self->findings, new_finding (self->outlook));

  g_debug ("Outlook.com: %s (“%s”), %u services listed", mend_service_state_to_string (self->state),
           self->outlook->status ? self->outlook->status : "", self->services->len);

  return g_steal_pointer (&self);
}

/**
 * mend_status_report_new_unknown:
 * @reason: (nullable): why the status could not be read, for support staff
 *
 * Returns: (transfer full): a report in the unknown state, with a `service-status-unknown`
 *   finding
 */
MendStatusReport *
mend_status_report_new_unknown (const GError *reason)
{
  MendStatusReport *self = g_object_new (MEND_TYPE_STATUS_REPORT, NULL);

  self->state = MEND_SERVICE_STATE_UNKNOWN;
  g_ptr_array_add (self->findings, new_unknown_finding (reason ? reason->message : NULL));

  return self;
}

MendServiceState
mend_status_report_get_state (MendStatusReport *self)
{
  g_return_val_if_fail (MEND_IS_STATUS_REPORT (self), MEND_SERVICE_STATE_UNKNOWN);

  return self->state;
}

/**
 * mend_status_report_get_outlook:
 *
 * Returns: (transfer none) (nullable): Outlook.com's entry, %NULL when the status could not be
 *   read
 */
MendServiceHealth *
mend_status_report_get_outlook (MendStatusReport *self)
{
  g_return_val_if_fail (MEND_IS_STATUS_REPORT (self), NULL);

  return self->outlook;
}

/**
 * mend_status_report_get_services:
 *
 * Returns: (transfer none) (element-type MendServiceHealth): every service listed, in
 *   Microsoft's order; empty when the status could not be read
 */
GPtrArray *
mend_status_report_get_services (MendStatusReport *self)
{
  g_return_val_if_fail (MEND_IS_STATUS_REPORT (self), NULL);

  return self->services;
}

/**
 * mend_status_report_get_findings:
 *
 * Returns: (transfer none) (element-type MendFinding): one finding: `service-operational`
 *   (info), `service-degraded` (warning) or `service-status-unknown` (info)
 */
GPtrArray *
mend_status_report_get_findings (MendStatusReport *self)
{
  g_return_val_if_fail (MEND_IS_STATUS_REPORT (self), NULL);

  return self->findings;
}

/**
 * mend_status_report_get_checked_at:
 *
 * Returns: (transfer none) (nullable): when Microsoft gave this answer (it may come from the
 *   cache), %NULL when the status could not be read
 */
GDateTime *
mend_status_report_get_checked_at (MendStatusReport *self)
{
  g_return_val_if_fail (MEND_IS_STATUS_REPORT (self), NULL);

  return self->checked_at;
}

void
mend_status_report_set_checked_at (MendStatusReport *self,
                                   GDateTime        *checked_at)
{
  g_return_if_fail (MEND_IS_STATUS_REPORT (self));

  g_clear_pointer (&self->checked_at, g_date_time_unref);
  if (checked_at != NULL)
    self->checked_at = g_date_time_ref (checked_at);
}
