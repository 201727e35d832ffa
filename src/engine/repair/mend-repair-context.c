/* mend-repair-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-repair-context"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mend-repair-context.h"

struct _MendRepairContext
{
  GObject          parent_instance;

  MendScanContext *scan_context;
  GHashTable      *signed_in;
  char            *client_id;
  char           **token_program;
};

G_DEFINE_FINAL_TYPE (MendRepairContext, mend_repair_context, G_TYPE_OBJECT)

static void
mend_repair_context_finalize (GObject *object)
{
  MendRepairContext *self = (MendRepairContext *)object;

  g_clear_object (&self->scan_context);
  g_clear_pointer (&self->signed_in, g_hash_table_unref);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->token_program, g_strfreev);

  G_OBJECT_CLASS (mend_repair_context_parent_class)->finalize (object);
}

static void
mend_repair_context_class_init (MendRepairContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_repair_context_finalize;
}

static void
mend_repair_context_init (MendRepairContext *self)
{
  static const char * const plain_program[] = { "mailmend", NULL };

  self->signed_in = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->token_program = g_strdupv ((char **)plain_program);
}

MendRepairContext *
mend_repair_context_new (MendScanContext *scan_context)
{
  MendRepairContext *self;

  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (scan_context), NULL);

  self = g_object_new (MEND_TYPE_REPAIR_CONTEXT, NULL);
  self->scan_context = g_object_ref (scan_context);

  return self;
}

MendScanContext *
mend_repair_context_get_scan_context (MendRepairContext *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_CONTEXT (self), NULL);

  return self->scan_context;
}

/* Addresses are compared without case, as the token store keys them. */
void
mend_repair_context_add_signed_in_address (MendRepairContext *self,
                                           const char        *address)
{
  g_return_if_fail (MEND_IS_REPAIR_CONTEXT (self));
  g_return_if_fail (address != NULL);

  g_hash_table_add (self->signed_in, g_ascii_strdown (address, -1));
}

gboolean
mend_repair_context_is_signed_in (MendRepairContext *self,
                                  const char        *address)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (MEND_IS_REPAIR_CONTEXT (self), FALSE);

  if (address == NULL)
    return FALSE;

  key = g_ascii_strdown (address, -1);
  return g_hash_table_contains (self->signed_in, key);
}

/* NULL when this build of Mailmend has none configured. */
const char *
mend_repair_context_get_client_id (MendRepairContext *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_CONTEXT (self), NULL);

  return self->client_id;
}

void
mend_repair_context_set_client_id (MendRepairContext *self,
                                   const char        *client_id)
{
  g_return_if_fail (MEND_IS_REPAIR_CONTEXT (self));

  g_free (self->client_id);
  self->client_id = client_id != NULL && *client_id != '\0' ? g_strdup (client_id) : NULL;
}

/* The command that starts Mailmend's CLI, without `token ADDRESS`: `mailmend` by default,
 * an absolute path when Mailmend is not on PATH, `flatpak run --command=mailmend …` in the
 * Flatpak. */
const char * const *
mend_repair_context_get_token_program (MendRepairContext *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_CONTEXT (self), NULL);

  return (const char * const *)self->token_program;
}

void
mend_repair_context_set_token_program (MendRepairContext  *self,
                                       const char * const *argv)
{
  g_return_if_fail (MEND_IS_REPAIR_CONTEXT (self));
  g_return_if_fail (argv != NULL && argv[0] != NULL);

  g_strfreev (self->token_program);
  self->token_program = g_strdupv ((char **)argv);
}

char **
mend_repair_context_dup_token_argv (MendRepairContext *self,
                                    const char        *address)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MEND_IS_REPAIR_CONTEXT (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  g_strv_builder_addv (builder, (const char **)self->token_program);
  g_strv_builder_add (builder, "token");
  g_strv_builder_add (builder, address);

  return g_strv_builder_end (builder);
}

/* Quotes only what needs it, so the line in the user's file stays readable:
 * `mailmend token alex@contoso.com`. */
static gboolean
is_shell_safe (const char *word)
{
  if (*word == '\0')
    return FALSE;

  for (const char *c = word; *c != '\0'; c++)
    {
      if (!g_ascii_isalnum (*c) && strchr ("@%+=:,./_-", *c) == NULL)
        return FALSE;
    }

  return TRUE;
}

char *
mend_repair_context_dup_token_shell_command (MendRepairContext *self,
                                             const char        *address)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GString) command = g_string_new (NULL);

  g_return_val_if_fail (MEND_IS_REPAIR_CONTEXT (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  argv = mend_repair_context_dup_token_argv (self, address);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;

      if (i > 0)
        g_string_append_c (command, ' ');
      if (is_shell_safe (argv[i]))
        g_string_append (command, argv[i]);
      else
        g_string_append (command, (quoted = g_shell_quote (argv[i])));
    }

  return g_string_free (g_steal_pointer (&command), FALSE);
}

/**
 * mend_repair_context_detect_token_program:
 * @cli_path: the absolute path of the `mailmend` executable
 *
 * Sets how mail apps start Mailmend's CLI: inside the Flatpak through `flatpak run`, since
 * the apps run outside it; as plain `mailmend` when that is what PATH finds; otherwise by
 * its absolute path, which keeps working whatever the app's PATH is.
 */
void
mend_repair_context_detect_token_program (MendRepairContext *self,
                                          const char        *cli_path)
{
  const char *flatpak_id = g_getenv ("FLATPAK_ID");
  g_autofree char *on_path = NULL;
  g_autofree char *real_on_path = NULL;
  g_autofree char *real_cli = NULL;

  g_return_if_fail (MEND_IS_REPAIR_CONTEXT (self));
  g_return_if_fail (cli_path != NULL);

  if (flatpak_id != NULL && g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      const char *argv[] = { "flatpak", "run", "--command=mailmend", flatpak_id, NULL };

      mend_repair_context_set_token_program (self, argv);
      return;
    }

  on_path = g_find_program_in_path ("mailmend");
  real_on_path = on_path != NULL ? realpath (on_path, NULL) : NULL;
  real_cli = realpath (cli_path, NULL);

  if (real_on_path != NULL && real_cli != NULL && g_str_equal (real_on_path, real_cli))
    {
      const char *argv[] = { "mailmend", NULL };

      mend_repair_context_set_token_program (self, argv);
    }
  else
    {
      const char *argv[] = { real_cli != NULL ? real_cli : cli_path, NULL };

      mend_repair_context_set_token_program (self, argv);
    }
}
