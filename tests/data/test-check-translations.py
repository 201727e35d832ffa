#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of check-translations.py, printed as TAP.

Builds a small project tree (C, GtkBuilder and desktop files, po/POTFILES.in, po/LINGUAS
and a complete po/fr.po), checks that it passes, then breaks it in one way at a time and
checks that the checker rejects each broken tree with the expected problem tag, or still
accepts it when the change is harmless.

Usage: test-check-translations.py [CHECKER]
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

A_C = '''#include <glib/gi18n.h>

/* A comment that mentions _() and N_() holds no string. */
static const char *greeting = N_("Hello");

void
count (int n)
{
  g_print (g_dngettext (NULL, "%d file", "%d files", n), n);
  g_print ("%s\\n", C_("shortcut window", "Open"));
  g_print (_("Saved to “%s”\\n"), "x");
}
'''

B_UI = '''<?xml version="1.0" encoding="UTF-8"?>
<interface>
  <object class="GtkButton">
    <property name="label" translatable="yes">_Open File</property>
  </object>
</interface>
'''

DESKTOP = '''[Desktop Entry]
Name=Mailmend Test
Type=Application
'''

POTFILES = '''# Files with translatable strings, sorted.
data/test.desktop.in
src/a.c
src/b.ui
'''

HEADER = '''msgid ""
msgstr ""
"Project-Id-Version: test\\n"
"Report-Msgid-Bugs-To: \\n"
"PO-Revision-Date: 2026-01-01 00:00+0000\\n"
"Last-Translator: test\\n"
"Language-Team: French\\n"
"Language: fr\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
'''

ENTRIES = {
    'name': 'msgid "Mailmend Test"\nmsgstr "Test de Mailmend"\n',
    'hello': 'msgid "Hello"\nmsgstr "Bonjour"\n',
    'files': ('#, c-format\nmsgid "%d file"\nmsgid_plural "%d files"\n'
              'msgstr[0] "%d fichier"\nmsgstr[1] "%d fichiers"\n'),
    'open': 'msgctxt "shortcut window"\nmsgid "Open"\nmsgstr "Ouvrir"\n',
    'saved': '#, c-format\nmsgid "Saved to “%s”\\n"\nmsgstr "Enregistré dans « %s »\\n"\n',
    'button': 'msgid "_Open File"\nmsgstr "_Ouvrir le fichier"\n',
}


def tree(files=None, entries=None):
    """The project's files by path: the complete project with FILES replaced or added and
    the ENTRIES of po/fr.po replaced (None removes one)."""
    entries = dict(ENTRIES, **(entries or {}))
    project = {
        'src/a.c': A_C,
        'src/b.ui': B_UI,
        'data/test.desktop.in': DESKTOP,
        'po/POTFILES.in': POTFILES,
        'po/LINGUAS': 'fr\n',
        'po/fr.po': HEADER + ''.join('\n' + e for e in entries.values() if e is not None),
    }
    project.update(files or {})
    return project


# Each case: (name, expected tag, or None when the project must still pass, its files).
CASES = [
    ('a new string without French', 'untranslated',
     tree({'src/a.c': A_C.replace('  g_print (_("Saved',
                                  '  g_print ("%s", _("Check Again"));\n  g_print (_("Saved')})),
    ('a new label in a .ui file without French', 'untranslated',
     tree({'src/b.ui': B_UI.replace('</object>', '<property name="tooltip-text" '
                                    'translatable="yes">Choose a log</property></object>')})),
    ('a new file with strings, not in POTFILES.in', 'not-in-potfiles',
     tree({'src/c.c': '#include <glib/gi18n.h>\nconst char *s = N_("Hello");\n'})),
    ('a desktop file not in POTFILES.in', 'not-in-potfiles',
     tree({'po/POTFILES.in': POTFILES.replace('data/test.desktop.in\n', '')},
          {'name': None})),
    ('POTFILES.in naming a file that does not exist', 'missing-file',
     tree({'po/POTFILES.in': POTFILES + 'src/gone.c\n'})),
    ('a fuzzy translation', 'fuzzy',
     tree(entries={'hello': '#, fuzzy\nmsgid "Hello"\nmsgstr "Bonjour"\n'})),
    ('a translation whose string changed', 'fuzzy',
     tree({'src/a.c': A_C.replace('"Hello"', '"Hello!"')})),
    ('a translation that lost a %s', 'msgfmt-check',
     tree(entries={'saved': ENTRIES['saved'].replace('« %s »', '« fichier »')})),
    ('a plural that lost a %d', 'msgfmt-check',
     tree(entries={'files': ENTRIES['files'].replace('"%d fichiers"', '"des fichiers"')})),
    ('a label that lost its mnemonic', 'msgfmt-check',
     tree(entries={'button': 'msgid "_Open File"\nmsgstr "Ouvrir le fichier"\n'})),
    ('a language without its po file', 'missing-po',
     tree({'po/LINGUAS': 'fr de\n'})),
    ('a string moved to another line', None,
     tree({'src/a.c': '\n\n' + A_C})),
    ('a header whose comment mentions N_(), not in POTFILES.in', None,
     tree({'src/d.h': '/* Marked with N_() and _(), translated when shown. */\n'})),
]


def write(base, files):
    for path, text in files.items():
        full = os.path.join(base, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w', encoding='utf-8') as f:
            f.write(text)


def run_checker(checker, root):
    proc = subprocess.run([sys.executable, checker, root],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    return proc.returncode, proc.stdout


def diag(text):
    for line in text.splitlines():
        print('# ' + line)


def main(argv):
    checker = argv[0] if argv else os.path.join(HERE, 'check-translations.py')

    print('1..%d' % (len(CASES) + 1))
    failures = 0
    with tempfile.TemporaryDirectory(prefix='mailmend-translations-') as base:
        # Control: the complete tree must pass, or the negative cases prove nothing.
        root = os.path.join(base, 'complete')
        write(root, tree())
        code, out = run_checker(checker, root)
        if code == 0:
            print('ok 1 - a completely translated project passes')
        else:
            failures += 1
            print('not ok 1 - a completely translated project passes')
            diag(out)

        for number, (name, tag, files) in enumerate(CASES, start=2):
            root = os.path.join(base, str(number))
            write(root, files)
            code, out = run_checker(checker, root)
            if tag is None:
                passed = code == 0
                verb = 'accepts'
                why = 'rejected'
            else:
                passed = code != 0 and (tag + ':') in out
                verb = 'rejects'
                why = 'accepted' if code == 0 else 'rejected without %s' % tag
            if passed:
                print('ok %d - %s: %s' % (number, verb, name))
            else:
                failures += 1
                print('not ok %d - %s: %s (%s)' % (number, verb, name, why))
                diag(out)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
