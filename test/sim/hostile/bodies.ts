// Plausible 200 answers for the paths the console's four clients call, with a chosen text planted in every
// free-text field a user would see (names, descriptions, labels, annotations, versions, warnings). The echo
// mode plants the credentials it received; a test then checks that none of it reaches a frame or a terminal.

const iso = (ms: number): string => new Date(ms).toISOString();
const glide = (ms: number): string => iso(ms).replace('T', ' ').slice(0, 19);

function prometheus(path: string, text: string, now: number): unknown | undefined {
  const t = Math.floor(now / 1000);
  if (path.endsWith('/api/v1/status/buildinfo')) return { status: 'success', data: { version: text, revision: text } };
  if (path.endsWith('/api/v1/query'))
    return {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: text }, value: [t, '1'] }] },
      warnings: [`partial answer: ${text}`],
    };
  if (path.endsWith('/api/v1/query_range'))
    return {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [{ metric: { job: text }, values: [0, 1, 2].map((i) => [t - 3600 + i * 60, '1']) }],
      },
      warnings: [`partial answer: ${text}`],
    };
  if (path.endsWith('/api/v1/rules'))
    return {
      status: 'success',
      data: {
        groups: [
          {
            name: text,
            file: text,
            rules: [{ type: 'alerting', name: text, query: 'up == 0', labels: { team: text }, annotations: { summary: text }, alerts: [] }],
          },
        ],
      },
    };
  if (path.endsWith('/api/v1/alerts')) return { status: 'success', data: { alerts: [] } };
  return undefined;
}

function alertmanager(path: string, text: string, now: number): unknown | undefined {
  const alert = {
    labels: { alertname: text, instance: text, severity: 'critical', service: text },
    annotations: { summary: text, description: text },
    startsAt: iso(now - 600_000),
    endsAt: iso(now + 600_000),
    updatedAt: iso(now),
    fingerprint: 'f00dfeedf00dfeed',
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    receivers: [{ name: text }],
    generatorURL: 'http://prometheus.invalid/graph',
  };
  if (path.endsWith('/api/v2/status'))
    return {
      versionInfo: { version: text },
      cluster: { status: 'ready', name: text, peers: [] },
      config: { original: text },
      uptime: iso(now - 3_600_000),
    };
  if (path.endsWith('/api/v2/alerts')) return [alert];
  if (path.endsWith('/api/v2/alerts/groups')) return [{ labels: { alertname: text }, receiver: { name: text }, alerts: [alert] }];
  if (path.endsWith('/api/v2/silences'))
    return [
      {
        id: '7f2b8f0e-0000-4000-8000-000000000001',
        matchers: [{ name: 'alertname', value: text, isRegex: false, isEqual: true }],
        createdBy: text,
        comment: text,
        startsAt: iso(now - 60_000),
        endsAt: iso(now + 3_600_000),
        updatedAt: iso(now),
        status: { state: 'active' },
      },
    ];
  return undefined;
}

function servicenow(path: string, text: string, now: number): unknown | undefined {
  const m = /\/api\/now\/(?:table|stats)\/([^/?]+)(?:\/([^/?]+))?/.exec(path);
  if (!m) return undefined;
  const row = {
    sys_id: '0123456789abcdef0123456789abcdef',
    number: 'INC0010001',
    short_description: text,
    description: text,
    state: '2',
    priority: '1',
    urgency: '1',
    impact: '1',
    name: text,
    user_name: text,
    assignment_group: { value: 'a1', display_value: text },
    assigned_to: { value: 'u1', display_value: text },
    caller_id: { value: 'u2', display_value: text },
    cmdb_ci: { value: 'c1', display_value: text },
    sys_updated_on: glide(now),
    sys_created_on: glide(now - 3_600_000),
    opened_at: glide(now - 3_600_000),
    sys_mod_count: '3',
    value: text,
    label: text,
    element: 'work_notes',
    element_id: '0123456789abcdef0123456789abcdef',
    element_value: text,
    sys_created_by: text,
  };
  return { result: m[2] ? row : [row] };
}

function awx(path: string, text: string, now: number): unknown | undefined {
  const m = /\/api\/(?:controller\/)?v2\/(.*)$/.exec(path);
  if (!m) return undefined;
  const rest = m[1] ?? '';
  const job = {
    id: 42,
    type: 'job',
    name: text,
    description: text,
    status: 'failed',
    failed: true,
    event_processing_finished: true,
    started: iso(now - 120_000),
    finished: iso(now - 60_000),
    elapsed: 60,
    job_template: 7,
    launch_type: 'manual',
    job_explanation: text,
    result_traceback: text,
    extra_vars: JSON.stringify({ note: text }),
    limit: text,
    url: '/api/v2/jobs/42/',
    related: { stdout: '/api/v2/jobs/42/stdout/', job_events: '/api/v2/jobs/42/job_events/' },
    summary_fields: { job_template: { id: 7, name: text }, created_by: { username: text } },
  };
  if (rest === 'ping/') return { version: text, active_node: text, instances: [], instance_groups: [] };
  if (rest === 'me/') return { count: 1, results: [{ id: 1, username: text }] };
  if (rest.startsWith('job_templates/') && /^job_templates\/\d+\/launch\/$/.test(rest))
    return { ask_variables_on_launch: true, variables_needed_to_start: [], survey_enabled: false, defaults: { extra_vars: text } };
  if (rest.startsWith('job_templates/') && /^job_templates\/\d+\/$/.test(rest))
    return { id: 7, name: text, description: text, ask_variables_on_launch: true, survey_enabled: false, related: {} };
  if (rest.startsWith('job_templates/'))
    return { count: 1, next: null, previous: null, results: [{ id: 7, name: text, description: text, summary_fields: {} }] };
  if (/^jobs\/\d+\/job_events\//.test(rest))
    return {
      count: 1,
      next: null,
      previous: null,
      results: [{ id: 1, counter: 1, start_line: 0, end_line: 1, stdout: text, event: 'verbose', created: iso(now) }],
    };
  if (/^jobs\/\d+\/stdout\//.test(rest)) return text;
  if (/^jobs\/\d+\/$/.test(rest)) return job;
  if (rest.startsWith('jobs/')) return { count: 1, next: null, previous: null, results: [job] };
  return { count: 0, next: null, previous: null, results: [], detail: text };
}

/** A 200 body shaped like what the real system answers on `path`, with `text` in its free-text fields. */
export function plausibleBody(path: string, text: string, now = Date.now()): unknown {
  return (
    prometheus(path, text, now) ??
    alertmanager(path, text, now) ??
    servicenow(path, text, now) ??
    awx(path, text, now) ?? { status: 'success', detail: text, message: text }
  );
}
