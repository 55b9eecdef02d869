import { describe, expect, it } from 'vitest';
import { classifyKeychainError, isDaemonLost, remedyFor } from '../../../electron/core/kernel/secrets/classify';
import type { SecretFailureState } from '../../../electron/core/kernel/secrets/secret-store';
import { MESSAGES } from './fake-keytar';

describe('classifyKeychainError', () => {
  // Each message is what libsecret/GDBus, macOS or Windows printed (most reproduced against gnome-keyring here).
  const cases: [string, SecretFailureState][] = [
    [MESSAGES.noDaemon, 'no-daemon'],
    [MESSAGES.noDaemonFind, 'no-daemon'],
    [MESSAGES.daemonLost, 'no-daemon'],
    [MESSAGES.sessionGone, 'no-daemon'],
    [MESSAGES.noDbusX11, 'no-dbus'],
    [MESSAGES.noDbusSpawn, 'no-dbus'],
    [MESSAGES.noDbusSocket, 'no-dbus'],
    ['Could not connect: Connection refused', 'no-dbus'],
    [MESSAGES.noDbusEmpty, 'no-dbus'],
    [MESSAGES.noDbusGarbage, 'no-dbus'],
    [MESSAGES.busClosed, 'no-dbus'],
    [MESSAGES.lockedCollection, 'locked'],
    [MESSAGES.noLoginCollection, 'locked'],
    [MESSAGES.promptDismissed, 'locked'],
    ['Prompt was cancelled', 'locked'],
    [MESSAGES.macInteraction, 'locked'],
    [MESSAGES.macCanceled, 'locked'],
    ['The user name or passphrase you entered is not correct.', 'locked'],
    ['No keychain is available. You may need to restart your computer.', 'no-daemon'],
    [MESSAGES.activationTimeout, 'timeout'],
    ['Timeout was reached', 'timeout'],
    ["Cannot find module '../build/Release/keytar.node'", 'unavailable'],
    ['libsecret-1.so.0: cannot open shared object file: No such file or directory', 'unavailable'],
    ['The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115', 'unavailable'],
    [MESSAGES.winBadData, 'unknown'],
    ['something nobody has seen before', 'unknown'],
  ];

  it.each(cases)('%s → %s', (message, state) => {
    expect(classifyKeychainError(message)).toBe(state);
  });

  it('does not read "unlocked" as locked', () => {
    expect(classifyKeychainError('the collection was unlocked twice')).toBe('unknown');
  });

  it('recognises a daemon that went away mid-session (only an app restart reconnects libsecret)', () => {
    expect(isDaemonLost(MESSAGES.daemonLost)).toBe(true);
    expect(isDaemonLost(MESSAGES.sessionGone)).toBe(true);
    expect(isDaemonLost(MESSAGES.noDaemon)).toBe(false);
  });
});

describe('remedyFor', () => {
  const states: SecretFailureState[] = ['locked', 'no-daemon', 'no-dbus', 'unavailable', 'timeout', 'unknown'];
  const platforms: NodeJS.Platform[] = ['linux', 'darwin', 'win32'];

  it.each(platforms.flatMap((p) => states.map((s) => [p, s] as const)))('%s/%s says what to do and that secrets stay in memory', (p, s) => {
    const text = remedyFor(s, p);
    expect(text.length).toBeGreaterThan(40);
    expect(text).toMatch(/memory for this session only/);
    expect(text).toMatch(/never written to disk/);
  });

  it('words Linux remedies per case', () => {
    expect(remedyFor('no-daemon', 'linux')).toMatch(/gnome-keyring/);
    expect(remedyFor('no-daemon', 'linux')).toMatch(/KWallet/);
    expect(remedyFor('no-daemon', 'linux', MESSAGES.daemonLost)).toMatch(/restart TOC Console/);
    expect(remedyFor('no-dbus', 'linux')).toMatch(/D-Bus session/);
    expect(remedyFor('locked', 'linux')).toMatch(/[Uu]nlock/);
    expect(remedyFor('timeout', 'linux', '', 1500)).toMatch(/1\.5 s/);
    expect(remedyFor('unavailable', 'linux')).toMatch(/libsecret/);
  });

  it('uses the matching words on macOS and Windows', () => {
    expect(remedyFor('locked', 'darwin')).toMatch(/Keychain Access/);
    expect(remedyFor('timeout', 'darwin')).toMatch(/allow access/);
    expect(remedyFor('unknown', 'win32')).toMatch(/Credential Manager/);
    expect(remedyFor('locked', 'win32')).not.toMatch(/gnome-keyring|D-Bus/);
  });
});
