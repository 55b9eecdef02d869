import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServiceNowSim } from '../sim/servicenow/index';
import type { SnowSim } from '../sim/servicenow/index';
import { startAwxSim } from '../sim/awx/index';
import type { AwxSim } from '../sim/awx/index';
import { startAlertmanager } from '../helpers/alertmanager';
import type { AlertmanagerHandle } from '../helpers/alertmanager';
import { startServeProcess } from './serve-process';
import type { ServeProcess } from './serve-process';

// Backends for the wall, workstation and offline specs (issue 6): the ServiceNow and AWX simulators, a real
// Alertmanager, and the e2e Prometheus behind a loopback TCP relay the test can cut (Prometheus is shared with
// the other specs and must not be stopped). The AWX connection is called demo-awx, as the demo runbooks name
// it. Each backend can be stopped and started again on the same port, the way a backend restart looks to the
// console. Secrets travel by environment, as in the other specs.

const ROOT = path.resolve(import.meta.dirname, '../..');
export const DEMO_RUNBOOKS = path.join(ROOT, 'resources/demo/runbooks');

/** A TCP relay on a fixed loopback port: `stop()` refuses connections like a dead server, `start()` serves again. */
export interface Relay {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRelay(target: string, port = 0): Promise<Relay> {
  const t = new URL(target);
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let bound = port;
  const start = async (): Promise<void> => {
    if (server) return;
    const s = net.createServer((client) => {
      const upstream = net.connect(Number(t.port), t.hostname);
      sockets.add(client).add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(bound, '127.0.0.1', () => resolve());
    });
    const addr = s.address();
    bound = typeof addr === 'object' && addr ? addr.port : bound;
    server = s;
  };
  const stop = async (): Promise<void> => {
    const s = server;
    server = null;
    for (const x of sockets) x.destroy();
    sockets.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await start();
  return { url: `http://127.0.0.1:${bound}`, port: bound, start, stop };
}

export interface WallStackOptions {
  name: string;
  /** The e2e Prometheus and its OpenSLO files (from setup-slo). */
  prometheusUrl: string;
  sloFiles: string[];
  alertmanager?: boolean;
  wall?: { interval: number; refresh: number; pages?: string };
  /** Copy the demo runbooks to a folder the test may remove (a share that went away). */
  ownRunbooks?: boolean;
  environment?: string;
}

export interface WallStack {
  tmp: string;
  config: string;
  dataDir: string;
  runbooks: string;
  env: Record<string, string>;
  snow: () => SnowSim;
  awx: () => AwxSim;
  am: AlertmanagerHandle | null;
  prom: Relay;
  stopSnow(): Promise<void>;
  startSnow(): Promise<void>;
  stopAwx(): Promise<void>;
  startAwx(): Promise<void>;
  /** Every backend down: ServiceNow, AWX, Alertmanager, Prometheus. */
  stopBackends(): Promise<void>;
  serve(opts?: { wall?: boolean; env?: Record<string, string | undefined> }): Promise<ServeProcess>;
  close(): Promise<void>;
}

const SNOW_PASSWORD = 'wall-e2e-snow-pass-7';
const AWX_TOKEN = 'wall-e2e-awx-token-0000000000000001';

export async function startWallStack(opts: WallStackOptions): Promise<WallStack> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `toc-${opts.name}-`));
  const dataDir = path.join(tmp, 'data');
  mkdirSync(dataDir, { recursive: true });
  const runbooks = opts.ownRunbooks ? path.join(tmp, 'runbooks') : DEMO_RUNBOOKS;
  if (opts.ownRunbooks) cpSync(DEMO_RUNBOOKS, runbooks, { recursive: true });

  const snowOpts = { seed: 7, incidents: 120, basic: { username: 'toc.wall', password: SNOW_PASSWORD } };
  let snow: SnowSim | null = await startServiceNowSim(snowOpts);
  const snowPort = snow.port;
  const awxOpts = { token: AWX_TOKEN, seed: 7 };
  let awx: AwxSim | null = await startAwxSim(awxOpts);
  const awxPort = awx.port;
  const prom = await startRelay(opts.prometheusUrl);
  let am: AlertmanagerHandle | null = null;
  if (opts.alertmanager) {
    am = await startAlertmanager();
    // Both times: Alertmanager takes a missing startsAt as endsAt.
    const startsAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const endsAt = new Date(Date.now() + 6 * 3_600_000).toISOString();
    await am.postAlerts([
      {
        labels: { alertname: 'DiskAlmostFull', severity: 'critical', instance: 'web-07:9100', service: 'checkout' },
        annotations: { summary: 'Disk 97 % full' },
        startsAt,
        endsAt,
      },
      {
        labels: { alertname: 'HighLatency', severity: 'warning', instance: 'api-02:8080', service: 'search' },
        annotations: { summary: 'p99 above 800 ms' },
        startsAt,
        endsAt,
      },
    ]);
  }
  const env = opts.environment ?? 'test';
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(
    config,
    `name: ${opts.name}
connections:
  - {id: wall-prom, kind: prometheus, name: Wall Prometheus, environment: ${env}, url: "${prom.url}", auth: {type: none}}
  - id: wall-snow
    kind: servicenow
    name: Wall ServiceNow
    environment: ${env}
    url: "${snow.url}"
    auth: {type: basic, username: toc.wall, password: {secret: {env: TOC_WALL_SNOW_PASSWORD}}}
  - {id: demo-awx, kind: awx, name: Wall AWX, environment: ${env}, url: "${awx.url}", auth: {type: bearer, token: {secret: {env: TOC_WALL_AWX_TOKEN}}}}
${am ? `  - {id: wall-am, kind: alertmanager, name: Wall Alertmanager, environment: ${env}, url: "${am.url}", auth: {type: none}}\n` : ''}slos:
  connection: wall-prom
  files: ${JSON.stringify(opts.sloFiles)}
runbooks:
  folders: ["${runbooks}"]
${
  opts.wall
    ? `wall:
  interval: ${opts.wall.interval}
  refresh: ${opts.wall.refresh}
${opts.wall.pages ?? ''}`
    : ''
}`,
  );
  const secrets = { TOC_WALL_SNOW_PASSWORD: SNOW_PASSWORD, TOC_WALL_AWX_TOKEN: AWX_TOKEN };
  const serves: ServeProcess[] = [];

  const stopSnow = async (): Promise<void> => {
    const s = snow;
    snow = null;
    await s?.stop();
  };
  const startSnow = async (): Promise<void> => {
    snow ??= await startServiceNowSim({ ...snowOpts, port: snowPort });
  };
  const stopAwx = async (): Promise<void> => {
    const a = awx;
    awx = null;
    await a?.stop();
  };
  const startAwx = async (): Promise<void> => {
    awx ??= await startAwxSim({ ...awxOpts, port: awxPort });
  };
  return {
    tmp,
    config,
    dataDir,
    runbooks,
    env: secrets,
    snow: () => {
      if (!snow) throw new Error('the ServiceNow simulator is stopped');
      return snow;
    },
    awx: () => {
      if (!awx) throw new Error('the AWX simulator is stopped');
      return awx;
    },
    am,
    prom,
    stopSnow,
    startSnow,
    stopAwx,
    startAwx,
    stopBackends: async () => {
      await stopSnow();
      await stopAwx();
      await am?.stop();
      await prom.stop();
    },
    serve: async (o = {}) => {
      // No D-Bus: the session-only secret store, as in the other specs; secrets come from the environment.
      const s = await startServeProcess({
        config,
        dataDir,
        wall: o.wall ?? false,
        env: { ...secrets, DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined, ...(o.env ?? {}) },
      });
      serves.push(s);
      return s;
    },
    close: async () => {
      for (const s of serves) await s.stop();
      await stopSnow();
      await stopAwx();
      await am?.stop();
      await prom.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
