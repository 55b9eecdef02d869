// JSON representations of job events and per-host summaries, in AWX's field order.
import { truncateEventStdout } from './ansi';
import { compact, elapsedSeconds, iso, type SerializeContext } from './serialize';
import type { SimState } from './state';
import type { HostSummary, InventoryHost, SimEvent, SimJob } from './types';

export function eventJson(e: SimEvent, c: SerializeContext, options: { truncate: boolean }): Record<string, unknown> {
  const { state } = c;
  const p = (...parts: (string | number)[]): string => state.path(...parts);
  const job = state.job(e.job);
  const template = job ? state.template(job.templateId) : undefined;
  // List views cut host-level output; play/task/stats banners are always shown whole.
  const stdout =
    options.truncate && !e.event.startsWith('playbook_on')
      ? truncateEventStdout(e.stdout, state.limits.eventStdoutMaxBytesDisplay)
      : e.stdout;
  const hostRecord = e.host === null ? undefined : findHost(state, e.host);
  return {
    id: e.id,
    type: 'job_event',
    url: p('job_events', e.id),
    related: compact({
      job: p('jobs', e.job),
      children: p('job_events', e.id, 'children'),
      host: e.host === null ? undefined : p('hosts', e.host),
    }),
    summary_fields: compact({
      host: hostRecord ? { id: hostRecord.id, name: hostRecord.name, description: '' } : undefined,
      job: job
        ? {
            id: job.id,
            name: job.name,
            description: job.description,
            status: job.status,
            failed: job.status === 'failed' || job.status === 'error' || job.status === 'canceled',
            elapsed: elapsedSeconds(job),
            type: 'job',
            job_template_id: job.templateId,
            job_template_name: template?.name ?? job.name,
          }
        : undefined,
      role: {},
    }),
    created: iso(e.created),
    modified: iso(e.modified),
    job: e.job,
    event: e.event,
    counter: e.counter,
    event_display: e.eventDisplay,
    event_data: e.eventData,
    event_level: e.eventLevel,
    failed: e.failed,
    changed: e.changed,
    uuid: e.uuid,
    parent_uuid: e.parentUuid,
    host: e.host,
    host_name: e.hostName,
    playbook: e.playbook,
    play: e.play,
    task: e.task,
    role: e.role,
    stdout,
    start_line: e.startLine,
    end_line: e.endLine,
    verbosity: e.verbosity,
  };
}

export function findHost(state: SimState, id: number): (InventoryHost & { inventory: number }) | undefined {
  for (const inv of state.inventories) {
    const host = inv.hosts.find((h) => h.id === id);
    if (host) return { ...host, inventory: inv.id };
  }
  return undefined;
}

export function hostSummaryJson(job: SimJob, s: HostSummary, index: number, c: SerializeContext): Record<string, unknown> {
  const { state } = c;
  const p = (...parts: (string | number)[]): string => state.path(...parts);
  const host = state.inventory(job.inventory)?.hosts.find((h) => h.name === s.host);
  const id = job.id * 1000 + index + 1;
  return {
    id,
    type: 'job_host_summary',
    url: p('job_host_summaries', id),
    related: compact({ job: p('jobs', job.id), host: host ? p('hosts', host.id) : undefined }),
    summary_fields: compact({
      host: host ? { id: host.id, name: host.name, description: '' } : undefined,
      job: { id: job.id, name: job.name, description: job.description, status: job.status, type: 'job' },
    }),
    created: iso(job.finished),
    modified: iso(job.finished),
    job: job.id,
    host: host?.id ?? null,
    constructed_host: null,
    host_name: s.host,
    changed: s.changed,
    dark: s.dark,
    failures: s.failures,
    ok: s.ok,
    processed: s.processed,
    skipped: s.skipped,
    failed: s.failures > 0 || s.dark > 0,
    ignored: s.ignored,
    rescued: s.rescued,
  };
}
