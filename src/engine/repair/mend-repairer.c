/* mend-repairer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-repairer"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-account-group.h"
#include "mend-repair-findings.h"
#include "mend-repairer.h"

/* From a scan to repair plans: one plan per account (every server of one address in one
 * client, as MendAccountGroup collects them). What holds for every client is decided here —
 * the scan already said the client cannot use OAuth 2.0, the account already uses it, the
 * client is running — and the rest by the client's own `plan_repair`. */

struct _MendRepairer
{
  GObject            parent_instance;

  MendScanner       *scanner;
  MendRepairContext *context;
  GPtrArray         *groups;
};

G_DEFINE_FINAL_TYPE (MendRepairer, mend_repairer, G_TYPE_OBJECT)

G_DEFINE_QUARK (mend-repairer-error-quark, mend_repairer_error)

/* Findings that leave an account as it is, as opposed to a repair that was tried and could
 * not be applied (`client-running`, and the journal's `config-changed`, `write-failed`…). */
static const char * const skip_ids[] = {
  "config-unreadable",
  "manual-edit-needed",
  "no-oauth-path",
  "client-too-old",
  "signin-needed",
  "client-id-missing",
  "work-account-needs-new-account",
  "host-change-needed",
  "nothing-to-change",
  NULL
};

static void
mend_repairer_finalize (GObject *object)
{
  MendRepairer *self = (MendRepairer *)object;

  g_clear_object (&self->scanner);
  g_clear_object (&self->context);
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_repairer_parent_class)->finalize (object);
}

static void
mend_repairer_class_init (MendRepairerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_repairer_finalize;
}

static void
mend_repairer_init (MendRepairer *self)
{
}

MendRepairer *
mend_repairer_new (MendScanner       *scanner,
                   MendRepairContext *context)
{
  MendRepairer *self;
  MendScanContext *scan_context;

  g_return_val_if_fail (MEND_IS_SCANNER (scanner), NULL);
  g_return_val_if_fail (MEND_IS_REPAIR_CONTEXT (context), NULL);

  scan_context = mend_repair_context_get_scan_context (context);

  self = g_object_new (MEND_TYPE_REPAIRER, NULL);
  self->scanner = g_object_ref (scanner);
  self->context = g_object_ref (context);
  self->groups = mend_account_group_collect (mend_scan_context_get_accounts (scan_context));

  return self;
}

static void
add_scan_findings (MendRepairPlan *plan,
                   GPtrArray      *servers,
                   const char     *id)
{
  for (guint i = 0; i < servers->len; i++)
    {
      GPtrArray *findings = mend_account_get_findings (g_ptr_array_index (servers, i));

      for (guint j = 0; j < findings->len; j++)
        {
          MendFinding *finding = g_ptr_array_index (findings, j);

          if (g_strcmp0 (mend_finding_get_id (finding), id) == 0)
            mend_repair_plan_add_finding (plan, finding);
        }
    }
}

static gboolean
any_has_finding (GPtrArray  *servers,
                 const char *id)
{
  for (guint i = 0; i < servers->len; i++)
    {
      if (mend_account_has_finding (g_ptr_array_index (servers, i), id))
        return TRUE;
    }

  return FALSE;
}

static MendRepairPlan *
plan_group (MendRepairer     *self,
            MendAccountGroup *group,
            MendAccount      *first)
{
  g_autoptr(GPtrArray) servers = g_ptr_array_new ();
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  GPtrArray *group_servers = mend_account_group_get_servers (group);
  MendClient *client;
  gboolean all_oauth = TRUE;

  client = mend_scanner_find_client (self->scanner, mend_account_group_get_client (group));
  g_return_val_if_fail (client != NULL, NULL);

  /* The account asked for names the plan; the group's other servers follow in scan order. */
  g_ptr_array_add (servers, first);
  for (guint i = 0; i < group_servers->len; i++)
    {
      MendAccount *server = g_ptr_array_index (group_servers, i);

      if (server != first)
        g_ptr_array_add (servers, server);
      if (mend_account_is_microsoft (server) && mend_account_get_auth (server) != MEND_AUTH_OAUTH2)
        all_oauth = FALSE;
    }

  plan = mend_repair_plan_new (mend_client_get_id (client), mend_client_get_name (client),
                               servers);

  if (any_has_finding (servers, "no-oauth-path") || any_has_finding (servers, "client-too-old"))
    {
      add_scan_findings (plan, servers, "no-oauth-path");
      add_scan_findings (plan, servers, "client-too-old");
      return g_steal_pointer (&plan);
    }

  /* OAuth 2.0 on a host the client cannot sign in to is not done: its own plan says what to do. */
  if (all_oauth && !any_has_finding (servers, "legacy-host"))
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_nothing_to_change ();

      mend_repair_plan_add_finding (plan, finding);
      return g_steal_pointer (&plan);
    }

  mend_client_plan_repair (client, self->context, plan);

  edits = mend_repair_plan_dup_edits (plan);
  if (edits->len == 0 && mend_repair_plan_get_findings (plan)->len == 0)
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_nothing_to_change ();

      mend_repair_plan_add_finding (plan, finding);
    }

  /* It would write its own settings back over the repair when it closes. */
  if (edits->len > 0)
    add_scan_findings (plan, servers, "client-running");

  return g_steal_pointer (&plan);
}

/**
 * mend_repairer_plan:
 * @account_id: the id of any server of the account, as `mailmend scan --json` gives it
 *
 * Returns: (transfer full): the plan, which may hold only the findings saying why the
 *   account cannot be repaired; %NULL with %MEND_REPAIRER_ERROR_UNKNOWN_ACCOUNT
 */
MendRepairPlan *
mend_repairer_plan (MendRepairer  *self,
                    const char    *account_id,
                    GError       **error)
{
  g_return_val_if_fail (MEND_IS_REPAIRER (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      MendAccountGroup *group = g_ptr_array_index (self->groups, i);
      GPtrArray *servers = mend_account_group_get_servers (group);

      for (guint j = 0; j < servers->len; j++)
        {
          MendAccount *server = g_ptr_array_index (servers, j);

          if (g_strcmp0 (mend_account_get_id (server), account_id) == 0)
            return plan_group (self, group, server);
        }
    }

  g_set_error (error, MEND_REPAIRER_ERROR, MEND_REPAIRER_ERROR_UNKNOWN_ACCOUNT,
               /* Translators: %s is an account id from “mailmend scan --json”. */
               _("No account has the id %s. “mailmend scan --json” lists them."), account_id);
  return NULL;
}

/**
 * mend_repairer_plan_all:
 *
 * Returns: (transfer container) (element-type MendRepairPlan): a plan for every Microsoft
 *   account that does not use OAuth 2.0 yet, including those that cannot be repaired
 */
GPtrArray *
mend_repairer_plan_all (MendRepairer *self)
{
  GPtrArray *plans = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (MEND_IS_REPAIRER (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      MendAccountGroup *group = g_ptr_array_index (self->groups, i);
      MendAccountStatus status = mend_account_group_get_status (group);

      if (status != MEND_ACCOUNT_STATUS_NEEDS_REPAIR && status != MEND_ACCOUNT_STATUS_CANNOT_REPAIR)
        continue;

      g_ptr_array_add (plans,
                       plan_group (self, group,
                                   g_ptr_array_index (mend_account_group_get_servers (group), 0)));
    }

  return plans;
}

/**
 * mend_repairer_plan_is_skipped:
 *
 * Returns: whether @plan cannot apply for a reason that leaves the account as it is
 *   (no OAuth path, not signed in, nothing to change…), rather than one that makes the
 *   repair fail (the client runs)
 */
gboolean
mend_repairer_plan_is_skipped (MendRepairPlan *plan)
{
  GPtrArray *findings;

  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (plan), FALSE);

  findings = mend_repair_plan_get_findings (plan);
  for (guint i = 0; i < findings->len; i++)
    {
      if (g_strv_contains (skip_ids, mend_finding_get_id (g_ptr_array_index (findings, i))))
        return TRUE;
    }

  return FALSE;
}
