import type { ConnectionSpec } from '@shared/connections/model';
import type { HostStat, JobDetail, JobSummary, SurveyQuestion, TemplateSummary } from '@shared/jobs/model';
import { SURVEY_TYPES } from '@shared/jobs/model';
import { ContractFailure } from '@shared/kernel/result';
import type { HttpClient, QueryValue } from '../../kernel/http/types';
import { consoleVarsOf } from '@shared/jobs/jobs';
import { awxFailure } from './awx-errors';
import { bool, int, isRecord, list, num, rec, str, strOrNull, strings } from './awx-values';
import type { Json } from './awx-values';

// The AWX REST API v2 as the console uses it (research/awx.md §2–§5). Reads are idempotent and retried by the
// HTTP client; launch, cancel and relaunch are sent once. Lists follow AWX's `next` links (its query string:
// the path part may carry a proxy prefix we do not want to guess) and never ask for more than 200 a page.
// Over 400 lines because every AWX call the console makes, with its paging and its error mapping, lives in this one client.

export const MAX_PAGE_SIZE = 200;
const SLOW_MS = 60_000;
const TOO_LARGE = /^Standard Output too large to display \((\d+) bytes\), only download supported for sizes over (\d+) bytes\.?\s*$/;

/** One job event as the follower needs it (REST list rows and websocket messages both map to this). */
export interface AwxEvent {
  counter: number;
  event: string;
  stdout: string;
  startLine: number;
  endLine: number;
  failed: boolean;
  changed: boolean;
  host: string;
  play: string;
  playId: string;
  task: string;
  taskId: string;
  uuid: string;
  /** playbook_on_stats only: the host → count maps. */
  stats: HostStat[] | null;
}

export type StdoutAnswer = { kind: 'text'; text: string } | { kind: 'too_large'; bytes: number; limit: number; message: string };

export interface LaunchAnswer {
  job: Json;
  ignoredFields: Record<string, unknown>;
}

export class AwxClient {
  readonly base: string;
  private readonly uiBase: string;

  constructor(
    readonly spec: ConnectionSpec,
    private readonly http: HttpClient,
  ) {
    this.base = spec.apiBasePath ?? '/api/v2/';
    this.uiBase = spec.url.replace(/\/+$/, '');
  }

  path(...parts: (string | number)[]): string {
    return `${this.base}${parts.map((p) => `${p}/`).join('')}`;
  }

  jobLink(id: number): string {
    return this.base.startsWith('/api/controller/')
      ? `${this.uiBase}/execution/jobs/playbook/${id}/output`
      : `${this.uiBase}/#/jobs/playbook/${id}/output`;
  }

  templateLink(id: number): string {
    return this.base.startsWith('/api/controller/')
      ? `${this.uiBase}/execution/templates/job-template/${id}/details`
      : `${this.uiBase}/#/templates/job_template/${id}/details`;
  }

  async get(path: string, query: Record<string, QueryValue> = {}, timeoutMs?: number): Promise<Json> {
    try {
      const r = await this.http.request<unknown>({ path, query, idempotent: true, ...(timeoutMs ? { timeoutMs } : {}) });
      if (!isRecord(r.body))
        throw new ContractFailure('bad_response', `${this.spec.name} answered ${path} with something that is not a JSON object.`);
      return r.body;
    } catch (e) {
      throw awxFailure(e, this.spec);
    }
  }

  /** Every row of a list, following `next`, up to `max` rows. */
  async listAll(path: string, query: Record<string, QueryValue>, max = 2000, timeoutMs?: number): Promise<Json[]> {
    const out: Json[] = [];
    let q: Record<string, QueryValue> = { page_size: MAX_PAGE_SIZE, ...query };
    for (let guard = 0; guard < 1000; guard++) {
      const page = await this.get(path, q, timeoutMs);
      if (!Array.isArray(page.results))
        throw new ContractFailure(
          'bad_response',
          `${this.spec.name} answered ${path} with something that is not an AWX list (no "results"): ${JSON.stringify(page).slice(0, 120)}`,
        );
      for (const row of list(page.results)) if (isRecord(row)) out.push(row);
      const next = page.next;
      if (typeof next !== 'string' || next === '' || out.length >= max) break;
      q = queryOf(next);
    }
    return out.slice(0, max);
  }

  // --- templates ---------------------------------------------------------------------------------------

  async templates(search?: string): Promise<TemplateSummary[]> {
    const rows = await this.listAll(this.path('job_templates'), { order_by: 'name', ...(search ? { name__icontains: search } : {}) }, 1000);
    return rows.map((r) => this.templateOf(r));
  }

  async template(id: number): Promise<Json> {
    return this.get(this.path('job_templates', id));
  }

  async templateByName(name: string): Promise<Json> {
    const rows = await this.listAll(this.path('job_templates'), { name }, 10);
    const exact = rows.find((r) => r.name === name);
    if (!exact) {
      throw new ContractFailure('not_found', `${this.spec.name} has no job template named "${name}" (or this user may not see it).`, {
        connectionId: this.spec.id,
      });
    }
    return exact;
  }

  templateOf(r: Json): TemplateSummary {
    const sf = rec(r.summary_fields);
    const labels = list(rec(sf.labels).results)
      .map((l) => str(rec(l).name))
      .filter((n) => n !== '');
    const last = rec(sf.last_job);
    const id = num(r.id);
    return {
      connectionId: this.spec.id,
      connectionName: this.spec.name,
      id,
      name: str(r.name),
      description: str(r.description),
      playbook: str(r.playbook),
      inventory: strOrNull(rec(sf.inventory).name),
      labels,
      surveyEnabled: bool(r.survey_enabled),
      askVariables: bool(r.ask_variables_on_launch),
      askLimit: bool(r.ask_limit_on_launch),
      canLaunch: rec(sf.user_capabilities).start !== false,
      production: labels.some((l) => /^prod(uction)?$/i.test(l)) || isProductionEnvironment(this.spec),
      lastJob: int(last.id) !== null ? { id: num(last.id), status: str(last.status), finished: strOrNull(last.finished) } : null,
      link: this.templateLink(id),
    };
  }

  async launchInfo(id: number): Promise<Json> {
    return this.get(this.path('job_templates', id, 'launch'));
  }

  async surveySpec(id: number): Promise<{ name: string; description: string; questions: SurveyQuestion[] } | null> {
    const spec = await this.get(this.path('job_templates', id, 'survey_spec'));
    if (!Array.isArray(spec.spec)) return null;
    return {
      name: str(spec.name),
      description: str(spec.description),
      questions: list(spec.spec)
        .map(questionOf)
        .filter((q): q is SurveyQuestion => q !== null),
    };
  }

  /** POST …/launch/ once. AWX's own refusal (400 field errors, 403) is quoted in the error. */
  async launch(id: number, body: Json): Promise<LaunchAnswer> {
    try {
      const r = await this.post(this.path('job_templates', id, 'launch'), body);
      const job = rec(r.body);
      if (int(job.job) === null && int(job.id) === null) {
        throw new ContractFailure('bad_response', `${this.spec.name} accepted the launch but did not say which job it started.`, {
          status: r.status,
        });
      }
      return { job: { ...job, id: int(job.id) ?? job.job }, ignoredFields: rec(job.ignored_fields) };
    } catch (e) {
      throw awxFailure(e, this.spec, 'refused the launch');
    }
  }

  // --- jobs ----------------------------------------------------------------------------------------------

  async job(id: number): Promise<Json> {
    return this.get(this.path('jobs', id));
  }

  async jobs(opts: { limit: number; activeOnly?: boolean }): Promise<Json[]> {
    const page = await this.get(this.path('jobs'), {
      order_by: '-id',
      page_size: Math.min(MAX_PAGE_SIZE, opts.limit),
      ...(opts.activeOnly ? { status__in: 'new,pending,waiting,running' } : {}),
    });
    return list(page.results).filter(isRecord);
  }

  /** POST …/cancel/: true when AWX accepted (202), false when it said 405 (the job already finished). */
  async cancel(id: number): Promise<boolean> {
    try {
      await this.post(this.path('jobs', id, 'cancel'));
      return true;
    } catch (e) {
      if (e instanceof ContractFailure && e.detail?.status === 405) return false;
      throw awxFailure(e, this.spec, 'refused to cancel');
    }
  }

  async relaunch(id: number, hosts: 'all' | 'failed'): Promise<Json> {
    try {
      const r = await this.post(this.path('jobs', id, 'relaunch'), { hosts });
      const job = rec(r.body);
      return { ...job, id: int(job.id) ?? job.job };
    } catch (e) {
      throw awxFailure(e, this.spec, 'refused the relaunch');
    }
  }

  /** Events by counter range, in counter order, full stdout (`no_truncate`). */
  async events(jobId: number, range: { gt?: number; gte?: number; lte?: number }, max = 2000): Promise<AwxEvent[]> {
    const q: Record<string, QueryValue> = { order_by: 'counter', no_truncate: 'true' };
    if (range.gt !== undefined) q.counter__gt = range.gt;
    if (range.gte !== undefined) q.counter__gte = range.gte;
    if (range.lte !== undefined) q.counter__lte = range.lte;
    const rows = await this.listAll(this.path('jobs', jobId, 'job_events'), q, max, SLOW_MS);
    return rows.map(eventOf).filter((e): e is AwxEvent => e !== null);
  }

  /**
   * One sweep of a job's events after `counter`, in counter order, full stdout, in pages of 200 following AWX's
   * `next` links until it has none. Events saved while the sweep runs can shift a page by a row (a duplicate,
   * harmless) but never make it skip one: rows are only ever added. A `next` that stops advancing ends the sweep.
   */
  async *eventPages(jobId: number, counter: number): AsyncGenerator<AwxEvent[]> {
    const path = this.path('jobs', jobId, 'job_events');
    let q: Record<string, QueryValue> = { order_by: 'counter', counter__gt: counter, page_size: MAX_PAGE_SIZE, no_truncate: 'true' };
    let highest = counter;
    let stalled = 0;
    for (let guard = 0; guard < 100_000; guard++) {
      const page = await this.get(path, q, SLOW_MS);
      const events = list(page.results)
        .filter(isRecord)
        .map(eventOf)
        .filter((e): e is AwxEvent => e !== null);
      yield events;
      const top = events.reduce((m, e) => Math.max(m, e.counter), highest);
      stalled = top > highest ? 0 : stalled + 1;
      highest = top;
      const next = page.next;
      if (typeof next !== 'string' || next === '' || stalled >= 3) return;
      q = queryOf(next);
    }
  }

  /** The last saved event and how many events AWX has (`count`), in one request of one row. */
  async lastEvent(jobId: number): Promise<{ count: number | null; last: AwxEvent | null }> {
    const page = await this.get(this.path('jobs', jobId, 'job_events'), { order_by: '-counter', page_size: 1 });
    const row = list(page.results).find(isRecord);
    return { count: int(page.count), last: row ? eventOf(row) : null };
  }

  /** `stdout?format=txt_download|ansi_download`: the whole output, never the "too large" sentence. */
  async download(jobId: number, ansi: boolean): Promise<string> {
    return this.text(this.path('jobs', jobId, 'stdout'), { format: ansi ? 'ansi_download' : 'txt_download' });
  }

  /** `stdout?format=txt|ansi`; above AWX's display limit the answer is the "too large" sentence (status 200). */
  async stdout(jobId: number, format: 'txt' | 'ansi' = 'txt'): Promise<StdoutAnswer> {
    const text = await this.text(this.path('jobs', jobId, 'stdout'), { format });
    const m = TOO_LARGE.exec(text);
    if (m) return { kind: 'too_large', bytes: Number(m[1]), limit: Number(m[2]), message: text.trim() };
    return { kind: 'text', text };
  }

  /**
   * A write, sent once. The body is read as text so that every AWX error shape reaches awxFailure whole (the
   * HTTP client only quotes the shapes it knows).
   */
  private async post(path: string, json?: Json): Promise<{ status: number; body: unknown }> {
    const r = await this.http.request<string>({
      method: 'POST',
      path,
      ...(json ? { json } : {}),
      idempotent: false,
      expect: 'text',
      // A timeout the connection states explicitly is kept for writes: its messages quote it.
      timeoutMs: this.spec.timeoutMs ?? SLOW_MS,
    });
    const text = typeof r.body === 'string' ? r.body : '';
    if (text.trim() === '') return { status: r.status, body: {} };
    try {
      return { status: r.status, body: JSON.parse(text) as unknown };
    } catch {
      throw new ContractFailure('bad_response', `${this.spec.name} answered ${path} (HTTP ${r.status}) with something that is not JSON.`, {
        status: r.status,
      });
    }
  }

  private async text(path: string, query: Record<string, QueryValue>): Promise<string> {
    try {
      const r = await this.http.request<string>({ path, query, idempotent: true, expect: 'text', timeoutMs: SLOW_MS });
      return typeof r.body === 'string' ? r.body : '';
    } catch (e) {
      throw awxFailure(e, this.spec);
    }
  }

  // --- mapping -----------------------------------------------------------------------------------------

  jobSummaryOf(r: Json): JobSummary {
    const id = num(r.id);
    const launchedBy = rec(r.launched_by);
    return {
      connectionId: this.spec.id,
      connectionName: this.spec.name,
      id,
      name: str(r.name),
      status: str(r.status, 'new'),
      failed: bool(r.failed),
      launchType: str(r.launch_type),
      launchedBy: strOrNull(launchedBy.name) ?? strOrNull(rec(rec(r.summary_fields).created_by).username),
      templateId: int(r.job_template) ?? int(r.unified_job_template),
      created: strOrNull(r.created),
      started: strOrNull(r.started),
      finished: strOrNull(r.finished),
      elapsed: num(r.elapsed),
      limit: str(r.limit),
      link: this.jobLink(id),
      ...consoleVarsOf(str(r.extra_vars)),
    };
  }

  jobDetailOf(r: Json): JobDetail {
    const counts = r.host_status_counts;
    const sf = rec(r.summary_fields);
    const labels = list(rec(sf.labels).results).map((l) => str(rec(l).name));
    return {
      ...this.jobSummaryOf(r),
      jobExplanation: str(r.job_explanation),
      resultTraceback: str(r.result_traceback),
      eventProcessingFinished: bool(r.event_processing_finished),
      hostStatusCounts: isRecord(counts)
        ? Object.fromEntries(Object.entries(counts).filter((e): e is [string, number] => typeof e[1] === 'number'))
        : null,
      inventory: strOrNull(rec(sf.inventory).name),
      extraVars: str(r.extra_vars),
      production: labels.some((l) => /^prod(uction)?$/i.test(l)) || isProductionEnvironment(this.spec),
    };
  }
}

export function isProductionEnvironment(spec: ConnectionSpec): boolean {
  return /^prod(uction)?$/i.test(spec.environment ?? '');
}

function queryOf(next: string): Record<string, QueryValue> {
  const u = new URL(next, 'http://awx.invalid');
  const q: Record<string, QueryValue> = {};
  u.searchParams.forEach((v, k) => (q[k] = v));
  return q;
}

function bound(x: unknown): number | null {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
  return null;
}

/** AWX's survey question with its loose types (choices as text or list, min/max as "" or null). */
export function questionOf(raw: unknown): SurveyQuestion | null {
  const q = rec(raw);
  const type = SURVEY_TYPES.find((t) => t === q.type);
  const variable = str(q.variable);
  if (!type || variable === '') return null;
  const choices =
    typeof q.choices === 'string'
      ? q.choices
          .split(/\r?\n/)
          .map((c) => c.trim())
          .filter((c) => c !== '')
      : strings(q.choices);
  let dflt: SurveyQuestion['default'] = null;
  const d = q.default;
  if (type === 'multiselect') {
    dflt = typeof d === 'string' ? d.split(/\r?\n/).filter((c) => c.trim() !== '') : Array.isArray(d) ? strings(d) : [];
  } else if (typeof d === 'number') dflt = d;
  else if (typeof d === 'string' && d !== '') dflt = type === 'integer' || type === 'float' ? (bound(d) ?? d) : d;
  return {
    variable,
    question: str(q.question_name, variable),
    description: str(q.question_description),
    required: bool(q.required),
    type,
    min: bound(q.min),
    max: bound(q.max),
    default: dflt,
    choices,
  };
}

const STAT_KEYS = ['ok', 'changed', 'failures', 'dark', 'skipped', 'rescued', 'ignored'] as const;

function statsOf(data: Json): HostStat[] {
  const hosts = new Set<string>();
  for (const k of [...STAT_KEYS, 'processed'] as const) for (const h of Object.keys(rec(data[k]))) hosts.add(h);
  return [...hosts].sort().map((host) => {
    const s: HostStat = { host, ok: 0, changed: 0, failures: 0, dark: 0, skipped: 0, rescued: 0, ignored: 0 };
    for (const k of STAT_KEYS) s[k] = num(rec(data[k])[host]);
    return s;
  });
}

/** A REST event row or a websocket event message (which lacks host_name: event_data.host has it). */
export function eventOf(raw: Json): AwxEvent | null {
  const counter = int(raw.counter);
  if (counter === null) return null;
  const data = rec(raw.event_data);
  const event = str(raw.event);
  const playId = str(data.play_uuid) || (event === 'playbook_on_play_start' ? str(raw.uuid) : '');
  const taskId = str(data.task_uuid) || (event === 'playbook_on_task_start' ? str(raw.uuid) : '');
  return {
    counter,
    event,
    stdout: str(raw.stdout),
    startLine: num(raw.start_line),
    endLine: num(raw.end_line),
    failed: bool(raw.failed),
    changed: bool(raw.changed),
    host: str(raw.host_name) || str(data.host) || str(data.remote_addr),
    play: str(raw.play) || str(data.play),
    playId,
    task: str(raw.task) || str(data.task),
    taskId,
    uuid: str(raw.uuid),
    stats: event === 'playbook_on_stats' ? statsOf(data) : null,
  };
}
