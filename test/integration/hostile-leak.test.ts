// Nothing a remote system quotes back may carry a secret out: every contract method and every topic (taken from
// the contract itself, so a new one is covered without editing this file), and every CLI command, run against
// an upstream that echoes the credentials it received — in 401 and 500 error bodies, in headers, and inside
// plausible 200 answers — for all four connection kinds. Frames, stdout, stderr and every file in the data
// folder are searched for each secret, its base64 user:pass form and its encoded forms.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, topics } from '@shared/contract';
import type { TopicName } from '@shared/contract';
import { createCore } from '../../electron/core/core';
import type { Core } from '../../electron/core/core';
import { createDirectBridge } from '../../electron/core/kernel/dispatch/direct-bridge';
import { openCoreSecretStore } from '../../electron/core/kernel/secrets/bootstrap';
import { startHostileServer } from '../sim/hostile/server';
import type { HostileMode, HostileServer } from '../sim/hostile/server';
import { leaksIn, makeHostileWorkspace } from '../helpers/hostile-workspace';
import type { HostileWorkspace } from '../helpers/hostile-workspace';

const root = path.resolve(import.meta.dirname, '../..');
/** Two passes: error bodies (401 for some kinds, 500 for the others, so both paths are met) and 200 answers. */
interface Pass {
  label: string;
  mode: HostileMode;
  routes?: Record<string, HostileMode>;
}
const ERRORS: Pass = {
  label: 'echo in 401/500 error bodies',
  mode: { kind: 'echo', status: 401 },
  routes: { '/api/v2/': { kind: 'echo', status: 500 }, '/oauth_token.do': { kind: 'echo', status: 500 } },
};
const ANSWERS: Pass = { label: 'echo in 200 answers', mode: { kind: 'echo', status: 200 } };
const PASSES = [ERRORS, ANSWERS];
const UI_TOKEN = `ui-token-${Math.random().toString(36).slice(2, 8)}/+=`;

/** Arguments for methods whose input has required fields; every other method is called with {}. */
const SAMPLES: Record<string, unknown> = {
  'connections.save': {
    spec: {
      id: 'prom-ui',
      kind: 'prometheus',
      name: 'UI Prometheus',
      url: 'HOSTILE',
      auth: { type: 'bearer', token: { secret: { keychain: 'x' } } },
    },
    secrets: { token: UI_TOKEN },
  },
  'connections.remove': { id: 'no-such-connection' },
  'connections.test': { id: 'prom-ui' },
  'connections.setSecret': { connectionId: 'prom-ui', field: 'token', value: UI_TOKEN },
  'connections.deleteSecret': { connectionId: 'prom-h', field: 'token' },
  'settings.update': { theme: 'dark' },
  'app.openExternal': { url: 'https://example.com/' },
  'slo.fleet': { refresh: true },
  'slo.detail': { id: 'checkout', widthPx: 300 },
  'slo.import': { filename: 'x.yaml', yaml: 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: imported}\n' },
  'incidents.list': { connectionId: 'snow-h' },
  'incidents.sync': { connectionId: 'snow-h' },
  'incidents.query': { connectionId: 'snow-h', query: 'active=true' },
  'incidents.get': { connectionId: 'snow-h', sysId: '0123456789abcdef0123456789abcdef' },
  'incidents.searchNotes': { connectionId: 'snow-h', query: 'disk full' },
  'incidents.assignToMe': { connectionId: 'snow-h', sysId: '0123456789abcdef0123456789abcdef', seenModCount: 3 },
  'incidents.setAssignmentGroup': {
    connectionId: 'snow-h',
    sysId: '0123456789abcdef0123456789abcdef',
    seenModCount: 3,
    groupSysId: '0123456789abcdef0123456789abcde0',
  },
  'incidents.addWorkNote': { connectionId: 'snow-h', sysId: '0123456789abcdef0123456789abcdef', text: 'checking' },
  'incidents.hold': { connectionId: 'snow-h', sysId: '0123456789abcdef0123456789abcdef', seenModCount: 3, holdReason: '1' },
  'incidents.resolve': {
    connectionId: 'snow-h',
    sysId: '0123456789abcdef0123456789abcdef',
    seenModCount: 3,
    closeCode: 'Solved (Permanently)',
    closeNotes: 'fixed',
  },
  'incidents.openFromAlert': {
    connectionId: 'snow-h',
    alert: { name: 'HighErrorBudgetBurn', instance: 'checkout', severity: 'critical', summary: 'burning', source: 'alertmanager' },
  },
  'incidents.setParent': {
    connectionId: 'snow-h',
    sysId: '0123456789abcdef0123456789abcdef',
    seenModCount: 3,
    parentSysId: '0123456789abcdef0123456789abcde0',
  },
  'incidents.makeParent': {
    connectionId: 'snow-h',
    parentSysId: '0123456789abcdef0123456789abcde0',
    children: [{ sysId: '0123456789abcdef0123456789abcdef', seenModCount: 3 }],
  },
  'context.of': { subject: { kind: 'slo', id: 'checkout' } },
  'insights.report': { connectionId: 'snow-h', from: '2026-10-01', to: '2026-11-01' },
  'jobs.finishedLog': { connectionId: 'awx-h', jobId: 42 },
  'runbooks.get': { id: 'restart' },
  'runbooks.suggest': { alertName: 'ServiceDown', service: 'checkout' },
  'runbooks.pdf': { id: 'restart' },
  'jobs.templates': { connectionId: 'awx-h' },
  'jobs.launchForm': { connectionId: 'awx-h', templateId: 7 },
  'jobs.launch': { connectionId: 'awx-h', templateId: 7, extraVars: { a: 1 } },
  'jobs.cancel': { connectionId: 'awx-h', jobId: 42 },
  'jobs.relaunch': { connectionId: 'awx-h', jobId: 42 },
  'jobs.list': { connectionId: 'awx-h' },
  'jobs.get': { connectionId: 'awx-h', jobId: 42 },
  'jobs.stdoutDownload': { connectionId: 'awx-h', jobId: 42 },
  'alerts.groups': { connectionId: 'am-h' },
  'alerts.silences': { connectionId: 'am-h' },
  'alerts.previewSilence': { connectionId: 'am-h', matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }] },
  'alerts.createSilence': {
    connectionId: 'am-h',
    matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }],
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    createdBy: 'ops',
    comment: 'test',
  },
  'alerts.extendSilence': {
    connectionId: 'am-h',
    id: '7f2b8f0e-0000-4000-8000-000000000001',
    endsAt: new Date(Date.now() + 7_200_000).toISOString(),
  },
  'alerts.expireSilence': { connectionId: 'am-h', id: '7f2b8f0e-0000-4000-8000-000000000001' },
};
const TOPIC_ARGS: Partial<Record<TopicName, unknown>> = {
  'incidents.queue': { connectionId: 'snow-h' },
  'jobs.events': { connectionId: 'awx-h', jobId: 42 },
  'jobs.status': { connectionId: 'awx-h' },
};

let hostile: HostileServer;
let ws: HostileWorkspace;

beforeAll(async () => {
  hostile = await startHostileServer();
  ws = makeHostileWorkspace(hostile.url);
});
afterAll(async () => {
  await hostile?.close();
  ws?.cleanup();
});

function samplesFor(method: string): unknown {
  const s = SAMPLES[method] ?? {};
  return JSON.parse(JSON.stringify(s).replace(/"HOSTILE"/g, JSON.stringify(hostile.url))) as unknown;
}

/** Each file under `dir` whose bytes hold a secret, as "relative/path: secret #n (form)". */
function fileLeaks(dir: string, secrets: readonly { value: string; user?: string }[], base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...fileLeaks(p, secrets, base));
    else if (st.isFile()) {
      const text = `${readFileSync(p, 'latin1')}\n${readFileSync(p, 'utf8')}`;
      out.push(...leaksIn(text, secrets).map((l) => `${path.relative(base, p)}: ${l}`));
    }
  }
  return out;
}

/** Runs every method and topic of the contract in each echo mode; returns every frame as text. */
function apply(pass: Pass): void {
  hostile.clearRoutes();
  hostile.set(pass.mode);
  for (const [prefix, mode] of Object.entries(pass.routes ?? {})) hostile.route(prefix, mode);
}

async function sweepContract(
  core: Core,
  passes: Pass[] = PASSES,
  only?: readonly string[],
): Promise<{ frames: string[]; badArgs: string[]; methodsRun: number; topicsRun: number }> {
  const bridge = createDirectBridge(core.dispatcher);
  const frames: string[] = [];
  const badArgs: string[] = [];
  const stops: (() => void)[] = [];
  for (const topic of Object.keys(topics) as TopicName[]) {
    stops.push(
      bridge.subscribe(
        topic,
        TOPIC_ARGS[topic] ?? {},
        (batch) => frames.push(JSON.stringify(batch)),
        (error) => frames.push(JSON.stringify(error)),
      ),
    );
  }
  for (const pass of passes) {
    apply(pass);
    for (const method of only ?? Object.keys(methods)) {
      const r = await bridge.invoke(method, samplesFor(method));
      frames.push(JSON.stringify(r));
      if (!r.ok && r.error.message.startsWith('Invalid arguments')) badArgs.push(`${method}: ${JSON.stringify(r.error.detail)}`);
    }
    // The topics poll and follow in the background: let them meet this mode too.
    if (!only) await new Promise((r) => setTimeout(r, 1500));
  }
  for (const stop of stops) stop();
  return { frames, badArgs, methodsRun: Object.keys(methods).length, topicsRun: Object.keys(topics).length };
}

async function openCore(redact?: (t: string) => string, dataDir = ws.dataDir): Promise<Core> {
  const secrets = await openCoreSecretStore({ useKeychain: false });
  return createCore({
    version: 'test',
    transport: 'direct',
    workspaceFile: ws.config,
    dataDir,
    secrets: secrets.store,
    env: { ...ws.env },
    onSecretUsed: secrets.remember,
    redact: redact ?? secrets.redact,
  });
}

const CLI_COMMANDS: string[][] = [
  ['slo', 'status'],
  ['slo', 'status', '--json'],
  ['slo', 'gate', '--slo', 'checkout', '--min-budget', '10', '--json'],
  ['incidents', 'list'],
  ['incidents', 'list', '--json'],
  ['job', 'follow', '42'],
  ['runbook', 'launch', 'restart', '--yes'],
];

interface CliRun {
  label: string;
  text: string;
  outcome: string;
}

/** Runs the commands in one child process (./run-toc-each), one mode of the upstream at a time. */
async function sweepCli(opts: { unredacted?: boolean; commands?: string[][]; passes?: Pass[] } = {}): Promise<CliRun[]> {
  const list = (opts.commands ?? CLI_COMMANDS).map((c) => [...c, '--config', ws.config]);
  const runs: CliRun[] = [];
  for (const pass of opts.passes ?? PASSES) {
    apply(pass);
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(root, 'test/helpers/run-toc-each.ts'),
          ...(opts.unredacted ? ['--unredacted'] : []),
          JSON.stringify(list),
        ],
        {
          cwd: root,
          env: { ...process.env, ...ws.env, TOC_DATA_DIR: ws.dataDir, TOC_WORKSPACE: '', TOC_EACH_LIMIT_MS: '12000' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      const kill = setTimeout(() => child.kill('SIGKILL'), 150_000);
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(kill);
        resolve({ stdout: out, stderr: err });
      });
    });
    const split = (text: string): Map<string, string> => {
      const m = new Map<string, string>();
      for (const part of text.split('\n@@toc ').slice(1)) {
        const nl = part.indexOf('\n');
        m.set(part.slice(0, nl), part.slice(nl + 1));
      }
      return m;
    };
    const outs = split(stdout);
    const errs = split(stderr);
    for (const argv of list) {
      const key = argv.join(' ');
      const o = outs.get(key) ?? '';
      runs.push({
        label: `toc ${argv.slice(0, -2).join(' ')} (${pass.label})`,
        text: `${o}\n${errs.get(key) ?? ''}`,
        outcome: /@@(hung|exit -?\d+)/.exec(o)?.[1] ?? 'no outcome',
      });
    }
  }
  return runs;
}

describe('secrets quoted back by a hostile upstream never leave the process', () => {
  it('every contract method and topic, for all four kinds: no secret in any frame or file', { timeout: 120_000 }, async () => {
    const core = await openCore();
    try {
      const { frames, badArgs, methodsRun, topicsRun } = await sweepContract(core);
      expect(badArgs, 'every method must be called with valid arguments (add a sample)').toEqual([]);
      expect(methodsRun).toBeGreaterThanOrEqual(56);
      expect(topicsRun).toBeGreaterThanOrEqual(11);
      // The upstream did receive each secret: otherwise there was nothing to leak and the test proves nothing.
      const received = hostile.credentialsReceived().join('\n');
      for (const s of ws.secrets) expect(received, 'the hostile upstream received every secret').toContain(s.value);
      expect(received).toContain(UI_TOKEN);
      const all = [...ws.secrets, { value: UI_TOKEN }];
      const leaks = frames.flatMap((f, i) => leaksIn(f, all).map((l) => `frame ${i} ${f.slice(0, 80)}: ${l}`));
      expect(leaks).toEqual([]);
      expect(fileLeaks(ws.dataDir, all)).toEqual([]);
    } finally {
      await core.dispose();
    }
  });

  it('the same sweep with the redaction pass switched off finds the leaks (the check above can fail)', { timeout: 120_000 }, async () => {
    // Its own data folder: with the pass off, the audit log and caches hold secrets the other checks must not see.
    const core = await openCore((t) => t, mkdtempSync(path.join(os.tmpdir(), 'toc-hostile-off-')));
    try {
      // A few methods that reach each kind are enough to show the check finds what the pass removes.
      const { frames } = await sweepContract(core, [ERRORS], ['connections.test', 'slo.fleet', 'jobs.templates', 'alerts.groups']);
      const leaked = new Set(frames.flatMap((f) => leaksIn(f, ws.secrets)));
      expect(leaked.size).toBeGreaterThan(3);
    } finally {
      await core.dispose();
    }
  });

  it('every CLI command: no secret on stdout or stderr, nor in the data folder', { timeout: 180_000 }, async () => {
    const runs = await sweepCli();
    const leaks = runs.flatMap((r) => leaksIn(r.text, ws.secrets).map((l) => `${r.label}: ${l}`));
    expect(leaks).toEqual([]);
    expect(fileLeaks(ws.dataDir, ws.secrets)).toEqual([]);
    // Each command met the upstream (none stopped at a usage or config error before sending anything).
    for (const r of runs) expect(r.text, r.label).not.toMatch(/Usage:|unknown command/);
    expect(runs.filter((r) => r.outcome === 'no outcome').map((r) => r.label)).toEqual([]);
    expect(runs.filter((r) => r.outcome === 'hung').map((r) => r.label)).toEqual([]);
  });

  it('the CLI with its output pass switched off prints the secrets (the check above can fail)', { timeout: 60_000 }, async () => {
    const runs = await sweepCli({
      unredacted: true,
      commands: [
        ['slo', 'status'],
        ['job', 'follow', '42'],
      ],
      passes: [ERRORS],
    });
    expect(runs.flatMap((r) => leaksIn(r.text, ws.secrets)).length).toBeGreaterThan(0);
  });
});
