#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Debian's real Thunderbird on profiles that Mailmend repaired, printed as TAP.

For each case: copies a fixture home into a temporary folder, runs `mailmend repair --all --yes`
on it, checks that the profiles it must refuse are left byte for byte, starts Thunderbird
headless and offline on the repaired profile, asks Thunderbird itself (over Marionette, its
remote-control protocol) which accounts it loaded and how it signs in to each server, makes it
quit the normal way, then reads prefs.js and `mailmend scan` again.

Skips outside the test rig and when Thunderbird is not installed (tests/clients/README.md).

Usage: test-thunderbird.py FIXTURE-HOMES
  MAILMEND_CLI   the mailmend command under test
  THUNDERBIRD    the Thunderbird to start (default: thunderbird on PATH)
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

START_TIMEOUT_S = 120     # about 4 s here; a cold start on a busy machine takes longer
QUIT_TIMEOUT_S = 60
AUTH_OAUTH2 = 10          # nsMsgAuthMethod.OAuth2
AUTH_DEFAULT = 3          # what an absent authMethod means

# (name, fixture home, the profile folder inside it that Thunderbird runs on, {profile folder:
# the finding} for the profiles whose accounts the repair must skip, leaving every byte)
CASES = [
    # Thunderbird 128: seven accounts (Microsoft 365 and Outlook.com IMAP, Gmail, POP, news,
    # feeds, Local Folders). The Thunderbird 115 profile's imap-mail.outlook.com and
    # pop-mail.outlook.com would have to become outlook.office365.com, which only Thunderbird
    # itself does safely.
    ('native', 'thunderbird-native', '.thunderbird/k3v9x2ab.default-release',
     {'.thunderbird/m7q2w8cd.work': 'host-change-needed'}),
    # No version known (taken for a recent one): outlook.office365.com and smtp-mail.outlook.com
    # keep their names, a user.js sets authMethod. Thunderbird 91's imap-mail.outlook.com,
    # whose identities and filters name its folders, is skipped.
    ('legacy-host', 'thunderbird-legacy-host', '.thunderbird/nover000.default',
     {'.thunderbird/leg91abc.default': 'host-change-needed'}),
]

# Runs in Thunderbird's chrome context: what its account manager loaded, and whether its own
# list of OAuth2 providers knows each host (without that, authMethod 10 cannot sign in).
QUERY_SCRIPT = """
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const { OAuth2Providers } =
  ChromeUtils.importESModule("resource:///modules/OAuth2Providers.sys.mjs");
const provider = (host, type) => !!OAuth2Providers.getHostnameDetails(host, type);
const incoming = MailServices.accounts.accounts.map(account => {
  const server = account.incomingServer;
  const host = server.hostname ?? server.hostName;
  const mail = server.type == "imap" || server.type == "pop3";
  return { branch: `mail.server.${server.key}`, type: server.type, host,
           username: server.username, authMethod: server.authMethod,
           oauthProvider: mail ? provider(host, server.type) : null };
});
const outgoing = (MailServices.outgoingServer ?? MailServices.smtp).servers.map(server => {
  const host = server.hostname ?? server.serverURI.host;
  return { branch: `mail.smtpserver.${server.key}`, type: "smtp", host,
           username: server.username, authMethod: server.authMethod,
           oauthProvider: provider(host, "smtp") };
});
return { version: Services.appinfo.version, offline: Services.io.offline,
         servers: incoming.concat(outgoing) };
"""

PREF_LINE = re.compile(r'^\s*user_pref\(("(?:[^"\\]|\\.)*")\s*,\s*(.*)\);\s*$')
LOG_NOISE = re.compile(r'Gtk-CRITICAL|gtk_icon_theme|^\s*$')


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = False

    def check(self, description, problems, todo=None):
        """problems: what went wrong, empty when the check passed."""
        self.count += 1
        directive = f' # TODO {todo}' if todo else ''
        print(f"{'not ok' if problems else 'ok'} {self.count} - {description}{directive}",
              flush=True)
        for problem in problems:
            self.diag(problem)
        if problems and not todo:
            self.failed = True

    @staticmethod
    def diag(text):
        for line in str(text).splitlines():
            print(f'# {line}', flush=True)


class MarionetteError(Exception):
    pass


class Marionette:
    """The few commands of Marionette's protocol 3 that the test needs: LENGTH:JSON packets,
    commands [0, id, name, parameters], answers [1, id, error, result]."""

    def __init__(self, port):
        self.socket = socket.create_connection(('127.0.0.1', port), timeout=START_TIMEOUT_S)
        self.buffer = b''
        self.last_id = 0
        hello = self._receive()
        if hello.get('marionetteProtocol') != 3:
            raise MarionetteError(f'unexpected greeting {hello}')

    def _receive(self):
        while b':' not in self.buffer:
            self._read()
        length, self.buffer = self.buffer.split(b':', 1)
        while len(self.buffer) < int(length):
            self._read()
        packet, self.buffer = self.buffer[:int(length)], self.buffer[int(length):]
        return json.loads(packet)

    def _read(self):
        data = self.socket.recv(65536)
        if not data:
            raise MarionetteError('Thunderbird closed the connection')
        self.buffer += data

    def command(self, name, parameters=None):
        self.last_id += 1
        data = json.dumps([0, self.last_id, name, parameters or {}]).encode()
        self.socket.sendall(str(len(data)).encode() + b':' + data)
        _, _, error, result = self._receive()
        if error:
            raise MarionetteError(f"{name}: {error.get('error')}: {error.get('message')}")
        return result

    def close(self):
        self.socket.close()


class Thunderbird:
    """One Thunderbird process on one profile, in a process group of its own."""

    def __init__(self, command, profile, env, log):
        self.profile = profile
        self.log = log
        self.port_file = os.path.join(profile, 'MarionetteActivePort')
        with open(log, 'wb') as log_file:
            # -offline: no connection, so no sign-in is asked for and nothing waits on
            # Microsoft.
            self.process = subprocess.Popen(
                [command, '--headless', '--no-remote', '--marionette',
                 '--remote-allow-system-access', '-offline', '--profile', profile],
                env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                start_new_session=True)

    def connect(self):
        """Waits for Marionette's port file and opens a chrome session."""
        deadline = time.monotonic() + START_TIMEOUT_S
        port = None
        while port is None:
            if self.process.poll() is not None:
                raise MarionetteError(f'Thunderbird exited with status {self.process.returncode}')
            if time.monotonic() > deadline:
                raise MarionetteError(f'no Marionette port after {START_TIMEOUT_S} s')
            try:
                with open(self.port_file, encoding='utf-8') as f:
                    port = int(f.read())
            except (FileNotFoundError, ValueError):
                time.sleep(0.2)
        marionette = Marionette(port)
        session = marionette.command('WebDriver:NewSession', {'capabilities': {}})
        if session['capabilities'].get('moz:profile') != self.profile:
            raise MarionetteError(f"port {port} is Thunderbird on "
                                  f"{session['capabilities'].get('moz:profile')}")
        marionette.command('Marionette:SetContext', {'value': 'chrome'})
        return marionette

    def quit(self, marionette):
        """Asks Thunderbird to quit as from its menu; returns its exit status."""
        marionette.command('Marionette:Quit', {'flags': ['eAttemptQuit']})
        marionette.close()
        return self.process.wait(timeout=QUIT_TIMEOUT_S)

    def kill(self):
        """Kills whatever is left in the process group that the test started."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def log_tail(self, lines=15):
        with open(self.log, encoding='utf-8', errors='replace') as f:
            return ''.join([line for line in f if not LOG_NOISE.search(line)][-lines:])


def read_prefs(path):
    """The user_pref() values of a prefs.js or user.js, as Python values."""
    prefs = {}
    if not os.path.exists(path):
        return prefs
    with open(path, encoding='utf-8') as f:
        for line in f:
            match = PREF_LINE.match(line)
            if match:
                prefs[json.loads(match.group(1))] = json.loads(match.group(2))
    return prefs


def effective_prefs(profile):
    """prefs.js with user.js over it, as Thunderbird reads them at start."""
    prefs = read_prefs(os.path.join(profile, 'prefs.js'))
    prefs.update(read_prefs(os.path.join(profile, 'user.js')))
    return prefs


def split_list(value):
    return [item for item in (value or '').split(',') if item]


def incoming_branches(prefs):
    servers = (prefs.get(f'mail.account.{account}.server')
               for account in split_list(prefs.get('mail.accountmanager.accounts')))
    return [f'mail.server.{server}' for server in servers if server]


def server_auth(prefs):
    """{pref branch: authMethod} of every incoming and outgoing server the profile lists."""
    branches = incoming_branches(prefs) + [f'mail.smtpserver.{server}' for server in
                                           split_list(prefs.get('mail.smtpservers'))]
    return {branch: prefs.get(f'{branch}.authMethod', AUTH_DEFAULT) for branch in branches}


def add_test_prefs(profile, prefs):
    """Settings for the test alone, at the end of user.js after the repair; the test checks
    none of them. Marionette on a free port (0), which it writes to MarionetteActivePort:
    other Thunderbirds on this machine keep 2828. No mail check: Thunderbird checks POP
    servers at start even offline, and its alert about an unreachable one, a modal window,
    holds the start-up back for good."""
    test_prefs = {'marionette.port': 0}
    for branch in incoming_branches(prefs):
        test_prefs[f'{branch}.login_at_startup'] = False
        test_prefs[f'{branch}.check_new_mail'] = False
    with open(os.path.join(profile, 'user.js'), 'a', encoding='utf-8') as f:
        for name, value in test_prefs.items():
            f.write(f'user_pref({json.dumps(name)}, {json.dumps(value)});\n')


def mailmend(env, *args):
    return subprocess.run([os.environ['MAILMEND_CLI'], *args], env=env, capture_output=True,
                          text=True, timeout=60)


def scan(env, profile):
    """`mailmend scan --json --all` entries of one profile, by id."""
    result = mailmend(env, 'scan', '--json', '--all')
    if result.returncode != 0:
        raise RuntimeError(f'mailmend scan: exit status {result.returncode}: {result.stderr}')
    return {entry['id']: entry for entry in json.loads(result.stdout)['accounts']
            if entry.get('profile') == profile}


def thunderbird_env(env, scratch):
    """The case's environment minus what is meant for the GLib programs under test:
    Thunderbird prints GTK criticals in headless mode, which G_DEBUG would make fatal."""
    tb_env = {name: value for name, value in env.items()
              if name not in ('G_DEBUG', 'G_ENABLE_DIAGNOSTIC', 'MALLOC_CHECK_', 'DISPLAY',
                              'WAYLAND_DISPLAY')}
    tb_env.update({'MOZ_CRASHREPORTER_DISABLE': '1', 'TMPDIR': scratch})
    return tb_env


def tree_bytes(folder):
    """{relative path: bytes} of every file under folder."""
    files = {}
    for root, _, names in os.walk(folder):
        for file_name in names:
            path = os.path.join(root, file_name)
            if not os.path.islink(path):
                with open(path, 'rb') as f:
                    files[os.path.relpath(path, folder)] = f.read()
    return files


def check_repair(tap, name, env, profile):
    """Repairs the copy; returns (the scan's Microsoft entries, the repair's JSON), or None when
    it failed."""
    result = mailmend(env, 'repair', '--all', '--yes', '--json')
    prefs_js = os.path.join(profile, 'prefs.js')
    problems = []
    output = None
    if result.returncode != 0:
        problems.append(f'exit status {result.returncode}: {result.stderr}')
    else:
        output = json.loads(result.stdout)
        if not any(prefs_js in change['files'] for change in output['applied']):
            problems.append(f'{prefs_js} is in no applied change: {result.stdout}')
    microsoft = [entry for entry in scan(env, profile).values() if entry['microsoft']]
    if not microsoft:
        problems.append('the profile has no Microsoft account')
    problems += [f"{entry['protocol']} {entry['username']}: auth {entry['auth']}"
                 for entry in microsoft if entry['auth'] != 'oauth2']
    tap.check(f'{name}: mailmend repairs the profile', problems)
    return None if problems else (microsoft, output)


def check_refused(tap, name, refused, output):
    """refused: {profile folder: (its scan entries, its files, the finding)} from before the
    repair. Each profile's accounts must be skipped, one at least with that finding, and every
    file of the profile must be as it was."""
    for folder, (entries, files, finding_id) in sorted(refused.items()):
        problems = []
        skipped = {finding['id'] for entry in output['skipped'] if entry['account_id'] in entries
                   for finding in entry['findings']}
        if finding_id not in skipped:
            problems.append(f'no account skipped with {finding_id}; findings {sorted(skipped)}')
        problems += [f"{change['account_id']} was repaired: {change['files']}"
                     for change in output['applied'] if change['account_id'] in entries]
        now = tree_bytes(folder)
        problems += [f'{path} changed' for path in sorted(set(files) | set(now))
                     if files.get(path) != now.get(path)]
        tap.check(f'{name}: mailmend skips {os.path.basename(folder)} with {finding_id} and '
                  'leaves every byte of it', problems)


def run_thunderbird(tap, name, command, profile, env, scratch):
    """Starts Thunderbird, reads its accounts, makes it quit; returns (what it loaded, its exit
    status), or None when it could not be done."""
    started = time.monotonic()
    log = os.path.join(scratch, 'thunderbird.log')
    try:
        thunderbird = Thunderbird(command, profile, thunderbird_env(env, scratch), log)
    except OSError as e:
        tap.check(f'{name}: Thunderbird starts', [e])
        return None
    try:
        marionette = thunderbird.connect()
        seen = marionette.command('WebDriver:ExecuteScript',
                                  {'script': QUERY_SCRIPT, 'args': []})['value']
        ready_s = time.monotonic() - started
        status = thunderbird.quit(marionette)
    except (OSError, MarionetteError, subprocess.TimeoutExpired) as e:
        tap.check(f'{name}: Thunderbird starts on the repaired profile, answers and quits',
                  [e, thunderbird.log_tail()])
        return None
    finally:
        thunderbird.kill()

    tap.check(f"{name}: Thunderbird {seen['version']} starts offline on the repaired profile",
              [] if seen['offline'] else ['Thunderbird was online'])
    tap.diag(f'ready in {ready_s:.1f} s, exited in {time.monotonic() - started:.1f} s')
    return seen, status


def run_case(tap, command, homes, name, home_name, profile_rel, refused_rel):
    with tempfile.TemporaryDirectory(prefix=f'mailmend-tb-{name}-') as scratch:
        home = os.path.join(scratch, 'home')
        shutil.copytree(os.path.join(homes, home_name), home, symlinks=True)
        profile = os.path.join(home, profile_rel)
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'),
                   XDG_DATA_HOME=os.path.join(home, '.local', 'share'),
                   XDG_CACHE_HOME=os.path.join(scratch, 'cache'),
                   XDG_STATE_HOME=os.path.join(scratch, 'state'))

        before = scan(env, profile)
        refused = {}
        for folder_rel, finding_id in refused_rel.items():
            folder = os.path.join(home, folder_rel)
            refused[folder] = (scan(env, folder), tree_bytes(folder), finding_id)
        repaired = check_repair(tap, name, env, profile)
        if repaired is None:
            return
        microsoft, output = repaired
        check_refused(tap, name, refused, output)
        expected = effective_prefs(profile)
        add_test_prefs(profile, expected)
        result = run_thunderbird(tap, name, command, profile, env, scratch)
        if result is None:
            return
        seen, status = result
        after = read_prefs(os.path.join(profile, 'prefs.js'))
        final = scan(env, profile)
        check_thunderbird(tap, name, microsoft, expected, seen)
        check_after_exit(tap, name, expected, seen, status, after, before, final, profile)


def check_thunderbird(tap, name, microsoft, expected, seen):
    servers = {server['branch']: server for server in seen['servers']}
    expected_auth = server_auth(expected)
    problems = []
    if set(servers) != set(expected_auth):
        problems.append(f'prefs.js lists {sorted(expected_auth)}, Thunderbird loaded '
                        f'{sorted(servers)}')
    problems += [f"{branch}: authMethod {servers[branch]['authMethod']} in Thunderbird, "
                 f'{expected_auth[branch]} in prefs.js'
                 for branch in sorted(set(servers) & set(expected_auth))
                 if servers[branch]['authMethod'] != expected_auth[branch]]
    tap.check(f'{name}: Thunderbird loads every account with the settings of prefs.js', problems)

    # What the scan calls oauth2 must be what Thunderbird does: authMethod 10 on a host that
    # its list of OAuth2 providers knows.
    problems = []
    for entry in microsoft:
        server = next((server for server in seen['servers']
                       if server['type'] == entry['protocol'] and
                       server['username'] == entry['username']), None)
        if server is None:
            problems.append(f"{entry['protocol']} {entry['username']}: not in Thunderbird")
        elif server['authMethod'] != AUTH_OAUTH2 or not server['oauthProvider']:
            problems.append(f"{entry['protocol']} {entry['username']}: authMethod "
                            f"{server['authMethod']} on {server['host']}, "
                            f"{'a' if server['oauthProvider'] else 'no'} known OAuth2 provider")
    tap.check(f'{name}: Thunderbird signs in with OAuth 2.0 to every Microsoft server', problems)


def check_after_exit(tap, name, expected, seen, status, after, before, final, profile):
    problems = []
    if status != 0:
        problems.append(f'exit status {status}')
    if os.path.exists(os.path.join(profile, 'MarionetteActivePort')):
        problems.append('MarionetteActivePort is still there: no normal shutdown')
    for key in ('mail.accountmanager.accounts', 'mail.smtpservers'):
        if split_list(after.get(key)) != split_list(expected.get(key)):
            problems.append(f'{key}: {after.get(key)!r}, was {expected.get(key)!r}')
    if server_auth(after) != server_auth(expected):
        problems.append(f'authMethod after exit {server_auth(after)}, before '
                        f'{server_auth(expected)}')
    tap.check(f'{name}: after a normal exit, prefs.js keeps every account and authMethod',
              problems)

    problems = []
    if set(final) != set(before):
        problems.append(f'accounts before the repair {sorted(before)}, after Thunderbird '
                        f'{sorted(final)}')
    for entry in (entry for entry in final.values() if entry['microsoft']):
        findings = [finding['id'] for finding in entry['findings']]
        if entry['auth'] != 'oauth2' or 'basic-auth' in findings:
            problems.append(f"{entry['protocol']} {entry['username']}: auth {entry['auth']}, "
                            f'findings {findings}')
        if entry['client_version'] != seen['version']:
            problems.append(f"version {entry['client_version']}, not {seen['version']}")
    tap.check(f'{name}: mailmend scan after Thunderbird: the same accounts, Microsoft ones on '
              'OAuth 2.0', problems)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not os.environ.get('MAILMEND_TEST_RIG'):
        print('1..0 # SKIP not in the test rig: run under tests/harness/session-run')
        return 0
    command = os.environ.get('THUNDERBIRD') or shutil.which('thunderbird')
    if not command:
        print('1..0 # SKIP thunderbird is not installed (MAILMEND_INSTALL_THUNDERBIRD=1 '
              'build-aux/setup-debian.sh)')
        return 0

    tap = Tap()
    for case in CASES:
        run_case(tap, command, sys.argv[1], *case)
    print(f'1..{tap.count}')
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
