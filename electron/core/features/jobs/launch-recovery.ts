import { parse as parseYaml } from 'yaml';
import { LAUNCH_MARKER_VAR } from '@shared/jobs/launch-marker';
import { ContractFailure } from '@shared/kernel/result';
import type { AwxClient } from '../../systems/awx/awx-client';
import { isRecord, str } from '../../systems/awx/awx-values';

// A launch whose answer was lost (timeout) may still have started a job: it is looked for before the console
// says anything, by the launch marker the console put in its extra variables.

/**
 * After a launch timed out: looks for the job it may have started by the launch marker in its extra vars
 * (newest jobs of the template since the launch was sent, a minute's clock skew allowed). Returns the job, or
 * the failure to report: not found (most likely not started: retry) or unknown (look first).
 */
export async function lookForLaunch(
  client: AwxClient,
  templateId: number,
  marker: string | undefined,
  sentAt: number,
  failure: ContractFailure,
): Promise<{ job: Record<string, unknown>; note: string } | { failure: ContractFailure }> {
  const unknown = (why: string): { failure: ContractFailure } => ({
    failure: new ContractFailure(
      'timeout',
      `${failure.message} The outcome is unknown: the job may have started, and ${why}. Look at the template's jobs in AWX before launching again.`,
      { ...failure.detail, retryable: false },
    ),
  });
  if (!marker) return unknown('this template takes no variables at launch, so the console cannot tell its job from others');
  let page: Record<string, unknown>;
  try {
    page = await client.get(client.path('job_templates', templateId, 'jobs'), { order_by: '-id', page_size: 20 });
  } catch (e) {
    return unknown(`looking for it failed too (${e instanceof ContractFailure ? e.message : String(e)})`);
  }
  const rows = (Array.isArray(page.results) ? page.results : []).filter(isRecord);
  for (const row of rows) {
    const created = Date.parse(str(row.created));
    if (!Number.isNaN(created) && created < sentAt - 60_000) break;
    try {
      const full = typeof row.extra_vars === 'string' ? row : await client.job(Number(row.id));
      const vars = parseYaml(str(full.extra_vars) || '{}') as unknown;
      if (isRecord(vars) && vars[LAUNCH_MARKER_VAR] === marker) {
        const at = new Date().toISOString().slice(11, 19);
        return {
          job: full,
          note: `${failure.message.replace(/\.$/, '')} to the launch; job #${String(full.id)} was then found by its launch marker (${LAUNCH_MARKER_VAR}) at ${at} UTC.`,
        };
      }
    } catch (e) {
      return unknown(`looking for it failed too (${e instanceof ContractFailure ? e.message : String(e)})`);
    }
  }
  const at = new Date().toISOString().slice(11, 19);
  return {
    failure: new ContractFailure(
      'timeout',
      `${failure.message} The outcome was unknown — the job may have started — so the console looked for it by its launch marker (${LAUNCH_MARKER_VAR}) at ${at} UTC: no such job, so it most likely did not start. Launch again (if AWX is only slow, look at its jobs first).`,
      { ...failure.detail, retryable: true },
    ),
  };
}
