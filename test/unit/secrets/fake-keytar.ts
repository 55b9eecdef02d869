// A stand-in for the keytar module, injected through the store's loader. It behaves the way libsecret was seen to
// behave against gnome-keyring: a locked collection answers reads with null and refuses writes with its own
// words; other failures reject every call with the message the real stack prints; "hang" never answers until
// released, like a call waiting on an unlock prompt.

import type { KeytarModule } from '../../../electron/core/kernel/secrets/keytar-store';

export type FakeMode = { kind: 'ok' } | { kind: 'locked' } | { kind: 'error'; message: string } | { kind: 'hang' };

export interface FakeCall {
  op: 'get' | 'set' | 'delete';
  service: string;
  account: string;
}

export const MESSAGES = {
  noDaemon: 'The name org.freedesktop.secrets was not provided by any .service files',
  noDaemonFind:
    'GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files',
  daemonLost: 'The name :1.1 was not provided by any .service files',
  sessionGone: 'The session wrapping the secret does not exist',
  noDbusX11: 'Cannot autolaunch D-Bus without X11 $DISPLAY',
  noDbusSpawn:
    'Error spawning command line “dbus-launch --autolaunch=3d1219c7c4c5404aaa1f6d2a48adfda4 --binary-syntax --close-stderr”: Child process exited with code 1',
  noDbusSocket: 'Could not connect: No such file or directory',
  noDbusEmpty: 'The given address is empty',
  noDbusGarbage: 'Address element “garbage” does not contain a colon (:)',
  busClosed: 'The connection is closed',
  lockedCollection: 'Cannot create an item in a locked collection',
  noLoginCollection: 'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
  promptDismissed: 'The prompt was dismissed',
  activationTimeout: 'Error calling StartServiceByName for org.freedesktop.secrets: Timeout was reached',
  macInteraction: 'User interaction is not allowed.',
  macCanceled: 'User canceled the operation.',
  winBadData: 'The stub received bad data.',
} as const;

export class FakeKeytar {
  readonly items = new Map<string, string>();
  readonly calls: FakeCall[] = [];
  mode: FakeMode = { kind: 'ok' };
  /** Milliseconds every answer takes, to make overlapping calls observable. */
  delayMs = 0;
  private hung: (() => void)[] = [];
  inFlight = 0;
  maxInFlightPerAccount = new Map<string, number>();
  private inFlightPerAccount = new Map<string, number>();

  static key(service: string, account: string): string {
    return `${service}\u0000${account}`;
  }

  value(service: string, account: string): string | undefined {
    return this.items.get(FakeKeytar.key(service, account));
  }

  accounts(service: string): string[] {
    const prefix = `${service}\u0000`;
    return [...this.items.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length))
      .sort();
  }

  /** Lets every hung call finish (with the mode that is current at release time). */
  releaseHung(): void {
    const hung = this.hung;
    this.hung = [];
    for (const release of hung) release();
  }

  get hungCount(): number {
    return this.hung.length;
  }

  module(): KeytarModule {
    return {
      getPassword: (service, account) =>
        this.run(
          { op: 'get', service, account },
          () => this.items.get(FakeKeytar.key(service, account)) ?? null,
          () => null,
        ),
      setPassword: (service, account, password) =>
        this.run(
          { op: 'set', service, account },
          () => {
            this.items.set(FakeKeytar.key(service, account), password);
          },
          () => {
            throw new Error(MESSAGES.lockedCollection);
          },
        ),
      deletePassword: (service, account) =>
        this.run(
          { op: 'delete', service, account },
          () => this.items.delete(FakeKeytar.key(service, account)),
          () => false,
        ),
    };
  }

  /** A loader for the store: resolves like `await import('keytar')` does for a CommonJS module. */
  loader(): () => Promise<unknown> {
    return async () => ({ default: this.module() });
  }

  private async run<T>(call: FakeCall, ok: () => T, whenLocked: () => T): Promise<T> {
    this.calls.push(call);
    this.inFlight++;
    const n = (this.inFlightPerAccount.get(call.account) ?? 0) + 1;
    this.inFlightPerAccount.set(call.account, n);
    this.maxInFlightPerAccount.set(call.account, Math.max(n, this.maxInFlightPerAccount.get(call.account) ?? 0));
    try {
      if (this.mode.kind === 'hang') await new Promise<void>((resolve) => this.hung.push(resolve));
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const mode = this.mode;
      if (mode.kind === 'error') throw new Error(mode.message);
      return mode.kind === 'locked' ? whenLocked() : ok();
    } finally {
      this.inFlight--;
      this.inFlightPerAccount.set(call.account, (this.inFlightPerAccount.get(call.account) ?? 1) - 1);
    }
  }
}
