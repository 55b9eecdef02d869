import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument, type YAMLSeq } from 'yaml';
import { startServiceNowSim } from '../sim/servicenow';

// The incident-queue part of the e2e setup: a ServiceNow simulator with a small seeded queue and a `servicenow`
// connection to it (Basic auth, the password from an environment variable that `toc serve` inherits, as in a
// pipeline). Called from global-setup after the workspace file is written and before `toc serve` starts; returns
// the teardown. incidents.spec.ts reaches the same simulator through its Table API (with these credentials) and
// its /__sim admin endpoints, to add incidents, change them behind the console's back and read what it received.

/** The connection's id in the e2e workspace. */
export const E2E_SNOW_CONNECTION = 'e2e-snow-incidents';
/** The API account: the simulator seeds it as a sys_user ("TOC Console Integration") in a few support groups. */
export const E2E_SNOW_USER = 'toc.incidents';

export const E2E_SNOW_ENV = {
  url: 'TOC_E2E_SNOW_INCIDENTS_URL',
  password: 'TOC_E2E_SNOW_INCIDENTS_PASSWORD',
} as const;

export async function setupServiceNow(configFile: string): Promise<() => Promise<void>> {
  const password = randomBytes(12).toString('base64url');
  const snow = await startServiceNowSim({ seed: 4, incidents: 30, users: 24, basic: { username: E2E_SNOW_USER, password } });

  const doc = parseDocument(readFileSync(configFile, 'utf8'));
  const entry = {
    id: E2E_SNOW_CONNECTION,
    kind: 'servicenow',
    name: 'ServiceNow (incidents e2e)',
    environment: 'test',
    url: snow.url,
    auth: { type: 'basic', username: E2E_SNOW_USER, password: { secret: { env: E2E_SNOW_ENV.password } } },
  };
  const connections = doc.get('connections') as YAMLSeq | undefined;
  if (connections) connections.add(doc.createNode(entry));
  else doc.set('connections', [entry]);
  writeFileSync(configFile, doc.toString());

  process.env[E2E_SNOW_ENV.url] = snow.url;
  process.env[E2E_SNOW_ENV.password] = password;
  return snow.stop;
}
