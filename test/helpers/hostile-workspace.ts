// A throw-away workspace whose four connections (Prometheus, Alertmanager, ServiceNow with OAuth, AWX) all point
// at one hostile upstream, each with its own secrets from environment variables, plus an SLO and a runbook so
// every view and command has something to ask for. `leaksIn` tells whether a text carries any of the secrets in
// any form a remote system or a log could hold (raw, base64 user:pass, percent-encoded, JSON-escaped).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface HostileWorkspace {
  dir: string;
  config: string;
  dataDir: string;
  /** Environment variables the workspace's secret references name. */
  env: Record<string, string>;
  /** Every secret value, and the user names they pair with in basic auth. */
  secrets: { value: string; user?: string }[];
  cleanup(): void;
}

/** `timeoutMs: null` leaves the connections at the console's default timeout. */
export function makeHostileWorkspace(url: string, opts: { timeoutMs?: number | null; maxResponseMB?: number } = {}): HostileWorkspace {
  const run = Math.random().toString(36).slice(2, 8);
  // Characters that percent-encoding and JSON change, so each encoded form differs from the raw one.
  const env = {
    HOSTILE_PROM_TOKEN: `prom-tok/${run}+Q=`,
    HOSTILE_AM_PASSWORD: `am-pw&${run}"x`,
    HOSTILE_SNOW_CLIENT_SECRET: `snow-cs ${run}#1`,
    HOSTILE_SNOW_PASSWORD: `snow-pw?${run}%2`,
    HOSTILE_AWX_PASSWORD: `awx-pw@${run}\\z`,
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-hostile-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  mkdirSync(path.join(dir, 'slos'));
  mkdirSync(path.join(dir, 'runbooks'));
  const timeout = `${opts.timeoutMs === null ? '' : `, timeoutMs: ${opts.timeoutMs ?? 4000}`}${opts.maxResponseMB ? `, maxResponseMB: ${opts.maxResponseMB}` : ''}`;
  writeFileSync(
    path.join(dir, 'toc.yaml'),
    `name: Hostile upstream
connections:
  - {id: prom-h, kind: prometheus, name: Prometheus (hostile), url: "${url}"${timeout},
     auth: {type: bearer, token: {secret: {env: HOSTILE_PROM_TOKEN}}}}
  - {id: am-h, kind: alertmanager, name: Alertmanager (hostile), url: "${url}"${timeout},
     auth: {type: basic, username: am-user, password: {secret: {env: HOSTILE_AM_PASSWORD}}}}
  - {id: snow-h, kind: servicenow, name: ServiceNow (hostile), url: "${url}"${timeout},
     auth: {type: oauth, clientId: toc, clientSecret: {secret: {env: HOSTILE_SNOW_CLIENT_SECRET}}, username: snow-user,
            password: {secret: {env: HOSTILE_SNOW_PASSWORD}}}}
  - {id: awx-h, kind: awx, name: AWX (hostile), url: "${url}"${timeout},
     auth: {type: basic, username: awx-user, password: {secret: {env: HOSTILE_AWX_PASSWORD}}}}
slos:
  connection: prom-h
  files: ["slos/*.yaml"]
runbooks:
  folders: [runbooks]
`,
  );
  writeFileSync(
    path.join(dir, 'slos', 'checkout.yaml'),
    `apiVersion: openslo/v1
kind: SLO
metadata: {name: checkout}
spec:
  service: checkout
  indicator:
    metadata: {name: checkout-availability}
    spec:
      ratioMetric:
        counter: true
        bad: {metricSource: {type: Prometheus, spec: {query: 'http_requests_total{code=~"5.."}'}}}
        total: {metricSource: {type: Prometheus, spec: {query: http_requests_total}}}
  timeWindow: [{duration: 7d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.99}]
`,
  );
  writeFileSync(
    path.join(dir, 'runbooks', 'restart.md'),
    `---
title: Restart the service
services: [checkout]
alerts: [ServiceDown]
awx: {connection: awx-h, template: Restart service}
extraVars: {reason: test}
---
# Restart the service

Restart it.
`,
  );
  return {
    dir,
    config: path.join(dir, 'toc.yaml'),
    dataDir,
    env,
    secrets: [
      { value: env.HOSTILE_PROM_TOKEN },
      { value: env.HOSTILE_AM_PASSWORD, user: 'am-user' },
      { value: env.HOSTILE_SNOW_CLIENT_SECRET },
      { value: env.HOSTILE_SNOW_PASSWORD, user: 'snow-user' },
      { value: env.HOSTILE_AWX_PASSWORD, user: 'awx-user' },
    ],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every form in which a secret can show up in text: raw, base64 of user:secret, percent-encoded, JSON-escaped. */
export function formsOf(secret: { value: string; user?: string }): { label: string; text: string }[] {
  const v = secret.value;
  const forms = [
    { label: 'raw', text: v },
    { label: 'uri', text: encodeURIComponent(v) },
    { label: 'form', text: encodeURIComponent(v).replace(/%20/g, '+') },
    { label: 'json', text: JSON.stringify(v).slice(1, -1) },
    { label: 'json-of-json', text: JSON.stringify(JSON.stringify(v).slice(1, -1)).slice(1, -1) },
  ];
  if (secret.user) forms.push({ label: 'base64 user:pass', text: Buffer.from(`${secret.user}:${v}`).toString('base64') });
  return forms;
}

/** The forms of any secret found in `text`, e.g. ["secret #2 (uri)"]; empty when the text is clean. */
export function leaksIn(text: string, secrets: readonly { value: string; user?: string }[]): string[] {
  const found: string[] = [];
  secrets.forEach((s, i) => {
    for (const f of formsOf(s)) if (text.includes(f.text)) found.push(`secret #${i + 1} (${f.label})`);
  });
  return [...new Set(found)];
}
