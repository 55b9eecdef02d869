// The reliability case table: every misbehaviour of the hostile upstream against every connection kind, each
// through the contract as the app calls it (the kind's connection test, then its main read). Each case is
// classed handled / answered badly / crashed / hung / leaked, and the totals are printed with the table.
//   npx tsx test/reliability/hostile-cases.ts            (markdown table and totals; exit 1 unless all handled)
//   npx tsx test/reliability/hostile-cases.ts --json     (the same as JSON)
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { createDirectBridge } from '../../electron/core/kernel/dispatch/direct-bridge';
import { openCoreSecretStore } from '../../electron/core/kernel/secrets/bootstrap';
import { leaksIn, makeHostileWorkspace } from '../helpers/hostile-workspace';
import { startHostileServer } from '../sim/hostile/server';
import type { HostileMode } from '../sim/hostile/server';

type Outcome = 'handled' | 'answered badly' | 'crashed' | 'hung' | 'leaked';

interface Case {
  mode: string;
  kind: string;
  outcome: Outcome;
  why: string;
  ms: number;
}

const TIMEOUT_MS = 1000;
const WATCHDOG_MS = TIMEOUT_MS * 4 + 5000;

const KINDS = [
  { kind: 'prometheus', id: 'prom-h', read: ['slo.fleet', { refresh: true }] },
  { kind: 'alertmanager', id: 'am-h', read: ['alerts.groups', { connectionId: 'am-h' }] },
  { kind: 'servicenow', id: 'snow-h', read: ['incidents.query', { connectionId: 'snow-h', query: 'active=true' }] },
  { kind: 'awx', id: 'awx-h', read: ['jobs.templates', { connectionId: 'awx-h' }] },
] as const;

/** Each misbehaviour, and the words a handled answer must contain (the console said what happened). */
const MODES: { name: string; mode: (other: string) => HostileMode; must?: RegExp; expectError: boolean }[] = [
  { name: 'echoes credentials in a 401', mode: () => ({ kind: 'echo', status: 401 }), must: /401/, expectError: true },
  { name: 'echoes credentials in a 500', mode: () => ({ kind: 'echo', status: 500 }), must: /500/, expectError: true },
  { name: 'echoes credentials inside 200 answers', mode: () => ({ kind: 'echo', status: 200 }), expectError: false },
  { name: '200 with JSON that means nothing ({"status":"UP"})', mode: () => ({ kind: 'junk-json' }), expectError: true },
  { name: '200 with JSON that does not parse', mode: () => ({ kind: 'junk-text' }), must: /not valid JSON/, expectError: true },
  { name: 'accepts, never sends headers', mode: () => ({ kind: 'hang-headers' }), must: /did not answer within 1 s/, expectError: true },
  {
    name: 'sends headers and half a body, then nothing',
    mode: () => ({ kind: 'hang-body' }),
    must: /did not answer within 1 s/,
    expectError: true,
  },
  { name: 'a 5 MB answer (limit 1 MB)', mode: () => ({ kind: 'huge', bytes: 5 * 1024 * 1024 }), must: /more than 1 MB/, expectError: true },
  { name: 'invalid UTF-8 in an error body', mode: () => ({ kind: 'invalid-utf8', status: 500 }), must: /500/, expectError: true },
  { name: 'terminal escapes in an error body', mode: () => ({ kind: 'escapes', status: 500 }), must: /Gateway fault/, expectError: true },
  { name: 'redirects to another origin', mode: (other) => ({ kind: 'redirect', to: other }), expectError: false },
  { name: '429 with Retry-After: 3600', mode: () => ({ kind: 'retry-after', seconds: 3600 }), must: /3600 s/, expectError: true },
];

async function settle<T>(p: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown; hung?: boolean }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p.then((value) => ({ value })),
      new Promise<{ hung: boolean }>((r) => (timer = setTimeout(() => r({ hung: true }), ms))),
    ]);
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a frame reports a failure: an error value, a failed probe, or an SLO/status in error. */
const reportsError = (frame: string): boolean =>
  /"ok":false/.test(frame) || /"status":"error"/.test(frame) || /"problems":\[\{/.test(frame) || /"warnings":\["/.test(frame);

export async function runCases(): Promise<Case[]> {
  const hostile = await startHostileServer();
  const other = await startHostileServer({ mode: { kind: 'echo', status: 401 } });
  const ws = makeHostileWorkspace(hostile.url, { timeoutMs: TIMEOUT_MS, maxResponseMB: 1 });
  const cases: Case[] = [];
  try {
    for (const m of MODES) {
      for (const k of KINDS) {
        // A fresh core per case: no cached token, client or sync state carries one case into the next.
        const secrets = await openCoreSecretStore({ useKeychain: false });
        const core = await createCore({
          version: 'reliability',
          transport: 'direct',
          workspaceFile: ws.config,
          dataDir: path.join(ws.dataDir, `${k.kind}-${cases.length}`),
          secrets: secrets.store,
          env: { ...ws.env },
          redact: secrets.redact,
          onSecretUsed: secrets.remember,
        });
        const bridge = createDirectBridge(core.dispatcher);
        hostile.set(m.mode(other.url));
        const before = other.credentialsReceived().length;
        const t0 = Date.now();
        const probe = await settle(bridge.invoke('connections.test', { id: k.id }), WATCHDOG_MS);
        const read = await settle(bridge.invoke(k.read[0], k.read[1]), WATCHDOG_MS);
        const ms = Date.now() - t0;
        const frames = [probe.value, read.value].map((v) => JSON.stringify(v ?? null));
        const text = frames.join('\n');
        const leaked = leaksIn(text, ws.secrets);
        const leakedAway = other
          .credentialsReceived()
          .slice(before)
          .filter((c) => ws.secrets.some((s) => c.includes(s.value)));
        let outcome: Outcome = 'handled';
        let why = '';
        if (probe.hung || read.hung) [outcome, why] = ['hung', `no answer within ${WATCHDOG_MS / 1000} s`];
        else if (probe.error || read.error) [outcome, why] = ['crashed', String(probe.error ?? read.error).slice(0, 120)];
        else if (leaked.length || leakedAway.length)
          [outcome, why] = ['leaked', [...leaked, ...(leakedAway.length ? ['a secret reached the other origin'] : [])].join(', ')];
        else if (m.expectError && !frames.every(reportsError)) [outcome, why] = ['answered badly', 'reported success'];
        else if (m.must && !m.must.test(text)) [outcome, why] = ['answered badly', `does not say ${String(m.must)}`];
        cases.push({ mode: m.name, kind: k.kind, outcome, why, ms });
        await settle(core.dispose(), 5000);
        hostile.clearRoutes();
      }
    }
  } finally {
    await hostile.close();
    await other.close();
    ws.cleanup();
  }
  return cases;
}

export function totals(cases: Case[]): Record<Outcome | 'tried', number> {
  const t = { tried: cases.length, handled: 0, 'answered badly': 0, crashed: 0, hung: 0, leaked: 0 };
  for (const c of cases) t[c.outcome]++;
  return t;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = await runCases();
  const t = totals(cases);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ totals: t, cases }, null, 2)}\n`);
  else {
    const kinds = KINDS.map((k) => k.kind);
    const lines = [`| upstream | ${kinds.join(' | ')} |`, `| --- | ${kinds.map(() => '---').join(' | ')} |`];
    for (const m of MODES) {
      const cells = kinds.map((k) => {
        const c = cases.find((x) => x.mode === m.name && x.kind === k);
        return c ? `${c.outcome}${c.why ? ` (${c.why})` : ''}` : '—';
      });
      lines.push(`| ${m.name} | ${cells.join(' | ')} |`);
    }
    lines.push(
      '',
      `Totals: tried ${t.tried}, handled ${t.handled}, answered badly ${t['answered badly']}, crashed ${t.crashed}, hung ${t.hung}, leaked ${t.leaked}.`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.exit(t.handled === t.tried ? 0 : 1);
}
