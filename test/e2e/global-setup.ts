import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { json, startFixture } from '../helpers/http-fixture';
import { startServeProcess } from './serve-process';
import { setupSlo } from './setup-slo';
import { setupAwx } from './setup-awx';
import { setupAlertmanager } from './setup-alertmanager';
import { setupWall } from './setup-wall';
import { E2E_SNOW_USER, setupServiceNow } from './setup-servicenow';

// Starts, for the whole e2e run: loopback stand-ins for the systems the foundation specs talk to, and the
// built `toc serve` with a workspace that provisions them. Specs read TOC_E2E_URL.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-e2e-'));
  const fixture = await startFixture();
  fixture.route('/api/v1/status/buildinfo', (_q, res) => json(res, 200, { status: 'success', data: { version: '2.42.0' } }));
  fixture.route('/sso/api/now/table/incident', (_q, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><html><head><title>Corporate Single Sign-On</title></head><body><input type="password"></body></html>');
  });
  mkdirSync(path.join(tmp, 'data'), { recursive: true });
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(
    config,
    `name: E2E workspace
connections:
  - id: prom-e2e
    kind: prometheus
    name: Prometheus (e2e)
    environment: test
    url: ${fixture.url}
    auth: {type: none}
  - id: snow-sso
    kind: servicenow
    name: ServiceNow behind SSO
    url: ${fixture.url}/sso
    auth: {type: basic, username: toc, password: {secret: {env: TOC_E2E_SNOW_PASSWORD}}}
`,
  );
  const stopSlo = await setupSlo(config);
  const stopAwx = await setupAwx(config);
  const stopAlerts = await setupAlertmanager(config);
  const stopWall = await setupWall(config);
  const stopServiceNow = await setupServiceNow(config);
  // No D-Bus session for this serve: the keychain is unreachable on purpose, so the specs see the session-only
  // fallback and its banner deterministically (the real keychain has its own integration tests).
  const serve = await startServeProcess({
    config,
    dataDir: path.join(tmp, 'data'),
    // The operator the writes name: the incident queue's account is a sys_user there, so "Assign to me" finds it.
    env: {
      TOC_E2E_SNOW_PASSWORD: 'e2e-snow-pass-0001',
      TOC_OPERATOR: E2E_SNOW_USER,
      DBUS_SESSION_BUS_ADDRESS: undefined,
      DISPLAY: undefined,
    },
  });
  process.env.TOC_E2E_URL = serve.url;
  process.env.TOC_E2E_DATA = path.join(tmp, 'data');
  process.env.TOC_E2E_FIXTURE_URL = fixture.url;
  return async () => {
    await serve.stop();
    await stopSlo();
    await stopAwx();
    await stopAlerts();
    await stopWall();
    await stopServiceNow();
    await fixture.close();
    rmSync(tmp, { recursive: true, force: true });
  };
}
