// Runs one keychain scenario in a fresh process (see keyring.ts for why): reads a ChildPlan as the first stdin
// line, opens the store exactly as the app does, runs the steps and prints one JSON line per event on stdout, a
// pipe to the parent test. Values read back travel only on that pipe; nothing here writes a file.

import { createInterface } from 'node:readline';
import { openSecretStore } from '../../electron/core/kernel/secrets/resilient-store';
import { KEYCHAIN_SERVICE, type SecretStatus } from '../../electron/core/kernel/secrets/secret-store';
import { KeychainError } from '../../electron/core/kernel/secrets/keytar-store';
import { ContractFailure } from '@shared/kernel/result';
import type { ChildPlan, ChildStep, ChildStepResult } from './keyring';

function out(msg: unknown): void {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
}

const lines = createInterface({ input: process.stdin });
const queue: string[] = [];
const waiters: ((line: string | null) => void)[] = [];
lines.on('line', (l) => {
  const w = waiters.shift();
  if (w) w(l);
  else queue.push(l);
});
lines.on('close', () => {
  for (const w of waiters.splice(0)) w(null);
});
function nextLine(): Promise<string | null> {
  const l = queue.shift();
  if (l !== undefined) return Promise.resolve(l);
  return new Promise((resolve) => waiters.push(resolve));
}

function errorOf(e: unknown): NonNullable<ChildStepResult['error']> {
  if (e instanceof KeychainError) return { name: e.name, code: e.code, state: e.state, message: e.message };
  if (e instanceof ContractFailure) return { name: e.name, code: e.code, message: e.message };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'unknown', message: String(e) };
}

async function main(): Promise<void> {
  const first = await nextLine();
  if (first === null) throw new Error('no plan on stdin');
  const plan = JSON.parse(first) as ChildPlan;
  const service = plan.service ?? KEYCHAIN_SERVICE;

  const t0 = Date.now();
  const store = await openSecretStore({
    service,
    ...(plan.timeoutMs !== undefined ? { timeoutMs: plan.timeoutMs } : {}),
    log: (log) => out({ kind: 'log', log }),
  });
  out({ kind: 'opened', status: store.status(), ms: Date.now() - t0 });
  store.onStatusChange((status: SecretStatus) => out({ kind: 'event', status }));

  for (const step of plan.steps) {
    const started = Date.now();
    const result: ChildStepResult = { op: step.op, ok: true, status: store.status(), ms: 0 };
    if ('account' in step) result.account = step.account;
    try {
      result.result = await run(step, store, service);
    } catch (e) {
      result.ok = false;
      result.error = errorOf(e);
    }
    result.status = store.status();
    result.ms = Date.now() - started;
    out({ kind: 'step', step: result });
  }
}

async function run(step: ChildStep, store: Awaited<ReturnType<typeof openSecretStore>>, service: string): Promise<unknown> {
  switch (step.op) {
    case 'set':
      await store.set(step.account, step.value);
      return null;
    case 'get':
      return await store.get(step.account);
    case 'has':
      return await store.has(step.account);
    case 'delete':
      return await store.delete(step.account);
    case 'retry':
      return await store.retry();
    case 'status':
      return store.status();
    case 'pause':
      out({ kind: 'paused' });
      await nextLine();
      return null;
    case 'accounts': {
      const mod = (await import('keytar')) as unknown as { default: { findCredentials(s: string): Promise<{ account: string }[]> } };
      const creds = await mod.default.findCredentials(service);
      return creds.map((c) => c.account).sort();
    }
  }
}

main().then(
  () => {
    out({ kind: 'done' });
    // Exit explicitly: a timed-out keychain call may still hold a thread. Even so, Node joins its thread pool on
    // exit, so exit waits until libsecret gives up on the call (GDBus's 25 s); the parent does not wait for that.
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
