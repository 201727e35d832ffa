#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of check-flatpak-manifest.py, printed as TAP.

Copies the project's manifest and README.md into a throw-away project tree (with a
fake src/meson.build that installs the command), checks that the copy passes, then breaks
it in one way at a time and checks that the checker rejects each broken copy with the
expected problem tag.

Usage: test-check-flatpak-manifest.py [CHECKER MANIFEST README.md]
"""

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
APP_ID = 'io.github.mailmend.Mailmend'

FAKE_TOP_MESON = "project('mailmend', 'c', version: '0.1.0')\nsubdir('src')\n"
FAKE_SRC_MESON = """# a comment mentioning executable('mailmend') must not count
cli_exe = executable('mailmend',
  'main.c',
  install: true,
)
wizard_exe = executable('mailmend-wizard',
  'main.c',
  install: true,
  install_dir: get_option('libexecdir'),
)
"""


def dump(data):
    return json.dumps(data, indent=4, ensure_ascii=False) + '\n'


def finish(data, *, add=(), remove=()):
    args = [a for a in data['finish-args'] if a not in remove]
    data['finish-args'] = args + list(add)
    return data


def module(data):
    return data['modules'][0]


def with_source(data, source):
    module(data)['sources'] = [source]
    return data


# Each case: (name, expected tag in the output, change to the manifest data) where the
# change returns the new data; or a dict for changes outside the data.
CASES = [
    ('id with two components', 'appid-component-count',
     lambda d: dict(d, id='mailmend.Mailmend'), {'file': 'mailmend.Mailmend.json'}),
    ('id with six components', 'appid-component-count',
     lambda d: dict(d, id='io.github.mailmend.Mailmend.App.Extra'),
     {'file': 'io.github.mailmend.Mailmend.App.Extra.json'}),
    ('dash outside the last component', 'appid-dash-not-last',
     lambda d: dict(d, id='io.github.mail-mend.Mailmend'),
     {'file': 'io.github.mail-mend.Mailmend.json'}),
    ('component starting with a digit', 'appid-invalid-component',
     lambda d: dict(d, id='io.github.9mailmend.Mailmend'),
     {'file': 'io.github.9mailmend.Mailmend.json'}),
    ('id ending in .desktop', 'appid-ends-with-desktop',
     lambda d: dict(d, id='io.github.mailmend.desktop'),
     {'file': 'io.github.mailmend.desktop.json'}),
    ('org.gnome id', 'appid-reserved-org-gnome',
     lambda d: dict(d, id='org.gnome.Mailmend'), {'file': 'org.gnome.Mailmend.json'}),
    ('io.github id without a repository', 'appid-code-hosting-too-few-components',
     lambda d: dict(d, id='io.github.Mailmend'), {'file': 'io.github.Mailmend.json'}),
    ('com.github id', 'appid-code-hosting-domain',
     lambda d: dict(d, id='com.github.mailmend.Mailmend'),
     {'file': 'com.github.mailmend.Mailmend.json'}),
    ('file name differs from the id', 'appid-filename-mismatch',
     None, {'file': 'io.github.mailmend.Other.json'}),
    ('freedesktop runtime', 'runtime-not-gnome',
     lambda d: dict(d, runtime='org.freedesktop.Platform'), {}),
    ('missing sdk', 'sdk-not-gnome',
     lambda d: {k: v for k, v in d.items() if k != 'sdk'}, {}),
    ('runtime-version master', 'runtime-version-not-numeric',
     lambda d: dict(d, **{'runtime-version': 'master'}), {}),
    ('missing command', 'toplevel-no-command',
     lambda d: {k: v for k, v in d.items() if k != 'command'}, {}),
    ('command is a path', 'toplevel-command-is-path',
     lambda d: dict(d, command='/app/bin/mailmend'), {}),
    ('command not built by the project', 'command-not-built',
     lambda d: dict(d, command='mailmend-gui'), {}),
    ('command installed in libexecdir', 'command-not-in-bindir',
     lambda d: dict(d, command='mailmend-wizard'), {}),
    ('command built but not installed', 'command-not-installed',
     None, {'src': FAKE_SRC_MESON.replace("'main.c',\n  install: true,\n)",
                                          "'main.c',\n)", 1)}),
    ('top-level branch', 'toplevel-no-branch',
     lambda d: dict(d, branch='stable'), {}),
    ('network in top-level build-args', 'build-args-network',
     lambda d: dict(d, **{'build-options': {'build-args': ['--share=network']}}), {}),
    ('network in module build-args', 'build-args-network',
     lambda d: (module(d).update({'build-options': {'build-args': ['--share=network']}}), d)[1],
     {}),
    ('x11 and wayland', 'finish-args-contains-both-x11-and-wayland',
     lambda d: finish(d, add=['--socket=x11'], remove=['--socket=fallback-x11']), {}),
    ('x11 and fallback-x11', 'finish-args-contains-both-x11-and-fallback',
     lambda d: finish(d, add=['--socket=x11']), {}),
    ('fallback-x11 without wayland', 'finish-args-fallback-x11-without-wayland',
     lambda d: finish(d, remove=['--socket=wayland']), {}),
    ('fallback-x11 without ipc', 'finish-args-x11-without-ipc',
     lambda d: finish(d, remove=['--share=ipc']), {}),
    ('wayland alone', 'finish-args-only-wayland',
     lambda d: finish(d, remove=['--socket=fallback-x11']), {}),
    ('filesystem=home', 'finish-args-broad-filesystem',
     lambda d: finish(d, add=['--filesystem=home']), {}),
    ('filesystem=home:ro', 'finish-args-broad-filesystem',
     lambda d: finish(d, add=['--filesystem=home:ro']), {}),
    ('filesystem=host', 'finish-args-broad-filesystem',
     lambda d: finish(d, add=['--filesystem=host']), {}),
    ('filesystem=host-os', 'finish-args-broad-filesystem',
     lambda d: finish(d, add=['--filesystem=host-os']), {}),
    ('filesystem=host-etc', 'finish-args-broad-filesystem',
     lambda d: finish(d, add=['--filesystem=host-etc']), {}),
    ('bare xdg-config', 'finish-args-broad-filesystem',
     lambda d: finish(d, add=['--filesystem=xdg-config']), {}),
    ('bare xdg-config:ro', 'finish-args-broad-filesystem',
     lambda d: finish(d, add=['--filesystem=xdg-config/:ro']), {}),
    ('filesystem=~', 'finish-args-broad-filesystem',
     lambda d: finish(d, add=['--filesystem=~']), {}),
    ('session bus socket', 'finish-args-arbitrary-dbus-access',
     lambda d: finish(d, add=['--socket=session-bus']), {}),
    ('system bus socket', 'finish-args-arbitrary-dbus-access',
     lambda d: finish(d, add=['--socket=system-bus']), {}),
    ('talk-name to a portal', 'finish-args-portal-talk-name',
     lambda d: finish(d, add=['--talk-name=org.freedesktop.portal.Desktop']), {}),
    ('talk-name org.freedesktop.Secrets', 'finish-args-secret-service',
     lambda d: finish(d, add=['--talk-name=org.freedesktop.Secrets']), {}),
    ('talk-name org.freedesktop.secrets', 'finish-args-secret-service',
     lambda d: finish(d, add=['--talk-name=org.freedesktop.secrets']), {}),
    ('talk-name org.freedesktop.Flatpak', 'finish-args-flatpak-spawn-access',
     lambda d: finish(d, add=['--talk-name=org.freedesktop.Flatpak']), {}),
    ('duplicate finish-arg', 'finish-args-duplicate',
     lambda d: finish(d, add=['--share=network']), {}),
    ('finish-arg split in two', 'finish-args-malformed',
     lambda d: finish(d, add=['--filesystem', '~/.thunderbird']), {}),
    ('unjustified filesystem', 'finish-args-unjustified',
     lambda d: finish(d, add=['--filesystem=~/.mailrc']), {}),
    ('no justification file', 'finish-args-no-justification',
     None, {'no-justification': True}),
    ('git source without commit', 'module-source-git-no-commit',
     lambda d: with_source(d, {'type': 'git', 'url': 'https://github.com/mailmend/mailmend.git',
                               'tag': 'v0.1.0'}), {}),
    ('git source on a branch', 'module-source-git-branch',
     lambda d: with_source(d, {'type': 'git', 'url': 'https://github.com/mailmend/mailmend.git',
                               'branch': 'main', 'commit': 'a' * 40}), {}),
    ('archive without sha256', 'module-source-no-sha256',
     lambda d: with_source(d, {'type': 'archive',
                               'url': 'https://example.org/mailmend-0.1.0.tar.xz'}), {}),
    ('archive with sha1 only', 'module-source-weak-checksum',
     lambda d: with_source(d, {'type': 'archive', 'sha1': 'b' * 40,
                               'url': 'https://example.org/mailmend-0.1.0.tar.xz'}), {}),
    ('dir source without a meson project', 'module-source-dir-not-project',
     lambda d: with_source(d, {'type': 'dir', 'path': '../nowhere'}), {}),
    ('two modules', 'modules-not-one',
     lambda d: dict(d, modules=[copy.deepcopy(module(d)), dict(copy.deepcopy(module(d)),
                                                                name='extra')]), {}),
    ('cmake module', 'module-buildsystem',
     lambda d: (module(d).update({'buildsystem': 'cmake'}), d)[1], {}),
    ('development profile', 'module-profile',
     lambda d: (module(d).update({'config-opts': ['-Dprofile=development']}), d)[1], {}),
    ('keys out of order', 'manifest-key-order',
     lambda d: dict([('command', d['command'])] + [(k, v) for k, v in d.items()
                                                   if k != 'command']), {}),
    ('two-space indentation', 'manifest-format',
     None, {'text': lambda d: json.dumps(d, indent=2) + '\n'}),
    ('invalid JSON', 'manifest-invalid-json',
     None, {'text': lambda d: dump(d)[:-3]}),
]


class Project:
    """A throw-away project tree holding a manifest and what the checker looks at."""

    def __init__(self, base, manifest_data, readme, *, file=None, text=None,
                 src=FAKE_SRC_MESON, justification=True):
        self.root = tempfile.mkdtemp(prefix='project-', dir=base)
        os.makedirs(os.path.join(self.root, 'flatpak'))
        os.makedirs(os.path.join(self.root, 'src'))
        with open(os.path.join(self.root, 'meson.build'), 'w') as f:
            f.write(FAKE_TOP_MESON)
        with open(os.path.join(self.root, 'src', 'meson.build'), 'w') as f:
            f.write(src)
        if justification:
            shutil.copy(readme, os.path.join(self.root, 'README.md'))
        self.manifest = os.path.join(self.root, 'flatpak', file or APP_ID + '.json')
        with open(self.manifest, 'w') as f:
            f.write(text if text is not None else dump(manifest_data))


def run_checker(checker, manifest):
    proc = subprocess.run([sys.executable, checker, manifest],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    return proc.returncode, proc.stdout


def diag(text):
    for line in text.splitlines():
        print('# ' + line)


def main(argv):
    checker = argv[0] if len(argv) > 0 else os.path.join(HERE, 'check-flatpak-manifest.py')
    manifest = argv[1] if len(argv) > 1 else os.path.join(ROOT, 'flatpak', APP_ID + '.json')
    readme = argv[2] if len(argv) > 2 else os.path.join(ROOT, 'README.md')

    with open(manifest, encoding='utf-8') as f:
        pristine = json.load(f)

    print('1..%d' % (len(CASES) + 1))
    failures = 0
    with tempfile.TemporaryDirectory(prefix='mailmend-manifest-') as base:
        # Control: an unchanged copy must pass, or the negative cases prove nothing.
        code, out = run_checker(checker, Project(base, pristine, readme).manifest)
        if code == 0:
            print('ok 1 - an unchanged copy of the manifest passes')
        else:
            failures += 1
            print('not ok 1 - an unchanged copy of the manifest passes')
            diag(out)

        for number, (name, tag, change, extra) in enumerate(CASES, start=2):
            data = copy.deepcopy(pristine)
            if change is not None:
                data = change(data)
            text = extra['text'](data) if 'text' in extra else None
            project = Project(base, data, readme, file=extra.get('file'), text=text,
                              src=extra.get('src', FAKE_SRC_MESON),
                              justification=not extra.get('no-justification'))
            code, out = run_checker(checker, project.manifest)
            if code != 0 and (tag + ':') in out:
                print('ok %d - rejects: %s' % (number, name))
            else:
                failures += 1
                why = 'accepted' if code == 0 else 'rejected without %s' % tag
                print('not ok %d - rejects: %s (%s)' % (number, name, why))
                diag(out)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
