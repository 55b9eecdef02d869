import { z } from 'zod';
import { method } from '../kernel/define';
import { IncidentContext, Runbook, RunbookFileProblem, RunbookSuggestion, RunbookSummary } from './model';

// Runbooks: markdown files from the workspace's folders, found by text or suggested for an incident. Launching
// the job a runbook names is the jobs capability's (`jobs.launchForm`, `jobs.launch` by `runbookId`).

const ConnectionId = z.string().min(1).max(63);

export const runbookMethods = {
  /** Runbooks from the workspace's folders; with `query`, only matches (best first, with a snippet). */
  'runbooks.list': method(
    z.object({ query: z.string().max(200).optional() }).strict(),
    z.object({ runbooks: z.array(RunbookSummary), problems: z.array(RunbookFileProblem), folders: z.array(z.string()) }),
  ),
  'runbooks.get': method(z.object({ id: z.string().min(1).max(200) }).strict(), Runbook),
  /**
   * Runbooks for an incident: by its sys_id (read from ServiceNow) or by alert name / CI directly. Each comes with
   * its extra vars filled from the incident.
   */
  'runbooks.suggest': method(
    z
      .object({
        connectionId: ConnectionId.optional(),
        sysId: z
          .string()
          .regex(/^[0-9a-f]{32}$/)
          .optional(),
        alertName: z.string().max(200).optional(),
        alertInstance: z.string().max(200).optional(),
        ci: z.string().max(200).optional(),
        service: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ incident: IncidentContext.nullable(), suggestions: z.array(RunbookSuggestion) }),
  ),
  /** Desktop only: the page as shown (the runbook's print layout) saved as a PDF where the user chooses. */
  'runbooks.pdf': method(
    z.object({ id: z.string().min(1).max(200), title: z.string().max(300).optional() }).strict(),
    z.object({ saved: z.boolean(), file: z.string().nullable() }),
  ),
};
