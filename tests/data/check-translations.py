#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every user-visible string is in the template and translated.

1. Every file under src/ and data/ from which xgettext extracts a string is listed in
   po/POTFILES.in, and every file POTFILES.in lists exists.
2. The template is extracted from POTFILES.in as the 'mailmend-pot' target does it (meson's
   glib preset), each language of po/LINGUAS is merged with it as 'mailmend-update-po'
   does, and the result has no untranslated and no fuzzy message.
3. Each po file passes `msgfmt --check` (C formats, header) and keeps the keyboard
   mnemonic ('_') of every label that has one.

Works in temporary folders: the source tree is only read.

Usage: check-translations.py SOURCE_ROOT

Prints one line per problem, "TAG: details", and exits 1 if there is any.
"""

import fnmatch
import os
import re
import subprocess
import sys
import tempfile

PACKAGE = 'mailmend'

# meson's i18n.gettext(preset: 'glib'), plus the '-k_' meson always adds.
XGETTEXT_ARGS = [
    '-k_',
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

# The kinds of file xgettext reads: C, GtkBuilder, and the data files GLib, AppStream and
# desktop-file-utils give it rules for.
SOURCE_PATTERNS = ['*.c', '*.h', '*.ui', '*.desktop.in', '*.desktop.in.in',
                   '*.metainfo.xml.in', '*.metainfo.xml.in.in', '*.gschema.xml']
SOURCE_DIRS = ['src', 'data']


def run(args, **kwargs):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, **kwargs)


def read_list(path):
    """The words of a POTFILES.in or LINGUAS, without comments."""
    names = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            names.extend(line.split('#', 1)[0].split())
    return names


def source_files(root):
    found = []
    for top in SOURCE_DIRS:
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs.sort()
            for name in sorted(files):
                if any(fnmatch.fnmatch(name, p) for p in SOURCE_PATTERNS):
                    found.append(os.path.relpath(os.path.join(folder, name), root))
    return found


def referenced_files(pot):
    """The files named in the '#:' lines of a template."""
    files = set()
    with open(pot, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#: '):
                for ref in line[3:].split():
                    name, _, number = ref.rpartition(':')
                    files.add(name if number.isdigit() else ref)
    return files


def xgettext(root, file_list, pot, problems):
    """Extracts the strings of the files in FILE_LIST (relative to ROOT) into POT."""
    result = run(['xgettext', '--package-name=' + PACKAGE, '--no-wrap',
                  '-f', file_list, '-D', root, '-o', pot] + XGETTEXT_ARGS)
    if result.returncode != 0:
        problems.append('xgettext-failed: %s' % result.stderr.strip())
        return False
    for line in result.stderr.splitlines():
        if 'warning' in line:
            problems.append('xgettext-warning: %s' % line)
    # xgettext writes nothing when no string was found.
    if not os.path.exists(pot):
        open(pot, 'w').close()
    return True


def check_potfiles(root, tmp, problems):
    listed = read_list(os.path.join(root, 'po', 'POTFILES.in'))
    for name in listed:
        if not os.path.isfile(os.path.join(root, name)):
            problems.append('missing-file: po/POTFILES.in lists %s, which does not exist' % name)

    all_list = os.path.join(tmp, 'all-sources')
    with open(all_list, 'w', encoding='utf-8') as f:
        f.write(''.join(name + '\n' for name in source_files(root)))
    all_pot = os.path.join(tmp, 'all-sources.pot')
    if not xgettext(root, all_list, all_pot, problems):
        return
    for name in sorted(referenced_files(all_pot) - set(listed)):
        problems.append('not-in-potfiles: %s has translatable strings; add it to '
                        'po/POTFILES.in' % name)


def messages(po, *attrib_args):
    """(location, msgid) of the messages msgattrib selects with ATTRIB_ARGS."""
    result = run(['msgattrib', '--no-wrap', '--no-obsolete'] + list(attrib_args) + [po])
    found = []
    location = ''
    for line in result.stdout.splitlines():
        if line.startswith('#: '):
            location = line[3:].split()[0]
        elif line.startswith('msgid "') and line != 'msgid ""':
            found.append((location, line[len('msgid "'):-1]))
            location = ''
    return found


def check_language(root, tmp, pot, lang, problems):
    po = os.path.join(root, 'po', lang + '.po')
    if not os.path.isfile(po):
        problems.append('missing-po: po/LINGUAS lists %s, and po/%s.po does not exist'
                        % (lang, lang))
        return

    result = run(['msgfmt', '--check', '--check-accelerators=_', '-o', os.devnull, po])
    if result.returncode != 0:
        for line in result.stderr.strip().splitlines():
            problems.append('msgfmt-check: %s' % line)

    merged = os.path.join(tmp, lang + '.po')
    result = run(['msgmerge', '--quiet', '-o', merged, po, pot])
    if result.returncode != 0:
        problems.append('msgmerge-failed: %s: %s' % (lang, result.stderr.strip()))
        return
    result = run(['msgfmt', '--statistics', '-o', os.devnull, merged])
    statistics = result.stderr.strip()
    for tag, attrib_args in (('untranslated', ['--untranslated']),
                             ('fuzzy', ['--only-fuzzy'])):
        for location, msgid in messages(merged, *attrib_args):
            problems.append('%s: %s: %s: "%s"' % (tag, lang, location, msgid))
    if re.search(r'untranslated|fuzzy', statistics):
        problems.append('incomplete: %s: %s' % (lang, statistics))


def main(argv):
    if len(argv) != 2:
        print('usage: check-translations.py SOURCE_ROOT', file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    problems = []

    with tempfile.TemporaryDirectory(prefix='check-translations-') as tmp:
        check_potfiles(root, tmp, problems)

        pot = os.path.join(tmp, PACKAGE + '.pot')
        if xgettext(root, os.path.join(root, 'po', 'POTFILES.in'), pot, problems):
            for lang in read_list(os.path.join(root, 'po', 'LINGUAS')):
                check_language(root, tmp, pot, lang, problems)

    for problem in problems:
        print(problem)
    if not problems:
        print('Every translatable file is in po/POTFILES.in, and every message is translated.')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
