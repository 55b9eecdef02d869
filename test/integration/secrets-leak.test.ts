// Secrets through every path, against the real keychain (gnome-keyring on a private D-Bus): typed in the UI
// (connections.save, secrets.set), read from the environment, used for requests (basic, bearer, OAuth), echoed
// back by a hostile server in its error body. Afterwards nothing on disk (settings, audit log, workspace) and
// nothing in any contract response may contain a secret or its Authorization-header form.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import type { Core } from '../../electron/core/core';
import { createDirectBridge } from '../../electron/core/kernel/dispatch/direct-bridge';
import { openCoreSecretStore } from '../../electron/core/kernel/secrets/bootstrap';
import type { TocBridge } from '@shared/kernel/bridge';
import { json, startFixture } from '../helpers/http-fixture';
import type { Fixture } from '../helpers/http-fixture';
import { keyringToolsAvailable, startKeyring } from '../helpers/keyring';
import type { TestKeyring } from '../helpers/keyring';
import { scanForSecrets } from '../helpers/secret-scan';

const run = Math.random().toString(36).slice(2, 8);
const S = {
  uiToken: `ui-token-${run}-x9Q`,
  uiPassword: `ui-pass-${run}-k2W`,
  replaced: `replaced-${run}-m4Z`,
  envPassword: `env-pass-${run}-p7R`,
  provisionedToken: `prov-token-${run}-c3V`,
};
const allForms = (): string[] => {
  const out = Object.values(S);
  out.push(Buffer.from(`ops:${S.uiPassword}`).toString('base64'), Buffer.from(`ops:${S.envPassword}`).toString('base64'));
  return out;
};

let keyring: TestKeyring;
let fx: Fixture;
let core: Core;
let bridge: TocBridge;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-leak-'));
const responses: string[] = [];
const savedEnv: Record<string, string | undefined> = {};

async function call(method: string, args: unknown): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }> {
  const r = await bridge.invoke(method, args);
  responses.push(JSON.stringify(r));
  return r as { ok: boolean };
}

beforeAll(async () => {
  expect(keyringToolsAvailable(), 'gnome-keyring and dbus are needed (scripts/setup.sh)').toBe(true);
  keyring = await startKeyring();
  for (const k of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'LEAK_ENV_PASSWORD']) savedEnv[k] = process.env[k];
  process.env.DBUS_SESSION_BUS_ADDRESS = keyring.busAddress;
  delete process.env.DISPLAY;
  delete process.env.WAYLAND_DISPLAY;
  process.env.LEAK_ENV_PASSWORD = S.envPassword;

  fx = await startFixture();
  // A hostile server: it quotes the Authorization header it was sent in every error body.
  const echo = (status: number) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) =>
    json(res, status, { detail: `Invalid credentials: ${req.headers.authorization ?? 'none'}` });
  fx.route('/api/v1/status/buildinfo', echo(401));
  fx.route('/api/v2/ping/', (_q, res) => json(res, 200, { version: '24.6.1' }));
  fx.route('/api/v2/me/', echo(403));
  fx.route('/api/now/table/incident', echo(401));

  const ws = path.join(tmp, 'toc.yaml');
  mkdirSync(path.join(tmp, 'data'), { recursive: true });
  writeFileSync(
    ws,
    `name: Leak test
connections:
  - id: snow-env
    kind: servicenow
    name: ServiceNow (env)
    url: ${fx.url}
    auth: {type: basic, username: ops, password: {secret: {env: LEAK_ENV_PASSWORD}}}
  - id: prom-prov
    kind: prometheus
    name: Prometheus (provisioned keychain ref)
    url: ${fx.url}
    auth: {type: bearer, token: {secret: {keychain: prom-prov-token}}}
`,
  );
  const secrets = await openCoreSecretStore({ useKeychain: true });
  expect(secrets.store.status()).toMatchObject({ backend: 'keychain', state: 'ok' });
  core = await createCore({
    version: 'test',
    transport: 'direct',
    workspaceFile: ws,
    dataDir: path.join(tmp, 'data'),
    secrets: secrets.store,
    redact: secrets.redact,
    onSecretUsed: secrets.remember,
    validateOutput: true,
  });
  bridge = createDirectBridge(core.dispatcher);
});

afterAll(async () => {
  await core?.dispose();
  await fx?.close();
  await keyring?.stop();
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('secrets never leave the keychain and main', () => {
  it('stores UI-typed secrets in the keychain, uses every secret for requests, and quotes no secret back', async () => {
    expect(
      (
        await call('connections.save', {
          spec: {
            id: 'prom-ui',
            kind: 'prometheus',
            name: 'UI',
            url: fx.url,
            auth: { type: 'bearer', token: { secret: { keychain: 'x' } } },
          },
          secrets: { token: S.uiToken },
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await call('connections.save', {
          spec: {
            id: 'awx-ui',
            kind: 'awx',
            name: 'AWX UI',
            url: fx.url,
            auth: { type: 'basic', username: 'ops', password: { secret: { keychain: 'x' } } },
          },
          secrets: { password: S.uiPassword },
        })
      ).ok,
    ).toBe(true);
    expect((await call('connections.setSecret', { connectionId: 'prom-prov', field: 'token', value: S.provisionedToken })).ok).toBe(true);
    expect((await call('connections.setSecret', { connectionId: 'prom-ui', field: 'token', value: S.replaced })).ok).toBe(true);
    expect((await call('connections.setSecret', { connectionId: 'prom-ui', field: 'token', value: S.uiToken })).ok).toBe(true);

    // each probe sends the secret to the hostile server, which echoes it in its error body
    for (const id of ['prom-ui', 'awx-ui', 'prom-prov', 'snow-env']) {
      const r = await call('connections.test', { id });
      expect(r.ok).toBe(true);
      const probe = r.data as { ok: boolean; steps: { message: string }[] };
      expect(probe.ok).toBe(false);
      expect(probe.steps.some((s) => s.message.includes('Invalid credentials'))).toBe(true);
    }
    // the echo really carried the secrets: the server saw them
    expect(fx.hits.some((h) => h.headers.authorization === `Bearer ${S.uiToken}`)).toBe(true);
    expect(fx.hits.some((h) => h.headers.authorization === `Bearer ${S.provisionedToken}`)).toBe(true);
    expect(fx.hits.some((h) => h.headers.authorization === `Basic ${Buffer.from(`ops:${S.envPassword}`).toString('base64')}`)).toBe(true);

    for (const m of [
      'connections.list',
      'connections.health',
      'connections.secretStatus',
      'activity.list',
      'settings.get',
      'app.workspaceProblems',
      'app.info',
    ]) {
      expect((await call(m, {})).ok).toBe(true);
    }
    const leaked = responses.filter((r) => allForms().some((s) => r.includes(s)));
    expect(leaked).toEqual([]);
  });

  it('wrote nothing secret to disk: settings, audit log, workspace folder', async () => {
    const audit = await core.services.audit.list();
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['connections.save', 'connections.secret.set']));
    expect(await scanForSecrets(tmp, allForms())).toEqual([]);
  });

  it('kept them in the keychain, one account per connection and field', async () => {
    const keytar = ((await import('keytar')) as unknown as { default: { getPassword(s: string, a: string): Promise<string | null> } })
      .default;
    expect(await keytar.getPassword('com.tocconsole.app', 'prom-ui:token')).toBe(S.uiToken);
    expect(await keytar.getPassword('com.tocconsole.app', 'awx-ui:password')).toBe(S.uiPassword);
    expect(await keytar.getPassword('com.tocconsole.app', 'prom-prov-token')).toBe(S.provisionedToken);
    expect((await call('connections.remove', { id: 'awx-ui' })).ok).toBe(true);
    expect(await keytar.getPassword('com.tocconsole.app', 'awx-ui:password')).toBeNull();
  });
});
