import { z } from 'zod';

// One line of the local append-only audit log: who changed what, where, and how it ended.
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  who: z.string(),
  action: z.string(),
  target: z.string(),
  connectionId: z.string().optional(),
  outcome: z.enum(['ok', 'error']),
  /** What the remote system calls the result: an AWX job id, a ServiceNow sys_id or journal entry. */
  remoteRef: z.string().optional(),
  message: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
