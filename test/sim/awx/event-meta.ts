// What AWX derives from an event type: level, display name and whether it counts as failed
// (awx/main/models/events.py EVENT_TYPES and get_event_display2).

interface EventType {
  level: number;
  display: string;
  failed: boolean;
}

const EVENT_TYPES: Record<string, EventType> = {
  debug: { level: 0, display: 'Debug', failed: false },
  verbose: { level: 0, display: 'Verbose', failed: false },
  deprecated: { level: 0, display: 'Deprecated', failed: false },
  warning: { level: 0, display: 'Warning', failed: false },
  system_warning: { level: 0, display: 'System Warning', failed: false },
  error: { level: 0, display: 'Error', failed: true },
  runner_on_failed: { level: 3, display: 'Host Failed', failed: true },
  runner_on_start: { level: 3, display: 'Host Started', failed: false },
  runner_on_ok: { level: 3, display: 'Host OK', failed: false },
  runner_on_error: { level: 3, display: 'Host Failure', failed: true },
  runner_on_skipped: { level: 3, display: 'Host Skipped', failed: false },
  runner_on_unreachable: { level: 3, display: 'Host Unreachable', failed: true },
  runner_on_no_hosts: { level: 3, display: 'No Hosts Remaining', failed: false },
  runner_on_async_poll: { level: 3, display: 'Host Polling', failed: false },
  runner_on_async_ok: { level: 3, display: 'Host Async OK', failed: false },
  runner_on_async_failed: { level: 3, display: 'Host Async Failure', failed: true },
  runner_item_on_ok: { level: 3, display: 'Item OK', failed: false },
  runner_item_on_failed: { level: 3, display: 'Item Failed', failed: true },
  runner_item_on_skipped: { level: 3, display: 'Item Skipped', failed: false },
  runner_retry: { level: 3, display: 'Host Retry', failed: false },
  runner_on_file_diff: { level: 3, display: 'File Difference', failed: false },
  playbook_on_start: { level: 0, display: 'Playbook Started', failed: false },
  playbook_on_notify: { level: 2, display: 'Running Handlers', failed: false },
  playbook_on_include: { level: 2, display: 'Including File', failed: false },
  playbook_on_no_hosts_matched: { level: 2, display: 'No Hosts Matched', failed: false },
  playbook_on_no_hosts_remaining: { level: 2, display: 'No Hosts Remaining', failed: false },
  playbook_on_task_start: { level: 2, display: 'Task Started', failed: false },
  playbook_on_vars_prompt: { level: 2, display: 'Variables Prompted', failed: false },
  playbook_on_setup: { level: 2, display: 'Gathering Facts', failed: false },
  playbook_on_import_for_host: { level: 2, display: 'internal: on Import for Host', failed: false },
  playbook_on_not_import_for_host: { level: 2, display: 'internal: on Not Import for Host', failed: false },
  playbook_on_play_start: { level: 1, display: 'Play Started', failed: false },
  playbook_on_stats: { level: 1, display: 'Playbook Complete', failed: false },
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function sumValues(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  return Object.values(v as Record<string, unknown>).reduce<number>((acc, n) => acc + (typeof n === 'number' ? n : 0), 0);
}

export interface EventTraits {
  eventLevel: number;
  eventDisplay: string;
  failed: boolean;
  changed: boolean;
}

export function eventTraits(event: string, data: Record<string, unknown>): EventTraits {
  const type = EVENT_TYPES[event];
  const res = data.res !== null && typeof data.res === 'object' ? (data.res as Record<string, unknown>) : {};
  let display = type?.display ?? event;
  if (event === 'playbook_on_play_start' && str(data.play)) display = `${display} (${str(data.play)})`;
  if (event === 'playbook_on_task_start') {
    if (data.is_conditional === true) display = 'Handler Notified';
    else if (str(data.role) && str(data.task)) display = `${display} (${str(data.role)} | ${str(data.task)})`;
    else if (str(data.task)) display = `${display} (${str(data.task)})`;
  }
  if ((event === 'runner_on_failed' || event === 'runner_on_async_failed') && res.msg === 'timed out') {
    display = 'Host Async Timeout';
  }

  let failed = (type?.failed ?? false) && data.ignore_errors !== true;
  let changed = res.changed === true;
  if (event === 'playbook_on_stats') {
    failed = sumValues(data.failures) + sumValues(data.dark) > 0;
    changed = sumValues(data.changed) > 0;
  }
  return { eventLevel: type?.level ?? 0, eventDisplay: display, failed, changed };
}
