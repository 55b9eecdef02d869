import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, type YAMLSeq } from 'yaml';
import { startAwxSim } from '../sim/awx';
import { startServiceNowSim } from '../sim/servicenow';

// The runbook/AWX part of the e2e setup: the AWX simulator (lossy websocket, as AWX behaves by default), a
// ServiceNow simulator holding an incident opened by a ServiceDown alert on web-01, and the demo runbooks
// pointed at that AWX. Called from global-setup after the workspace file is written and before `toc serve`
// starts; the credentials travel by environment, as in a pipeline. Returns the teardown.
export async function setupAwx(configFile: string): Promise<() => Promise<void>> {
  const token = randomBytes(18).toString('base64url');
  const snowPassword = randomBytes(12).toString('base64url');
  const awx = await startAwxSim({ token, seed: 17, wsMode: 'lossy' });
  const snow = await startServiceNowSim({ incidents: 20, seed: 17, basic: { username: 'toc.e2e', password: snowPassword } });
  // P3: a new P1/P2 would raise desktop notifications in other specs.
  const incident = snow.addIncident({
    short_description: 'ServiceDown: nginx on web-01 stopped answering',
    u_alert_name: 'ServiceDown',
    u_alert_instance: 'web-01:9100',
    impact: '2',
    urgency: '2',
  });

  const dir = path.join(path.dirname(configFile), 'awx-runbooks');
  mkdirSync(dir, { recursive: true });
  const demo = path.resolve(import.meta.dirname, '../../resources/demo/runbooks');
  for (const f of readdirSync(demo).filter((n) => n.endsWith('.md'))) {
    writeFileSync(path.join(dir, f), readFileSync(path.join(demo, f), 'utf8').replaceAll('connection: demo-awx', 'connection: e2e-awx'));
  }

  const doc = parseDocument(readFileSync(configFile, 'utf8'));
  const connections = doc.get('connections') as YAMLSeq | undefined;
  const entries = [
    {
      id: 'e2e-awx',
      kind: 'awx',
      name: 'AWX (e2e)',
      environment: 'test',
      url: awx.url,
      auth: { type: 'bearer', token: { secret: { env: 'TOC_E2E_AWX_TOKEN' } } },
    },
    {
      id: 'e2e-snow-awx',
      kind: 'servicenow',
      name: 'ServiceNow (runbooks e2e)',
      environment: 'test',
      url: snow.url,
      auth: { type: 'basic', username: 'toc.e2e', password: { secret: { env: 'TOC_E2E_SNOW_AWX_PASSWORD' } } },
    },
  ];
  for (const e of entries) {
    if (connections) connections.add(doc.createNode(e));
    else doc.set('connections', [e]);
  }
  const folders = (doc.getIn(['runbooks', 'folders']) as YAMLSeq | undefined)?.toJSON() as string[] | undefined;
  doc.set('runbooks', { folders: [...(folders ?? []), dir] });
  writeFileSync(configFile, doc.toString());

  process.env.TOC_E2E_AWX_TOKEN = token;
  process.env.TOC_E2E_SNOW_AWX_PASSWORD = snowPassword;
  process.env.TOC_E2E_AWX_URL = awx.url;
  process.env.TOC_E2E_SNOW_AWX_URL = snow.url;
  process.env.TOC_E2E_AWX_INCIDENT = incident.sys_id ?? '';
  process.env.TOC_E2E_AWX_INCIDENT_NUMBER = incident.number ?? '';
  return async () => {
    await awx.stop();
    await snow.stop();
  };
}
