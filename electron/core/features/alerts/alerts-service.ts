import type { ConnectionSpec } from '@shared/connections/model';
import type {
  Alert,
  AlertGroup,
  AlertGroups,
  AlertsContext,
  MatcherInput,
  PreviewAlert,
  Silence,
  SilenceActionResult,
  SilenceList,
  SilencePreview,
} from '@shared/alerts/model';
import { alertLinks } from '@shared/alerts/links';
import type { IncidentRef, RunbookRef } from '@shared/alerts/links';
import { compileAll, formatMatchers, matchesAll, silenceMatcherProblems } from '@shared/alerts/matchers';
import { ContractFailure } from '@shared/kernel/result';
import type { HttpClient } from '../../kernel/http/types';
import type { AuditLog } from '../../kernel/audit/audit-log';
import { AlertmanagerClient } from '../../systems/alertmanager/alertmanager-client';
import type { AmAlert, AmSilence } from '../../systems/alertmanager/alertmanager-client';

// Alert groups with their links, silences, the preview of a silence, and the silence actions. Every change is
// in the audit log before the caller hears it is done; a failed change is logged too, with Alertmanager's words.

export interface AlertsDeps {
  connections: {
    get(id: string): ConnectionSpec;
    byKind(kind: ConnectionSpec['kind']): ConnectionSpec[];
    client(id: string): Promise<HttpClient>;
  };
  audit: Pick<AuditLog, 'append'>;
  workspace: () => { grafanaUrl?: string | undefined };
  /** Where links come from; each may fail on its own (reported as a link problem, never fatal). */
  links?: {
    runbooks?: () => Promise<RunbookRef[]>;
    incidents?: () => Promise<{ incidents: IncidentRef[]; problems: string[] }>;
  };
  /** Who acts (the OS user): the default "created by". */
  who: string;
  refreshMs?: number;
  /** Labels job-scoped silences (the job-silence manager knows them). */
  jobOf?: (silenceId: string) => Silence['job'] | undefined;
}

export interface SilenceDraft {
  connectionId?: string | undefined;
  matchers: MatcherInput[];
  startsAt?: string | undefined;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export const DEFAULT_ALERTS_REFRESH_MS = 15_000;

const byTime = (k: 'startsAt' | 'endsAt', dir: 1 | -1) => (a: Silence, b: Silence) => dir * (Date.parse(a[k]) - Date.parse(b[k]));

export class AlertsService {
  private clients = new Map<string, { key: string; am: AlertmanagerClient }>();

  constructor(readonly deps: AlertsDeps) {}

  get refreshMs(): number {
    return this.deps.refreshMs ?? DEFAULT_ALERTS_REFRESH_MS;
  }

  /** The connection to use: the one named, or the first Alertmanager connection. */
  connectionId(requested: string | undefined): string {
    if (requested) {
      const spec = this.deps.connections.get(requested);
      if (spec.kind !== 'alertmanager')
        throw new ContractFailure('bad_request', `The connection "${requested}" is a ${spec.kind} connection, not Alertmanager.`);
      return spec.id;
    }
    const first = this.deps.connections.byKind('alertmanager')[0];
    if (!first)
      throw new ContractFailure(
        'not_configured',
        'No Alertmanager connection is configured. Add one in Settings → Connections or in the workspace file.',
      );
    return first.id;
  }

  async client(requested?: string): Promise<AlertmanagerClient> {
    const id = this.connectionId(requested);
    const spec = this.deps.connections.get(id);
    const key = JSON.stringify(spec);
    const cached = this.clients.get(id);
    if (cached && cached.key === key) return cached.am;
    const am = new AlertmanagerClient(await this.deps.connections.client(id), spec.name, spec.id);
    this.clients.set(id, { key, am });
    return am;
  }

  context(): AlertsContext {
    const grafanaUrl = this.deps.workspace().grafanaUrl;
    return {
      connections: this.deps.connections
        .byKind('alertmanager')
        .map((c) => ({ id: c.id, name: c.name, ...(c.environment ? { environment: c.environment } : {}) })),
      defaultCreator: this.deps.who,
      ...(grafanaUrl ? { grafanaUrl } : {}),
      refreshMs: this.refreshMs,
    };
  }

  async groups(a: { connectionId?: string | undefined; suppressed?: boolean | undefined }, signal?: AbortSignal): Promise<AlertGroups> {
    const am = await this.client(a.connectionId);
    const withSuppressed = a.suppressed ?? true;
    const [groups, sources] = await Promise.all([
      am.groups({ active: true, silenced: withSuppressed, inhibited: withSuppressed }, signal),
      this.linkSources(),
    ]);
    const grafanaUrl = this.deps.workspace().grafanaUrl;
    const out: AlertGroup[] = groups.map((g) => ({
      key: `${g.receiver.name}/${JSON.stringify(Object.entries(g.labels).sort(([x], [y]) => x.localeCompare(y)))}`,
      labels: g.labels,
      receiver: g.receiver.name,
      alerts: g.alerts.map((x) => this.toAlert(x, { grafanaUrl, runbooks: sources.runbooks, incidents: sources.incidents })),
    }));
    return {
      connectionId: am.connectionId,
      connectionName: am.name,
      fetchedAt: new Date().toISOString(),
      refreshMs: this.refreshMs,
      groups: out,
      linkProblems: sources.problems,
    };
  }

  private toAlert(x: AmAlert, sources: { grafanaUrl: string | undefined; runbooks: RunbookRef[]; incidents: IncidentRef[] }): Alert {
    const annotations = x.annotations ?? {};
    return {
      fingerprint: x.fingerprint,
      labels: x.labels,
      annotations,
      state: x.status.state,
      silencedBy: x.status.silencedBy ?? [],
      inhibitedBy: x.status.inhibitedBy ?? [],
      startsAt: x.startsAt,
      updatedAt: x.updatedAt ?? x.startsAt,
      endsAt: x.endsAt ?? '',
      receivers: (x.receivers ?? []).map((r) => r.name),
      links: alertLinks({ labels: x.labels, annotations, startsAt: x.startsAt, generatorURL: x.generatorURL }, sources),
    };
  }

  private async linkSources(): Promise<{ runbooks: RunbookRef[]; incidents: IncidentRef[]; problems: string[] }> {
    const problems: string[] = [];
    const links = this.deps.links ?? {};
    const [runbooks, incidents] = await Promise.all([
      links.runbooks
        ? links.runbooks().catch((e: unknown) => {
            problems.push(`Runbooks: ${messageOf(e)}`);
            return [];
          })
        : Promise.resolve([]),
      links.incidents
        ? links.incidents().catch((e: unknown) => ({ incidents: [], problems: [`Incidents: ${messageOf(e)}`] }))
        : Promise.resolve({ incidents: [], problems: [] }),
    ]);
    return { runbooks, incidents: incidents.incidents, problems: [...problems, ...incidents.problems] };
  }

  async silences(connectionId?: string, signal?: AbortSignal): Promise<SilenceList> {
    const am = await this.client(connectionId);
    const [raw, alerts] = await Promise.all([
      am.silences(signal),
      am.alerts({ active: true, silenced: true, inhibited: true }, signal).catch(() => []),
    ]);
    const counts = new Map<string, number>();
    for (const a of alerts) for (const id of a.status.silencedBy ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
    const all = raw.map((s) => this.toSilence(s, counts.get(s.id) ?? 0));
    return {
      connectionId: am.connectionId,
      connectionName: am.name,
      fetchedAt: new Date().toISOString(),
      active: all.filter((s) => s.state === 'active').sort(byTime('endsAt', 1)),
      pending: all.filter((s) => s.state === 'pending').sort(byTime('startsAt', 1)),
      expired: all.filter((s) => s.state === 'expired').sort(byTime('endsAt', -1)),
    };
  }

  private toSilence(s: AmSilence, silencedAlerts: number): Silence {
    const job = this.deps.jobOf?.(s.id);
    return {
      id: s.id,
      state: s.status.state,
      matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual ?? true })),
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      updatedAt: s.updatedAt,
      createdBy: s.createdBy,
      comment: s.comment,
      silencedAlerts,
      ...(job ? { job } : {}),
    };
  }

  /** Which alerts (active or already suppressed) the matchers match now, judged like Alertmanager judges. */
  async preview(a: { connectionId?: string | undefined; matchers: MatcherInput[] }, signal?: AbortSignal): Promise<SilencePreview> {
    const am = await this.client(a.connectionId);
    const alerts = await am.alerts({ active: true, silenced: true, inhibited: true }, signal);
    const problems = silenceMatcherProblems(a.matchers);
    const fetchedAt = new Date().toISOString();
    // A matcher that does not compile means the preview cannot judge; the set "matches everything" still can.
    if (problems.some((p) => p.index !== undefined)) return { matching: [], considered: alerts.length, problems, fetchedAt };
    const compiled = compileAll(a.matchers);
    const matching: PreviewAlert[] = alerts
      .filter((x) => matchesAll(compiled, x.labels))
      .map((x) => ({
        fingerprint: x.fingerprint,
        labels: x.labels,
        state: x.status.state,
        startsAt: x.startsAt,
        silencedBy: x.status.silencedBy ?? [],
      }));
    return { matching, considered: alerts.length, problems, fetchedAt };
  }

  async create(d: SilenceDraft, why?: string): Promise<SilenceActionResult> {
    const am = await this.client(d.connectionId);
    const matchers = d.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual }));
    const target = `silence ${formatMatchers(matchers)} on ${am.name}`;
    let id: string;
    try {
      id = await am.postSilence({
        matchers,
        startsAt: d.startsAt ?? new Date().toISOString(),
        endsAt: d.endsAt,
        createdBy: d.createdBy.trim(),
        comment: d.comment.trim(),
      });
    } catch (e) {
      await this.auditFailure('alerts.silence.create', target, am.connectionId, e);
      throw e;
    }
    const auditId = await this.auditOk(
      'alerts.silence.create',
      target,
      am.connectionId,
      id,
      `until ${d.endsAt}${why ? `; ${why}` : ''}: ${d.comment.trim()}`,
    );
    const startsAt = d.startsAt ?? new Date().toISOString();
    const silence = await this.readBack(am, id, {
      id,
      state: Date.parse(startsAt) > Date.now() ? 'pending' : 'active',
      matchers,
      startsAt,
      endsAt: d.endsAt,
      updatedAt: new Date().toISOString(),
      createdBy: d.createdBy.trim(),
      comment: d.comment.trim(),
      silencedAlerts: 0,
    });
    return { silence, auditId };
  }

  async extend(a: {
    connectionId?: string | undefined;
    id: string;
    endsAt: string;
    comment?: string | undefined;
  }): Promise<SilenceActionResult> {
    const am = await this.client(a.connectionId);
    const target = `silence ${a.id} on ${am.name}`;
    let newId: string;
    let before: AmSilence;
    try {
      before = await am.silence(a.id);
      if (before.status.state === 'expired') {
        throw new ContractFailure(
          'conflict',
          `Silence ${a.id} expired at ${before.endsAt}. Alertmanager does not extend an expired silence (it would create a new one with a new id): create a new silence from it instead.`,
          { connectionId: am.connectionId },
        );
      }
      newId = await am.postSilence({
        id: a.id,
        matchers: before.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual ?? true })),
        // Same start and matchers: Alertmanager updates the silence in place and keeps its id.
        startsAt: before.startsAt,
        endsAt: a.endsAt,
        createdBy: before.createdBy,
        comment: a.comment ?? before.comment,
      });
    } catch (e) {
      await this.auditFailure('alerts.silence.extend', target, am.connectionId, e);
      throw e;
    }
    const replaced = newId !== a.id;
    const auditId = await this.auditOk(
      'alerts.silence.extend',
      target,
      am.connectionId,
      newId,
      `end ${before.endsAt} → ${a.endsAt}${replaced ? `; Alertmanager replaced it with silence ${newId}` : ''}`,
    );
    const silence = await this.readBack(am, newId, {
      ...this.toSilence(before, 0),
      id: newId,
      endsAt: a.endsAt,
      ...(a.comment ? { comment: a.comment } : {}),
    });
    return { silence, auditId, ...(replaced ? { replacedId: a.id } : {}) };
  }

  async expire(
    a: { connectionId?: string | undefined; id: string },
    why?: string,
  ): Promise<{ id: string; auditId: string; wasAlreadyExpired: boolean }> {
    const am = await this.client(a.connectionId);
    const target = `silence ${a.id} on ${am.name}`;
    let wasAlreadyExpired = false;
    let matchers = '';
    try {
      // Read first to say what was expired; an unknown id still goes to DELETE so Alertmanager says it in its words.
      const before = await am.silence(a.id).catch((e: unknown) => {
        if (e instanceof ContractFailure && e.code === 'not_found') return undefined;
        throw e;
      });
      wasAlreadyExpired = before?.status.state === 'expired';
      if (before) matchers = formatMatchers(before.matchers.map((m) => ({ ...m, isEqual: m.isEqual ?? true })));
      await am.expireSilence(a.id);
      if (!before) {
        // Answered 2xx for an id it could not show: say so rather than claim success.
        throw new ContractFailure('not_found', `${am.name} has no silence ${a.id}.`, { status: 404, connectionId: am.connectionId });
      }
    } catch (e) {
      await this.auditFailure('alerts.silence.expire', target, am.connectionId, e);
      throw e;
    }
    const auditId = await this.auditOk(
      'alerts.silence.expire',
      target,
      am.connectionId,
      a.id,
      `${wasAlreadyExpired ? 'was already expired' : 'expired'} ${matchers}${why ? `; ${why}` : ''}`,
    );
    return { id: a.id, auditId, wasAlreadyExpired };
  }

  /** The silence as Alertmanager now has it; what was sent if it cannot be read back (the change is done). */
  private async readBack(am: AlertmanagerClient, id: string, sent: Silence): Promise<Silence> {
    try {
      return this.toSilence(await am.silence(id), 0);
    } catch {
      return sent;
    }
  }

  private async auditOk(action: string, target: string, connectionId: string, remoteRef: string, message: string): Promise<string> {
    try {
      return (await this.deps.audit.append({ action, target, connectionId, outcome: 'ok', remoteRef, message })).id;
    } catch (e) {
      throw new ContractFailure(
        'internal',
        `Alertmanager accepted the change (${message}), but the audit log could not be written: ${(e as Error).message}`,
        {
          connectionId,
        },
      );
    }
  }

  private async auditFailure(action: string, target: string, connectionId: string, e: unknown): Promise<void> {
    await this.deps.audit.append({ action, target, connectionId, outcome: 'error', message: messageOf(e) }).catch(() => undefined);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
