// The demo workspace's backends, started together for `npm start` (and usable by e2e setups): the ServiceNow
// simulator, the AWX simulator, and Prometheus with history when the binary is installed. Writes a workspace
// file from resources/demo/toc.yaml with their addresses; credentials are per run and travel by environment.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServiceNowSim } from './servicenow/index';
import { startAwxSim } from './awx/index';
import type { AwxSim } from './awx/index';
import { startDemoPrometheus } from './demo-prometheus';
import { seedRemediationHistory } from './insights-demo';
import { startAlertmanager } from '../helpers/alertmanager';
import { seedDemoStory } from './demo-story';

export interface DemoStack {
  workspaceFile: string;
  env: Record<string, string>;
  notices: string[];
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');
const demoDir = path.join(root, 'resources', 'demo');

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => existsSync(path.join(d, bin)));
}

export async function startDemoStack(opts: { log?: (line: string) => void } = {}): Promise<DemoStack> {
  const log = opts.log ?? (() => undefined);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-demo-'));
  const stops: (() => Promise<void>)[] = [];
  const notices: string[] = [];
  const env: Record<string, string> = {};
  const vars: Record<string, string> = { DEMO_DIR: demoDir };

  const snowPassword = randomBytes(12).toString('base64url');
  // Four months of history (incidents, closed changes, some followed by incidents) for the Insights view.
  const snow = await startServiceNowSim({
    seed: 42,
    incidents: 300,
    historyIncidents: 1800,
    historyDays: 120,
    historyChanges: 90,
    basic: { username: 'toc.demo', password: snowPassword },
  });
  stops.push(() => snow.stop());
  vars.SERVICENOW_URL = snow.url;
  vars.SERVICENOW_USER = 'toc.demo';
  env.TOC_DEMO_SERVICENOW_PASSWORD = snowPassword;
  log(`ServiceNow simulator at ${snow.url}`);

  const awxToken = randomBytes(18).toString('base64url');
  const awx = await startAwx(awxToken).catch((e: unknown) => {
    notices.push(`The AWX simulator did not start: ${(e as Error).message}`);
    return null;
  });
  if (awx) {
    stops.push(awx.stop);
    seedRemediationHistory(snow, awx.sim, { now: Date.now(), days: 120 });
    vars.AWX_URL = awx.url;
    log(`AWX simulator at ${awx.url}${onPath('ansible-playbook') ? '' : ' (ansible-playbook is not installed: jobs will fail)'}`);
    if (!onPath('ansible-playbook'))
      notices.push('Runbook jobs need Ansible: install it with "sudo apt-get install ansible-core" (Debian/Ubuntu).');
  } else vars.AWX_URL = 'http://127.0.0.1:9';
  env.TOC_DEMO_AWX_TOKEN = awxToken;

  // Alertmanager first: the demo Prometheus sends its burn-rate alerts to it.
  vars.ALERTMANAGER_URL = 'http://127.0.0.1:9';
  let amTarget: string | undefined;
  if (existsSync(process.env['TOC_ALERTMANAGER_BIN'] ?? '/usr/bin/prometheus-alertmanager')) {
    const am = await startAlertmanager({ config: DEMO_AM_CONFIG }).catch((e: unknown) => {
      notices.push(`The demo Alertmanager did not start: ${(e as Error).message}`);
      return null;
    });
    if (am) {
      stops.push(am.stop);
      vars.ALERTMANAGER_URL = am.url;
      amTarget = `127.0.0.1:${am.port}`;
      log(`Alertmanager at ${am.url}`);
    }
  } else {
    notices.push('The Alerts view needs Alertmanager: install it with "sudo apt-get install prometheus-alertmanager" (Debian/Ubuntu).');
  }

  if (onPath('prometheus') && onPath('promtool')) {
    const prom = await startPrometheus(log, amTarget).catch((e: unknown) => {
      notices.push(`The demo Prometheus did not start: ${(e as Error).message}`);
      return null;
    });
    if (prom) {
      stops.push(prom.stop);
      vars.PROMETHEUS_URL = prom.url;
      log(`Prometheus at ${prom.url}`);
    } else vars.PROMETHEUS_URL = 'http://127.0.0.1:9';
  } else {
    vars.PROMETHEUS_URL = 'http://127.0.0.1:9';
    notices.push(
      'SLO dashboards need Prometheus: install it with "sudo apt-get install prometheus" (Debian/Ubuntu) or put the prometheus and promtool binaries on the PATH, then restart npm start.',
    );
  }

  // The story the demo tells: the fastest burner's incident, a runbook that fixes it, jobs already run for it.
  const story = await seedDemoStory({ snow, awx: awx ? { url: awx.url, token: awxToken, sim: awx.sim } : null }).catch((e: unknown) => {
    notices.push(`The demo incident and jobs could not be prepared: ${(e as Error).message}`);
    return null;
  });
  if (story) log(`Demo story: ${story.incidentNumber} for the notifications burn, ${story.jobs.length} past jobs`);

  const template = readFileSync(path.join(demoDir, 'toc.yaml'), 'utf8');
  const workspaceFile = path.join(tmp, 'toc.yaml');
  writeFileSync(
    workspaceFile,
    template.replace(/\$\{([A-Z_]+)\}/g, (_m, k: string) => vars[k] ?? ''),
  );
  return {
    workspaceFile,
    env,
    notices,
    stop: async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// The demo Prometheus lands with the SLO feature; until then the demo says so.
async function startAwx(token: string): Promise<{ url: string; stop: () => Promise<void>; sim: AwxSim }> {
  const sim = await startAwxSim({ token, seed: 42, wsMode: 'lossy' });
  return { url: sim.url, stop: () => sim.stop(), sim };
}

async function startPrometheus(
  _log: (l: string) => void,
  alertmanager: string | undefined,
): Promise<{ url: string; stop: () => Promise<void> }> {
  return startDemoPrometheus({ log: _log, ...(alertmanager ? { alertmanager } : {}) });
}

/** Groups the demo's burn-rate alerts per alert and SLO, and shows them within seconds. */
const DEMO_AM_CONFIG = `route:
  receiver: console
  group_by: [alertname, slo, service]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 4h
receivers:
  - name: console
`;
