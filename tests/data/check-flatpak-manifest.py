#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check Mailmend's Flatpak manifest offline.

Applies the rules of flatpak-builder-lint that can be checked without the network or a
build (application id, runtime, command, finish-args, sources), plus the project's own:
one meson module, the command is a binary the project installs in bindir, every
finish-arg is justified in README.md, JSON formatted with
4-space indentation in the usual key order.

Usage: check-flatpak-manifest.py [--source-root DIR] [--justification FILE]... MANIFEST

Prints one line per problem and exits 1 if there is any; exits 0 and prints "OK" otherwise.
"""

import argparse
import json
import os
import re
import sys

RUNTIME = 'org.gnome.Platform'
SDK = 'org.gnome.Sdk'
MODULE_NAME = 'mailmend'

# Top-level keys in the order Flathub's manifests use; others may appear anywhere.
KEY_ORDER = [
    'id', 'runtime', 'runtime-version', 'sdk', 'sdk-extensions', 'base', 'base-version',
    'command', 'finish-args', 'build-options', 'cleanup', 'cleanup-commands', 'modules',
]

CODE_HOSTS = ('io.github.', 'io.gitlab.', 'io.sourceforge.', 'io.frama.', 'page.codeberg.')
OLD_CODE_HOSTS = ('com.github.', 'com.gitlab.', 'org.github.', 'org.gitlab.', 'net.sourceforge.')

FORBIDDEN_FILESYSTEMS = {
    'home': 'the whole home folder',
    'host': 'the whole host file system',
    'host-os': 'the host operating system',
    'host-etc': 'the host /etc',
    '~': 'the whole home folder',
    '/': 'the whole host file system',
    'xdg-config': 'all of ~/.config',
    'xdg-data': 'all of ~/.local/share',
    'xdg-cache': 'all of ~/.cache',
}

HEX40 = re.compile(r'^[0-9a-f]{40}$')
HEX64 = re.compile(r'^[0-9a-f]{64}$')
ID_COMPONENT = re.compile(r'^[A-Za-z_][A-Za-z0-9_-]*$')
FINISH_ARG = re.compile(r'^--[a-z][a-z0-9-]*(=.+)?$')


class Checker:
    def __init__(self, manifest_path, source_root, justification_files):
        self.path = manifest_path
        self.source_root = source_root
        self.justification_files = justification_files
        self.errors = []

    def error(self, tag, message):
        self.errors.append('%s: %s: %s' % (os.path.basename(self.path), tag, message))

    # -- the whole file ---------------------------------------------------------------------

    def run(self):
        try:
            with open(self.path, encoding='utf-8') as f:
                text = f.read()
        except OSError as e:
            self.error('manifest-unreadable', str(e))
            return self.errors
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            self.error('manifest-invalid-json', str(e))
            return self.errors
        if not isinstance(data, dict):
            self.error('manifest-not-an-object', 'the manifest must be a JSON object')
            return self.errors

        self.check_format(text, data)
        self.check_id(data)
        self.check_runtime(data)
        self.check_command(data)
        self.check_toplevel(data)
        self.check_build_options(data.get('build-options'), 'top level')
        self.check_finish_args(data)
        self.check_modules(data)
        return self.errors

    def check_format(self, text, data):
        expected = json.dumps(data, indent=4, ensure_ascii=False) + '\n'
        if text != expected:
            self.error('manifest-format',
                       'not formatted as JSON with 4-space indentation, one item per line '
                       'and a final newline (as json.dumps(indent=4) writes it)')
        known = [k for k in data if k in KEY_ORDER]
        if known != sorted(known, key=KEY_ORDER.index):
            self.error('manifest-key-order',
                       'top-level keys should come in the order %s, not %s'
                       % (', '.join(k for k in KEY_ORDER if k in known), ', '.join(known)))

    # -- application id ---------------------------------------------------------------------

    def check_id(self, data):
        app_id = data.get('id', data.get('app-id'))
        if not isinstance(app_id, str) or not app_id:
            self.error('appid-missing', 'no "id"')
            return
        stem = os.path.basename(self.path)
        for ext in ('.json', '.yaml', '.yml'):
            if stem.endswith(ext):
                stem = stem[:-len(ext)]
        if stem != app_id:
            self.error('appid-filename-mismatch',
                       'the file is named %s but the id is %s'
                       % (os.path.basename(self.path), app_id))
        if len(app_id) > 255:
            self.error('appid-too-long', 'the id is longer than 255 characters')
        parts = app_id.split('.')
        if not 3 <= len(parts) <= 5:
            self.error('appid-component-count',
                       '%s has %d components; an id has 3 to 5' % (app_id, len(parts)))
        for part in parts:
            if not ID_COMPONENT.match(part):
                self.error('appid-invalid-component',
                           'component "%s" must start with a letter or _ and contain only '
                           'letters, digits, _ and -' % part)
        if any('-' in part for part in parts[:-1]):
            self.error('appid-dash-not-last', 'a dash may only appear in the last component')
        if app_id.lower().endswith('.desktop'):
            self.error('appid-ends-with-desktop', 'the id must not end in .desktop')
        if app_id.startswith('org.gnome.'):
            self.error('appid-reserved-org-gnome',
                       'org.gnome.* is reserved for applications registered with GNOME')
        if app_id.startswith(OLD_CODE_HOSTS):
            self.error('appid-code-hosting-domain',
                       'code-hosting ids start with io.github. / io.gitlab. (reversed host), '
                       'not %s.%s.' % (parts[0], parts[1]))
        if app_id.startswith(CODE_HOSTS) and len(parts) < 4:
            self.error('appid-code-hosting-too-few-components',
                       '%s must be %s<user>.<repo>' % (app_id, '.'.join(parts[:2]) + '.'))

    # -- runtime, command, top level --------------------------------------------------------

    def check_runtime(self, data):
        if data.get('runtime') != RUNTIME:
            self.error('runtime-not-gnome', 'runtime must be %s, not %r'
                       % (RUNTIME, data.get('runtime')))
        if data.get('sdk') != SDK:
            self.error('sdk-not-gnome', 'sdk must be %s, not %r' % (SDK, data.get('sdk')))
        version = data.get('runtime-version')
        if not isinstance(version, str) or not re.match(r'^[0-9]+(\.[0-9]+)?$', version):
            self.error('runtime-version-not-numeric',
                       'runtime-version must be a released version such as "50", not %r'
                       % (version,))

    def check_command(self, data):
        command = data.get('command')
        if not isinstance(command, str) or not command:
            self.error('toplevel-no-command', 'no "command"')
            return
        if '/' in command:
            self.error('toplevel-command-is-path',
                       'command must be a binary name in /app/bin, not a path: %s' % command)
            return
        self.check_command_installed(command)

    def check_command_installed(self, command):
        """The command must be an executable() that the project installs in bindir."""
        calls = list(find_executable_calls(self.source_root, command))
        if not calls:
            self.error('command-not-built',
                       'no meson.build under %s builds executable(\'%s\', …); the command must '
                       'be a binary the project installs' % (self.source_root, command))
            return
        installed = [(p, c) for p, c in calls if re.search(r'\binstall\s*:\s*true\b', c)]
        if not installed:
            self.error('command-not-installed',
                       'executable(\'%s\') in %s is not installed (install: true)'
                       % (command, calls[0][0]))
            return
        for path, call in installed:
            m = re.search(r'\binstall_dir\s*:\s*([^,)]+)', call)
            if m and 'bindir' not in m.group(1):
                self.error('command-not-in-bindir',
                           'executable(\'%s\') in %s is installed in %s; Flatpak looks the '
                           'command up in /app/bin' % (command, path, m.group(1).strip()))

    def check_toplevel(self, data):
        for key in ('branch', 'default-branch'):
            if key in data:
                self.error('toplevel-no-branch',
                           '"%s" must not be set: Flathub chooses the branch' % key)
        if 'app-id' in data:
            self.error('toplevel-app-id', 'use "id", not the older "app-id"')

    def check_build_options(self, options, where):
        if options is None:
            return
        if not isinstance(options, dict):
            self.error('build-options-invalid', '%s: build-options must be an object' % where)
            return
        candidates = [options]
        for arch in (options.get('arch') or {}).values():
            if isinstance(arch, dict):
                candidates.append(arch)
        for opts in candidates:
            for arg in opts.get('build-args') or []:
                if isinstance(arg, str) and arg.startswith('--share=network'):
                    self.error('build-args-network',
                               '%s: the build must not have network access (%s)' % (where, arg))

    # -- finish-args ------------------------------------------------------------------------

    def check_finish_args(self, data):
        args = data.get('finish-args', [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            self.error('finish-args-invalid', 'finish-args must be a list of strings')
            return
        seen = set()
        for arg in args:
            if arg in seen:
                self.error('finish-args-duplicate', 'listed twice: %s' % arg)
            seen.add(arg)
            if not FINISH_ARG.match(arg):
                self.error('finish-args-malformed',
                           '%r is not of the form --option or --option=value' % arg)

        sockets = {a.split('=', 1)[1] for a in args if a.startswith('--socket=')}
        shares = {a.split('=', 1)[1] for a in args if a.startswith('--share=')}
        if 'x11' in sockets and 'wayland' in sockets:
            self.error('finish-args-contains-both-x11-and-wayland',
                       'use --socket=fallback-x11 with --socket=wayland, not x11')
        if 'x11' in sockets and 'fallback-x11' in sockets:
            self.error('finish-args-contains-both-x11-and-fallback',
                       'x11 and fallback-x11 together make no sense')
        if 'fallback-x11' in sockets and 'wayland' not in sockets:
            self.error('finish-args-fallback-x11-without-wayland',
                       '--socket=fallback-x11 needs --socket=wayland')
        if ('fallback-x11' in sockets or 'x11' in sockets) and 'ipc' not in shares:
            self.error('finish-args-x11-without-ipc',
                       'X11 access needs --share=ipc')
        if 'wayland' in sockets and not {'x11', 'fallback-x11'} & sockets:
            self.error('finish-args-only-wayland',
                       '--socket=wayland alone: add --socket=fallback-x11 (and --share=ipc)')
        for bus in ('session-bus', 'system-bus'):
            if bus in sockets:
                self.error('finish-args-arbitrary-dbus-access',
                           '--socket=%s gives unfiltered D-Bus access' % bus)

        for arg in args:
            option, _, value = arg.partition('=')
            if option in ('--filesystem', '--nofilesystem'):
                self.check_filesystem(arg, value)
            elif option in ('--talk-name', '--own-name', '--system-talk-name'):
                if value.startswith('org.freedesktop.portal.'):
                    self.error('finish-args-portal-%s' % option[2:],
                               '%s: portals are reachable without permission' % arg)
                elif value in ('org.freedesktop.Secrets', 'org.freedesktop.secrets'):
                    self.error('finish-args-secret-service',
                               '%s: libsecret goes through the Secret portal; no talk-name' % arg)
                elif value == 'org.freedesktop.Flatpak':
                    self.error('finish-args-flatpak-spawn-access',
                               '%s lets the app run anything on the host' % arg)

        self.check_justified(args)

    def check_filesystem(self, arg, value):
        base = re.sub(r':(ro|rw|create)$', '', value)
        bare = base.rstrip('/') or '/'
        if bare in FORBIDDEN_FILESYSTEMS:
            self.error('finish-args-broad-filesystem',
                       '%s exposes %s; share only the paths needed'
                       % (arg, FORBIDDEN_FILESYSTEMS[bare]))
        elif bare.startswith(('home/', 'host/', 'host-os/', 'host-etc/')):
            self.error('finish-args-broad-filesystem', '%s: use ~/… or xdg-… paths' % arg)
        elif bare in ('~/.var/app', '~/.local', '~/.config', '~/.local/share', '~/.cache'):
            self.error('finish-args-broad-filesystem', '%s is too broad' % arg)

    def check_justified(self, args):
        texts = []
        for path in self.justification_files:
            try:
                with open(path, encoding='utf-8') as f:
                    texts.append(f.read())
            except OSError:
                pass
        if not texts:
            self.error('finish-args-no-justification',
                       'none of %s exists to justify the finish-args'
                       % ', '.join(self.justification_files))
            return
        text = '\n'.join(texts)
        for arg in args:
            if '`%s`' % arg not in text:
                self.error('finish-args-unjustified',
                           '%s is not justified (no `%s` in %s)'
                           % (arg, arg, ' or '.join(os.path.basename(p)
                                                    for p in self.justification_files)))

    # -- modules ----------------------------------------------------------------------------

    def check_modules(self, data):
        modules = data.get('modules')
        if not isinstance(modules, list) or not modules:
            self.error('modules-missing', 'no "modules"')
            return
        if len(modules) != 1:
            self.error('modules-not-one',
                       'expected exactly one module (everything else is in the GNOME '
                       'runtime), found %d' % len(modules))
        for index, module in enumerate(modules):
            self.check_module(module, 'modules[%d]' % index)

    def check_module(self, module, where):
        if not isinstance(module, dict):
            self.error('module-not-inline', '%s must be an inline object' % where)
            return
        name = module.get('name')
        where = '%s (%s)' % (where, name)
        if name != MODULE_NAME:
            self.error('module-name', '%s: the module must be named %s' % (where, MODULE_NAME))
        if module.get('buildsystem') != 'meson':
            self.error('module-buildsystem',
                       '%s: buildsystem must be meson, not %r' % (where, module.get('buildsystem')))
        opts = module.get('config-opts') or []
        if any(isinstance(o, str) and o.startswith('-Dprofile=') and o != '-Dprofile=default'
               for o in opts):
            self.error('module-profile', '%s: the published build uses -Dprofile=default' % where)
        if module.get('modules'):
            self.error('modules-not-one', '%s has nested modules' % where)
            for index, sub in enumerate(module['modules']):
                self.check_module(sub, '%s.modules[%d]' % (where, index))
        self.check_build_options(module.get('build-options'), where)
        sources = module.get('sources')
        if not isinstance(sources, list) or not sources:
            self.error('module-no-sources', '%s has no sources' % where)
            return
        for index, source in enumerate(sources):
            self.check_source(source, '%s.sources[%d]' % (where, index))

    def check_source(self, source, where):
        if not isinstance(source, dict):
            self.error('source-not-inline', '%s must be an inline object' % where)
            return
        kind = source.get('type')
        if kind == 'git':
            if 'branch' in source:
                self.error('module-source-git-branch', '%s: use a tag and commit, never a branch'
                           % where)
            commit = source.get('commit')
            if not isinstance(commit, str) or not HEX40.match(commit):
                self.error('module-source-git-no-commit',
                           '%s: a git source needs "commit" (40 hex digits)' % where)
            if 'url' not in source:
                self.error('module-source-git-no-url', '%s: a git source needs "url"' % where)
        elif kind in ('archive', 'file'):
            for weak in ('md5', 'sha1'):
                if weak in source:
                    self.error('module-source-weak-checksum',
                               '%s: %s is not accepted; use sha256' % (where, weak))
            checksum = source.get('sha256')
            if not isinstance(checksum, str) or not HEX64.match(checksum):
                self.error('module-source-no-sha256',
                           '%s: an %s source needs "sha256"' % (where, kind))
            if 'url' not in source and 'path' not in source:
                self.error('module-source-no-url', '%s needs "url"' % where)
        elif kind == 'dir':
            # Accepted here, rejected by Flathub's pipeline (its manifest uses git/archive).
            path = source.get('path')
            if not isinstance(path, str):
                self.error('module-source-dir-no-path', '%s: a dir source needs "path"' % where)
            else:
                full = os.path.normpath(os.path.join(os.path.dirname(self.path), path))
                if not os.path.isfile(os.path.join(full, 'meson.build')):
                    self.error('module-source-dir-not-project',
                               '%s: %s has no meson.build' % (where, full))
        else:
            self.error('module-source-type', '%s: unexpected source type %r' % (where, kind))


def strip_meson_comments(text):
    out = []
    for line in text.splitlines():
        quote = False
        for i, ch in enumerate(line):
            if ch == "'":
                quote = not quote
            elif ch == '#' and not quote:
                line = line[:i]
                break
        out.append(line)
    return '\n'.join(out)


def find_executable_calls(root, name):
    """Yield (path, text of the call) for every executable('name', …) under root."""
    skip = {'.git', 'subprojects', '_flatpak', '.flatpak-builder', '_build', 'build', 'builddir'}
    pattern = re.compile(r'\bexecutable\s*\(\s*[\'"]%s[\'"]' % re.escape(name))
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip]
        if 'meson.build' not in filenames:
            continue
        path = os.path.join(dirpath, 'meson.build')
        with open(path, encoding='utf-8', errors='replace') as f:
            text = strip_meson_comments(f.read())
        for m in pattern.finditer(text):
            depth = 0
            end = len(text) - 1
            for end in range(text.index('(', m.start()), len(text)):
                if text[end] == '(':
                    depth += 1
                elif text[end] == ')':
                    depth -= 1
                    if depth == 0:
                        break
            yield os.path.relpath(path, root), text[m.start():end + 1]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('manifest')
    parser.add_argument('--source-root',
                        help='the project tree (default: the folder above the manifest\'s)')
    parser.add_argument('--justification', action='append', default=None,
                        help='a file justifying the finish-args (default: README.md at the '
                             'source root)')
    args = parser.parse_args(argv)

    manifest = os.path.abspath(args.manifest)
    source_root = os.path.abspath(args.source_root or
                                  os.path.join(os.path.dirname(manifest), '..'))
    justification = args.justification or [os.path.join(source_root, 'README.md')]
    errors = Checker(manifest, source_root, justification).run()
    for line in errors:
        print(line)
    if errors:
        print('%d problem(s) in %s' % (len(errors), manifest))
        return 1
    print('OK: %s' % manifest)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
