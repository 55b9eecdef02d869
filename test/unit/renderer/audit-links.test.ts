import { describe, expect, it } from 'vitest';
import { auditLinks } from '../../../renderer/src/features/activity/audit-links';

const entry = (over: Record<string, string>) => ({
  id: '1',
  at: '',
  who: 'j.doe',
  action: 'incidents.assign',
  target: '',
  outcome: 'ok' as const,
  ...over,
});

describe('auditLinks', () => {
  it('an incident target links the incident; a launched job links the job on its connection', () => {
    expect(auditLinks(entry({ target: 'incident INC0010376' }))).toEqual({ target: '#/incidents/INC0010376' });
    expect(auditLinks(entry({ action: 'jobs.launch', target: 'job template "x"', remoteRef: 'job 12', connectionId: 'demo-awx' }))).toEqual(
      {
        remote: '#/jobs/demo-awx/12',
      },
    );
  });
  it('nothing else becomes a link (a sys_id remoteRef, a silence, a target with more words)', () => {
    expect(auditLinks(entry({ target: 'incident for alert X on y', remoteRef: 'a'.repeat(32) }))).toEqual({});
    expect(auditLinks(entry({ action: 'alerts.silence.create', target: 'silence a="b"', remoteRef: 'job 3', connectionId: 'am' }))).toEqual(
      {},
    );
  });
});
