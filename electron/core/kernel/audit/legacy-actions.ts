import type { AuditEntry } from '@shared/activity/model';

// Audit lines are never rewritten (the log is append-only and fsync'ed), so lines written before the actions
// took their capability's name (`job.launch` → `jobs.launch`) keep the old name on disk. Reading maps them, so
// the activity view, its links and the launch statistics see one name per action whatever the line's age.
// contract-names: keep (scripts/layout/contract-names.mjs must not rename the old names below)

const LEGACY_ACTIONS: Readonly<Record<string, string>> = {
  'job.launch': 'jobs.launch',
  'job.relaunch': 'jobs.relaunch',
  'job.cancel': 'jobs.cancel',
  'incident.assign': 'incidents.assign',
  'incident.assignment_group': 'incidents.assignment_group',
  'incident.from_alert': 'incidents.from_alert',
  'incident.hold': 'incidents.hold',
  'incident.parent': 'incidents.parent',
  'incident.resolve': 'incidents.resolve',
  'incident.work_note': 'incidents.work_note',
  'incident.update': 'incidents.update',
  'connection.save': 'connections.save',
  'connection.remove': 'connections.remove',
  'secret.set': 'connections.secret.set',
  'secret.delete': 'connections.secret.delete',
};

/** The entry with its action under today's name (the same object when the name is current). */
export function withCurrentAction(e: AuditEntry): AuditEntry {
  const action = Object.prototype.hasOwnProperty.call(LEGACY_ACTIONS, e.action) ? LEGACY_ACTIONS[e.action] : undefined;
  return action ? { ...e, action } : e;
}
