import type { IncidentRow } from '@shared/incidents/model';
import type { ContractError } from '@shared/kernel/result';
import { parseFlags, str, UsageError } from '../args';
import { openRuntime } from '../runtime';

export const incidentsListHelp = `toc incidents list --config FILE [--query ENCODED_QUERY] [--json] [--connection ID] [--limit N]
  The open incidents of a ServiceNow connection (or those an encoded query matches), as a table or JSON.`;

/** One incident as `--json` prints it: labels where ServiceNow has them, stored values under "values". */
export interface IncidentJson {
  number: string;
  sys_id: string;
  priority: string;
  state: string;
  short_description: string;
  assignment_group: string;
  assigned_to: string;
  cmdb_ci: string;
  hold_reason: string;
  /** UTC, as ServiceNow stores it: YYYY-MM-DD HH:mm:ss. */
  opened_at: string;
  sys_updated_on: string;
  sla_due: string;
  sys_mod_count: number;
  u_alert_name: string;
  u_alert_instance: string;
  values: { priority: string; state: string; assignment_group: string; assigned_to: string; cmdb_ci: string; hold_reason: string };
}

export function toIncidentJson(r: IncidentRow): IncidentJson {
  return {
    number: r.number,
    sys_id: r.sys_id,
    priority: r.priority.label,
    state: r.state.label,
    short_description: r.short_description,
    assignment_group: r.assignment_group.label,
    assigned_to: r.assigned_to.label,
    cmdb_ci: r.cmdb_ci.label,
    hold_reason: r.hold_reason.label,
    opened_at: r.opened_at,
    sys_updated_on: r.sys_updated_on,
    sla_due: r.sla_due,
    sys_mod_count: r.sys_mod_count,
    u_alert_name: r.u_alert_name,
    u_alert_instance: r.u_alert_instance,
    values: {
      priority: r.priority.value,
      state: r.state.value,
      assignment_group: r.assignment_group.value,
      assigned_to: r.assigned_to.value,
      cmdb_ci: r.cmdb_ci.value,
      hold_reason: r.hold_reason.value,
    },
  };
}

/** Queue order: priority, then oldest first. */
export function queueOrder(a: IncidentRow, b: IncidentRow): number {
  const pa = Number(a.priority.value) || 9;
  const pb = Number(b.priority.value) || 9;
  return pa - pb || a.opened_at.localeCompare(b.opened_at) || a.number.localeCompare(b.number);
}

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

export function formatTable(rows: readonly IncidentRow[]): string {
  const head = ['NUMBER', 'PRIORITY', 'STATE', 'ASSIGNMENT GROUP', 'ASSIGNED TO', 'UPDATED (UTC)', 'SHORT DESCRIPTION'];
  const body = rows.map((r) => [
    r.number,
    r.priority.label,
    r.state.label + (r.hold_reason.label ? ` (${r.hold_reason.label})` : ''),
    clip(r.assignment_group.label || '—', 28),
    clip(r.assigned_to.label || '—', 22),
    r.sys_updated_on,
    clip(r.short_description.replace(/\s+/g, ' '), 70),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

function errorText(e: { message: string; detail?: { remoteMessage?: string } }): string {
  const remote = e.detail?.remoteMessage;
  return remote && !e.message.includes(remote) ? `${e.message} (ServiceNow said: ${remote})` : e.message;
}

export async function incidentsListCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    query: { type: 'string', short: 'q' },
    json: { type: 'boolean' },
    connection: { type: 'string' },
    limit: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const config = str(values.config);
  if (!config && !process.env.TOC_WORKSPACE) throw new UsageError('--config FILE is required (or set TOC_WORKSPACE)');
  const limitText = str(values.limit);
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 50_000))
    throw new UsageError(`--limit must be a whole number from 1 to 50000, not "${limitText ?? ''}"`);
  const query = str(values.query);
  const connectionId = str(values.connection);

  const core = await openRuntime({ ...(config ? { config } : {}), transport: 'direct', keychain: false });
  try {
    for (const p of core.services.workspaceProblems()) {
      process.stderr.write(`workspace: ${p.file}${p.line ? `:${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}\n`);
    }
    const ctx = { transport: 'direct' as const, signal: new AbortController().signal };
    let rows: IncidentRow[];
    let note = '';
    if (query !== undefined) {
      const r = await core.dispatcher.call(
        'incidents.query',
        { ...(connectionId ? { connectionId } : {}), query, ...(limit ? { limit } : {}) },
        ctx,
      );
      if (!r.ok) {
        process.stderr.write(`toc incidents list: ${errorText(r.error)}\n`);
        return 2;
      }
      const data = r.data as { rows: IncidentRow[]; truncated: boolean };
      rows = /ORDERBY/.test(query) ? data.rows : [...data.rows].sort(queueOrder);
      if (data.truncated) process.stderr.write(`toc incidents list: showing the first ${data.rows.length} matches (--limit).\n`);
      note = `${rows.length} incident${rows.length === 1 ? '' : 's'} match the query`;
    } else {
      const r = await core.dispatcher.call('incidents.list', connectionId ? { connectionId } : {}, ctx);
      if (!r.ok) {
        process.stderr.write(`toc incidents list: ${errorText(r.error)}\n`);
        return 2;
      }
      const snap = r.data as {
        rows: IncidentRow[];
        connectionName: string;
        counts: { byPriority: Record<string, number> };
        error: ContractError | null;
      };
      // Rows with an error are not the live queue (the last good copy): a pipeline must not take them for it.
      if (snap.error) {
        process.stderr.write(`toc incidents list: ${errorText(snap.error)}\n`);
        return 2;
      }
      rows = [...snap.rows].sort(queueOrder).slice(0, limit ?? snap.rows.length);
      const p = snap.counts.byPriority;
      note = `${snap.rows.length} open incident${snap.rows.length === 1 ? '' : 's'} on ${snap.connectionName} (P1 ${p['1'] ?? 0}, P2 ${p['2'] ?? 0}, P3 ${p['3'] ?? 0}, P4 ${p['4'] ?? 0}, P5 ${p['5'] ?? 0})`;
    }
    if (values.json === true) {
      // A JSON array with one incident object per line: JSON.parse reads it whole, grep reads it by line.
      const lines = rows.map((row) => JSON.stringify(toIncidentJson(row)));
      process.stdout.write(lines.length === 0 ? '[]\n' : `[\n${lines.join(',\n')}\n]\n`);
    } else {
      process.stdout.write(rows.length === 0 ? `${note}.\n` : `${formatTable(rows)}\n\n${note}.\n`);
    }
    return 0;
  } finally {
    await core.dispose();
  }
}
