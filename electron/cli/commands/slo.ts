import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import { BURN_WINDOWS } from '@shared/slo';
import { SloService } from '../../core/features/slo/slo-service';
import type { Core } from '../../core/core';
import { parseFlags, str, UsageError } from '../args';
import { defaultDataDir } from '../paths';
import { openRuntime } from '../runtime';

// `toc slo status` and `toc slo gate`: the SLO engine for pipelines and terminals. Same core and workspace as
// the app; secrets come from environment references (no keychain). Exit codes: 0 ok / gate open, 1 gate
// closed, 2 cannot tell (usage, config, no data, Prometheus unreachable, unknown SLO).

export const sloStatusHelp = `toc slo status --config FILE [--json] [--at TIME]
  Error budget, burn rates, firing burn-rate alerts and policy tier of every SLO. --json prints an array
  with one object per SLO objective. --at evaluates at another instant (RFC 3339 or unix seconds).`;

export const sloGateHelp = `toc slo gate --config FILE --slo NAME --min-budget PCT [--json] [--at TIME]
  The deploy gate: exit 0 when at least PCT % of the SLO's error budget is left, 1 when less,
  2 when it cannot tell (no data, Prometheus unreachable, unknown SLO).`;

const COMMON = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  at: { type: 'string' },
} as const;

function parseAt(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() !== '' && Number.isFinite(n)) return n * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`--at must be an RFC 3339 time or unix seconds, not "${v}"`);
  return t;
}

async function withFleet<T>(
  values: Record<string, string | boolean | string[] | undefined>,
  fn: (fleet: SloFleet, core: Core) => T,
): Promise<T> {
  const config = str(values.config) ?? process.env.TOC_WORKSPACE;
  if (!config) throw new UsageError('--config FILE is required (or set TOC_WORKSPACE)');
  const atMs = parseAt(str(values.at));
  const core = await openRuntime({ config, transport: 'direct', keychain: false });
  try {
    for (const p of core.services.workspaceProblems()) {
      process.stderr.write(`workspace: ${p.file}${p.line ? `:${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}\n`);
    }
    const service = new SloService({
      workspace: () => core.services.workspace(),
      connections: core.services.connections,
      dataDir: defaultDataDir(),
      ...(atMs !== undefined ? { now: () => atMs } : {}),
    });
    try {
      const fleet = await service.fleet();
      for (const p of fleet.problems)
        process.stderr.write(`slo: ${p.file}${p.line ? `:${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}\n`);
      for (const w of fleet.warnings) process.stderr.write(`slo: warning: ${w.message}\n`);
      return fn(fleet, core);
    } finally {
      service.dispose();
    }
  } finally {
    await core.dispose();
  }
}

/** The JSON shape of one SLO objective (stable for scripts). */
export function statusJson(s: SloStatusView): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    ...(s.displayName !== undefined ? { displayName: s.displayName } : {}),
    ...(s.objective !== undefined ? { objective: s.objective } : {}),
    service: s.service,
    source: s.source,
    ...(s.connectionId !== undefined ? { connectionId: s.connectionId } : {}),
    target: s.target,
    window: s.window,
    sli: s.sli,
    errorBudgetRemaining: s.errorBudgetRemaining,
    errorsRemaining: s.errorsRemaining,
    budgetMinutesLeft: s.budgetMinutesLeft,
    burnRates: Object.fromEntries(BURN_WINDOWS.map((w) => [w, s.burnRates[w]])),
    alerts: s.alerts.map((a) => ({
      severity: a.severity,
      long: a.long,
      short: a.short,
      factor: a.factor,
      longBurn: a.longBurn,
      shortBurn: a.shortBurn,
    })),
    timeToExhaustion: s.timeToExhaustion,
    policy: s.policy,
    status: s.status,
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.stale ? { stale: true } : {}),
    warnings: s.warnings,
  };
}

const pct = (x: number | null, digits = 1): string => (x === null ? '—' : `${(x * 100).toFixed(digits)} %`);
const burn = (x: number | null): string => (x === null ? '—' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`);

const TIER_RANK: Record<SloStatusView['policy'], number> = { emergency: 0, 'no-data': 1, restricted: 2, caution: 3, normal: 4 };

/** Worst first: broken or unknown next to the emergencies, then by budget left. */
export function worstFirst(a: SloStatusView, b: SloStatusView): number {
  const ra = a.status === 'error' ? 1 : TIER_RANK[a.policy];
  const rb = b.status === 'error' ? 1 : TIER_RANK[b.policy];
  return ra - rb || (a.errorBudgetRemaining ?? 0) - (b.errorBudgetRemaining ?? 0) || a.id.localeCompare(b.id);
}

export function statusTable(statuses: readonly SloStatusView[]): string {
  const head = ['SLO', 'SERVICE', 'WINDOW', 'TARGET', 'SLI', 'BUDGET LEFT', 'BURN 1h', 'ALERTS', 'POLICY', 'STATUS'];
  const rows = [...statuses]
    .sort(worstFirst)
    .map((s) => [
      s.objective ? `${s.name} (${s.objective})` : s.name,
      s.service,
      s.window,
      pct(s.target, s.target >= 0.999 ? 2 : 1),
      pct(s.sli, 3),
      pct(s.errorBudgetRemaining),
      burn(s.burnRates['1h']),
      s.alerts.length ? [...new Set(s.alerts.map((a) => a.severity))].join(',') : '—',
      s.policy,
      s.status === 'error' ? `error: ${(s.error ?? '').slice(0, 80)}` : s.stale ? `${s.status} (stale)` : s.status,
    ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export async function sloStatusCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, COMMON);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  return withFleet(values, (fleet) => {
    if (values.json === true) process.stdout.write(`${JSON.stringify(fleet.statuses.map(statusJson), null, 2)}\n`);
    else if (fleet.statuses.length === 0)
      process.stdout.write('No SLOs are defined (slos.files in the workspace, or import one in the app).\n');
    else process.stdout.write(statusTable(fleet.statuses));
    if (fleet.statuses.length === 0) return 2;
    return fleet.statuses.every((s) => s.status === 'error') ? 2 : 0;
  });
}

function parsePercent(v: string | undefined): number {
  if (v === undefined) throw new UsageError('--min-budget PCT is required (percent of the error budget, 0-100)');
  const n = Number(v.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new UsageError(`--min-budget must be a percentage from 0 to 100, not "${v}"`);
  return n;
}

export async function sloGateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...COMMON, slo: { type: 'string' }, 'min-budget': { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const name = str(values.slo);
  if (!name) throw new UsageError('--slo NAME is required');
  const minPct = parsePercent(str(values['min-budget']));
  return withFleet(values, (fleet) => {
    const say = (code: 0 | 1 | 2, text: string, extra: Record<string, unknown> = {}): number => {
      if (values.json === true) {
        const decision = code === 0 ? 'pass' : code === 1 ? 'fail' : 'unknown';
        process.stdout.write(`${JSON.stringify({ slo: name, minBudget: minPct / 100, decision, message: text, ...extra }, null, 2)}\n`);
      } else process.stdout.write(`${text}\n`);
      return code;
    };
    const matches = fleet.statuses.filter((s) => s.id === name || s.name === name);
    if (matches.length === 0) {
      const known = [...new Set(fleet.statuses.map((s) => s.name))].join(', ') || 'none';
      return say(2, `${name}: no such SLO, so the gate cannot tell. Known SLOs: ${known}.`);
    }
    // Several objectives under one name: the strictest (least budget left) decides.
    const unknown = matches.find((s) => s.errorBudgetRemaining === null || (s.status === 'error' && !s.stale));
    if (unknown) {
      const why = unknown.status === 'error' ? (unknown.error ?? 'the query failed') : unknown.warnings.join('; ') || 'no data';
      return say(2, `${unknown.id}: the error budget is unknown (${unknown.status}: ${why}); the gate cannot tell.`, {
        policy: unknown.policy,
        status: unknown.status,
      });
    }
    const worst = [...matches].sort((a, b) => (a.errorBudgetRemaining ?? 0) - (b.errorBudgetRemaining ?? 0))[0] as SloStatusView;
    const left = worst.errorBudgetRemaining ?? 0;
    const what = `${worst.objective ? `${worst.name} (${worst.objective})` : worst.name}: ${pct(left)} of the error budget left over ${worst.window} (target ${pct(worst.target, 2)}), policy ${worst.policy}`;
    const stale = worst.stale ? ` — from stale data (${worst.staleReason ?? 'the last refresh failed'})` : '';
    const extra = { id: worst.id, remaining: left, policy: worst.policy, status: worst.status };
    if (left * 100 >= minPct) return say(0, `${what}; at least ${minPct} % is required: the gate is open.${stale}`, extra);
    return say(1, `${what}; at least ${minPct} % is required: the gate is closed, deploys should wait.${stale}`, extra);
  });
}
