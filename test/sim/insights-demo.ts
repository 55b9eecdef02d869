// The demo's automation history: AWX jobs that remediated the ServiceNow simulator's monitoring incidents over
// the last months, each carrying `incident_number` in its extra vars as the console's runbooks pass it. More
// incidents got a job as the months went by (the team automated more), so the Insights view shows a trend.
import type { SnowSim } from './servicenow/index';
import type { AwxSim } from './awx/index';
import { addHistoricJob, TEMPLATE_IDS } from './awx/index';

/** Which AWX template fixes which alert: the demo runbooks' `alerts:` and `awx.template`. */
export const DEMO_REMEDIATION: Readonly<Record<string, number>> = {
  DiskAlmostFull: TEMPLATE_IDS.diskCleanup,
  ServiceDown: TEMPLATE_IDS.restartService,
  HighLatency: TEMPLATE_IDS.collectLogs,
};

/** A small deterministic generator, so the demo tells the same story every start. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export function seedRemediationHistory(snow: SnowSim, awx: AwxSim, opts: { now: number; days: number; seed?: number }): number {
  const next = lcg(opts.seed ?? 42);
  const rows = [...snow.table('incident').all()]
    .filter((r) => r.u_alert_name && DEMO_REMEDIATION[r.u_alert_name] !== undefined && r.opened_at)
    .sort((a, b) => ((a.opened_at ?? '') < (b.opened_at ?? '') ? -1 : 1));
  let added = 0;
  for (const r of rows) {
    const opened = Date.parse(`${(r.opened_at ?? '').replace(' ', 'T')}Z`);
    const age = Math.min(1, Math.max(0, (opts.now - opened) / (opts.days * 86_400_000)));
    // From about one incident in five a few months ago to three in four now.
    if (next() > 0.75 - 0.55 * age) continue;
    const created = opened + Math.floor((8 + 40 * next()) * 60_000);
    if (created > opts.now - 5 * 60_000) continue;
    addHistoricJob(awx.state, {
      templateId: DEMO_REMEDIATION[r.u_alert_name ?? ''] ?? TEMPLATE_IDS.diskCleanup,
      created,
      elapsedSeconds: Math.floor(20 + 160 * next()),
      status: next() < 0.86 + 0.08 * (1 - age) ? 'successful' : 'failed',
      extraVars: { incident_number: r.number, target_host: (r.u_alert_instance ?? '').replace(/:\d+$/, '') },
    });
    added++;
  }
  return added;
}
