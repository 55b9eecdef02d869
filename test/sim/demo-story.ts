// The demo's story, on top of the simulators' seeded data: the fastest-burning SLO (notifications-delivery) has
// its incident — opened by the burn-rate alert, as the alert webhook would — the console runbook that fixes it
// (resources/demo/runbooks/notifications-burn.md) and a few jobs already run for it, so every link of the loop
// leads somewhere. The person running the demo is a ServiceNow user too, so "Assign to me" names them.
import os from 'node:os';
import type { SnowSim } from './servicenow/index';
import type { AwxSim } from './awx/index';
import { TEMPLATE_IDS } from './awx/index';

export const DEMO_BURN_SLO = 'notifications-delivery';

export interface DemoStory {
  incidentNumber: string;
  incidentSysId: string;
  jobs: number[];
}

export async function seedDemoStory(opts: {
  snow: SnowSim;
  awx: { url: string; token: string; sim: AwxSim } | null;
  operator?: string;
}): Promise<DemoStory> {
  const { snow } = opts;
  const sre = snow
    .table('sys_user_group')
    .all()
    .find((g) => g.name === 'Site Reliability Engineering');
  const operator = opts.operator ?? safeUser();
  // The engineer at the keyboard, as a member of SRE: the console's default operator is the OS user.
  if (
    !snow
      .table('sys_user')
      .all()
      .some((u) => u.user_name === operator)
  ) {
    const me = snow.insert('sys_user', {
      user_name: operator,
      first_name: 'Demo',
      last_name: `Operator (${operator})`,
      email: `${operator}@example.com`,
      title: 'Site Reliability Engineer',
    });
    if (sre?.sys_id && me.sys_id) snow.insert('sys_user_grmember', { user: me.sys_id, group: sre.sys_id });
  }
  const incident = snow.addIncident({
    short_description: '[SLO burn rate] ErrorBudgetBurn: Notifications burn their 30-day error budget over 14.4 times too fast.',
    description: [
      'Summary: Notifications burn their 30-day error budget over 14.4 times too fast.',
      'Description: At this rate the whole monthly budget is gone within two days; page the on-call engineer.',
      'Alert: ErrorBudgetBurn on notifications-delivery (severity page)',
      'Service: notifications',
      'Runbook: toc://runbook/notifications-burn',
      'Dashboard: toc://slo/notifications-delivery',
      'Opened from SLO burn rate by prometheus.alertmanager via TOC Console.',
    ].join('\n'),
    u_alert_name: 'ErrorBudgetBurn',
    u_alert_instance: DEMO_BURN_SLO,
    u_alert_source: 'SLO burn rate',
    impact: '1',
    urgency: '1',
    category: 'software',
    contact_type: 'monitoring',
    cmdb_ci: '',
    business_service: '',
    assigned_to: '',
    state: '2',
    ...(sre?.sys_id ? { assignment_group: sre.sys_id } : {}),
  });
  const number = incident.number ?? '';
  const jobs: number[] = [];
  if (opts.awx) {
    // Remediation playbooks read toc_operator and incident_number: the demo's restart template prompts for
    // variables, as the README asks of real ones.
    const t = opts.awx.sim.state.templates.find((x) => x.id === TEMPLATE_IDS.restartService);
    if (t) t.ask.ask_variables_on_launch = true;
    for (const who of ['j.doe', 'a.smith']) {
      const res = await fetch(`${opts.awx.url}${opts.awx.sim.apiBase}job_templates/${TEMPLATE_IDS.restartService}/launch/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${opts.awx.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          extra_vars: {
            target_host: 'notify-01',
            service_name: 'nginx',
            incident_number: number,
            toc_operator: who,
          },
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { id?: number; job?: number };
      const id = body.job ?? body.id;
      if (res.ok && typeof id === 'number') jobs.push(id);
    }
  }
  return { incidentNumber: number, incidentSysId: incident.sys_id ?? '', jobs };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'operator';
  }
}
