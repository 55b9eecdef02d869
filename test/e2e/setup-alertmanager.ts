import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, type YAMLSeq } from 'yaml';
import { startAlertmanager } from '../helpers/alertmanager';
import { startAwxSim } from '../sim/awx';

// The alerts part of the e2e setup: a real Alertmanager (Debian 0.25) with alerts posted to it, the AWX simulator
// for a runbook launched with a job-scoped silence, a runbook that names the alert, and a Grafana URL for
// dashboard links — all added to the e2e workspace. Called from global-setup after the workspace file is written
// and before `toc serve` starts; returns the teardown.

export const E2E_ALERTS = {
  disk: { alertname: 'E2EDiskFull', service: 'db', team: 'db', instance: 'e2e-db-1:9100', severity: 'warning' },
  disk2: { alertname: 'E2EDiskFull', service: 'db', team: 'db', instance: 'e2e-db-2:9100', severity: 'warning' },
  cpu: { alertname: 'E2EHighCPU', service: 'web', instance: 'e2e-web-1:9100', severity: 'critical' },
} as const;

export async function setupAlertmanager(configFile: string): Promise<() => Promise<void>> {
  const [am, awx] = await Promise.all([startAlertmanager(), startAwxSim({ wsMode: 'lossy' })]);
  // Alerts that stay firing for the whole run (without endsAt Alertmanager resolves them after 5 minutes; with
  // endsAt but no startsAt it would date their start at endsAt).
  const startsAt = new Date(Date.now() - 10 * 60_000).toISOString();
  const endsAt = new Date(Date.now() + 6 * 3_600_000).toISOString();
  await am.postAlerts([
    {
      labels: { ...E2E_ALERTS.disk },
      annotations: { summary: 'Disk 96% full on e2e-db-1', runbook_url: 'https://wiki.example/disk-full' },
      startsAt,
      endsAt,
    },
    { labels: { ...E2E_ALERTS.disk2 }, annotations: { summary: 'Disk 91% full on e2e-db-2' }, startsAt, endsAt },
    { labels: { ...E2E_ALERTS.cpu }, annotations: { summary: 'CPU above 95%' }, startsAt, endsAt },
  ]);
  // Next to the workspace file: the global teardown removes it with the rest.
  const runbookDir = path.join(path.dirname(configFile), 'alert-runbooks');
  mkdirSync(runbookDir, { recursive: true });
  writeFileSync(
    path.join(runbookDir, 'e2e-disk-cleanup.md'),
    `---
title: E2E disk cleanup
alerts: [E2EDiskFull]
awx: {connection: awx-alerts-e2e, template: Disk cleanup}
---

# E2E disk cleanup

Removes old logs on the host whose disk is full.
`,
  );
  process.env.TOC_E2E_ALERTS_AWX_TOKEN = awx.token;
  process.env.TOC_E2E_ALERTMANAGER_URL = am.url;

  const doc = parseDocument(readFileSync(configFile, 'utf8'));
  const entries = [
    { id: 'am-e2e', kind: 'alertmanager', name: 'Alertmanager (e2e)', environment: 'test', url: am.url, auth: { type: 'none' } },
    {
      id: 'awx-alerts-e2e',
      kind: 'awx',
      name: 'AWX for alerts (e2e)',
      url: awx.url,
      apiBasePath: awx.apiBase,
      auth: { type: 'bearer', token: { secret: { env: 'TOC_E2E_ALERTS_AWX_TOKEN' } } },
    },
  ];
  const connections = doc.get('connections') as YAMLSeq | undefined;
  if (connections) for (const e of entries) connections.add(doc.createNode(e));
  else doc.set('connections', entries);
  const folders = doc.getIn(['runbooks', 'folders']) as YAMLSeq | undefined;
  if (folders) folders.add(runbookDir);
  else doc.set('runbooks', { folders: [runbookDir] });
  if (!doc.has('grafana')) doc.set('grafana', { url: 'https://grafana.example/d/node/node-exporter?orgId=1' });
  writeFileSync(configFile, doc.toString());

  return async () => {
    await Promise.all([am.stop(), awx.stop()]);
  };
}
