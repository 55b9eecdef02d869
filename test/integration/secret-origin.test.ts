// A secret belongs to the origin it was entered for. What a page (or anyone holding the serve token) can do
// through the contract — save a connection with a new URL that names an environment variable or another
// connection's keychain account, then test it — must send no secret to the new host. The hostile upstream
// records every credential it received.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import type { Core } from '../../electron/core/core';
import { openCoreSecretStore } from '../../electron/core/kernel/secrets/bootstrap';
import { coreCalls } from '../helpers/core-calls';
import type { CoreCalls } from '../helpers/core-calls';
import { startHostileServer } from '../sim/hostile/server';
import type { HostileServer } from '../sim/hostile/server';

const run = Math.random().toString(36).slice(2, 8);
const ENV_TOKEN = `env-token-${run}`;
const PROV_TOKEN = `prov-token-${run}`;
const UI_TOKEN = `ui-token-${run}`;
const ALL = [ENV_TOKEN, PROV_TOKEN, UI_TOKEN];

let home: HostileServer; // where the secrets were entered
let evil: HostileServer; // another origin
let core: Core;
let c: CoreCalls;
let dir: string;
let config: string;

const workspace = (provUrl: string): string => `name: Origins
connections:
  - {id: prom-env, kind: prometheus, name: Prometheus env, url: "${home.url}", auth: {type: bearer, token: {secret: {env: ORIGIN_TEST_TOKEN}}}}
  - {id: snow-oauth, kind: servicenow, name: ServiceNow OAuth, url: "${home.url}",
     auth: {type: oauth, clientId: toc, clientSecret: {secret: {env: ORIGIN_TEST_TOKEN}}, username: ops, password: {secret: {env: ORIGIN_TEST_TOKEN}}}}
  - {id: prom-prov, kind: prometheus, name: Prometheus keychain, url: "${provUrl}", auth: {type: bearer, token: {secret: {keychain: prov-token}}}}
`;

const secretsAt = (s: HostileServer): string[] => ALL.filter((t) => s.credentialsReceived().some((c) => c.includes(t)));

beforeAll(async () => {
  home = await startHostileServer({ mode: { kind: 'ok' } });
  evil = await startHostileServer({ mode: { kind: 'echo', status: 401 } });
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-origin-'));
  config = path.join(dir, 'toc.yaml');
  writeFileSync(config, workspace(home.url));
  const secrets = await openCoreSecretStore({ useKeychain: false });
  core = await createCore({
    version: 'test',
    transport: 'direct',
    workspaceFile: config,
    dataDir: path.join(dir, 'data'),
    secrets: secrets.store,
    env: { ORIGIN_TEST_TOKEN: ENV_TOKEN },
    validateOutput: true,
  });
  c = coreCalls(core);
  await c.ok('connections.setSecret', { connectionId: 'prom-prov', field: 'token', value: PROV_TOKEN });
  await c.ok('connections.save', {
    spec: { id: 'prom-ui', kind: 'prometheus', name: 'UI', url: home.url, auth: { type: 'bearer', token: { secret: { keychain: 'x' } } } },
    secrets: { token: UI_TOKEN },
  });
  // every secret works where it was entered
  for (const id of ['prom-env', 'prom-prov', 'prom-ui']) expect((await c.ok('connections.test', { id })).ok).toBe(true);
  expect(secretsAt(home).sort()).toEqual([...ALL].sort());
});

afterAll(async () => {
  await core?.dispose();
  await home?.close();
  await evil?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bearerTo = (id: string, url: string, secret: { env: string } | { keychain: string }) => ({
  spec: { id, kind: 'prometheus' as const, name: id, url, auth: { type: 'bearer' as const, token: { secret } } },
});

describe('a secret belongs to the origin it was entered for', () => {
  it('the contract cannot name an environment variable: save is refused and nothing is sent', async () => {
    const e = await c.err('connections.save', bearerTo('steal-env', evil.url, { env: 'ORIGIN_TEST_TOKEN' }));
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(/environment variable/i);
    expect(e.message).toMatch(/workspace file/i);
    await c.call('connections.test', { id: 'steal-env' });
    expect(secretsAt(evil)).toEqual([]);
  });

  it("another connection's keychain account (UI-saved or provisioned) is not reachable from a new connection", async () => {
    for (const [id, account] of [
      ['steal-ui', 'prom-ui:token'],
      ['steal-prov', 'prov-token'],
    ] as const) {
      const saved = await c.call('connections.save', bearerTo(id, evil.url, { keychain: account }));
      if (saved.ok) {
        // kept only as the connection's own (empty) account
        expect(saved.data.secrets[0]).toMatchObject({ present: false });
        expect(saved.data.secrets[0]?.ref).toEqual({ secret: { keychain: `${id}:token` } });
      }
      const probe = await c.call('connections.test', { id });
      if (probe.ok) expect(probe.data.ok).toBe(false);
    }
    expect(secretsAt(evil)).toEqual([]);
  });

  it('pointing a connection at another origin drops its secret until it is entered again', async () => {
    const moved = await c.ok('connections.save', bearerTo('prom-ui', evil.url, { keychain: 'prom-ui:token' }));
    expect(moved.secrets[0]).toMatchObject({ present: false });
    const probe = await c.ok('connections.test', { id: 'prom-ui' });
    expect(probe.ok).toBe(false);
    expect(probe.steps.map((s) => s.message).join(' ')).toMatch(/enter|set it/i);
    expect(secretsAt(evil)).toEqual([]);
    // back home it is still gone: the old value is not revived by pointing back
    await c.ok('connections.save', bearerTo('prom-ui', home.url, { keychain: 'prom-ui:token' }));
    expect((await c.ok('connections.test', { id: 'prom-ui' })).ok).toBe(false);
    // the audit says where each save pointed
    const audit = await c.ok('activity.list', { limit: 20 });
    const saves = audit.filter((a) => a.action === 'connections.save' && a.connectionId === 'prom-ui');
    expect(saves.map((a) => a.message ?? '').join('\n')).toContain(evil.origin);
    expect(saves.map((a) => a.message ?? '').join('\n')).toMatch(/secret.*(dropped|removed)/i);
  });

  it('adding a cluster peer at another host is pointing the connection elsewhere: the secret is dropped', async () => {
    const am = (peerUrls?: string[]) => ({
      spec: {
        id: 'am-ui',
        kind: 'alertmanager' as const,
        name: 'Alertmanager UI',
        url: home.url,
        ...(peerUrls ? { peerUrls } : {}),
        auth: { type: 'bearer' as const, token: { secret: { keychain: 'am-ui:token' } } },
      },
    });
    const saved = await c.ok('connections.save', { ...am(), secrets: { token: `am-${UI_TOKEN}` } });
    expect(saved.secrets[0]).toMatchObject({ present: true });
    const withPeer = await c.ok('connections.save', am([evil.url]));
    expect(withPeer.secrets[0]).toMatchObject({ present: false });
    await c.ok('connections.test', { id: 'am-ui' });
    expect(evil.credentialsReceived().some((cred) => cred.includes(`am-${UI_TOKEN}`))).toBe(false);
    const audit = await c.ok('activity.list', { limit: 20 });
    const saves = audit.filter((a) => a.action === 'connections.save' && a.connectionId === 'am-ui');
    expect(saves.map((a) => a.message ?? '').join('\n')).toMatch(/secret.*(dropped|removed)/i);
  });

  it('a provisioned keychain secret does not follow the workspace file to another origin', async () => {
    writeFileSync(config, workspace(evil.url));
    await c.ok('app.reloadWorkspace', {});
    const probe = await c.ok('connections.test', { id: 'prom-prov' });
    expect(probe.ok).toBe(false);
    expect(probe.steps.map((s) => s.message).join(' ')).toContain(home.origin);
    expect(secretsAt(evil)).toEqual([]);
    writeFileSync(config, workspace(home.url));
    await c.ok('app.reloadWorkspace', {});
    expect((await c.ok('connections.test', { id: 'prom-prov' })).ok).toBe(true);
  });

  it('a redirect to another origin carries no credential there', async () => {
    home.set({ kind: 'redirect', to: evil.url });
    try {
      await c.call('connections.test', { id: 'prom-env' });
      await c.call('slo.fleet', { refresh: true });
    } finally {
      home.set({ kind: 'ok' });
    }
    expect(evil.received.length).toBeGreaterThan(0);
    expect(secretsAt(evil)).toEqual([]);
  });

  it('an OAuth token request redirected (307, body kept) to another origin sends no client secret or password', async () => {
    home.route('/oauth_token.do', { kind: 'redirect', to: evil.url, status: 307 });
    try {
      const probe = await c.ok('connections.test', { id: 'snow-oauth' });
      expect(probe.ok).toBe(false);
      expect(probe.steps.map((s) => s.message).join(' ')).toMatch(/redirect/i);
    } finally {
      home.clearRoutes();
    }
    expect(secretsAt(evil)).toEqual([]);
  });
});
