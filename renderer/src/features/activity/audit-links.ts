import type { AuditEntry } from '@shared/activity/model';
import { hrefOf } from '../../app/state/route';

// Where an audit entry leads: the incident it changed (target "incident INC…"), the AWX job it started
// (remoteRef "job N" on an AWX connection). Pure, so the Activity view's links are tested without a DOM.

export function auditLinks(e: AuditEntry): { target?: string; remote?: string } {
  const incident = /^incident (INC\d{4,})$/.exec(e.target)?.[1];
  const job = /^job (\d{1,12})$/.exec(e.remoteRef ?? '')?.[1];
  return {
    ...(incident ? { target: hrefOf('incidents', incident) } : {}),
    ...(job && e.connectionId && e.action.startsWith('jobs.') ? { remote: hrefOf('jobs', e.connectionId, job) } : {}),
  };
}
