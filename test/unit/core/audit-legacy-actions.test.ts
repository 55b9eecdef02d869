import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../../electron/core/kernel/audit/audit-log';
import { consoleLaunches } from '../../../electron/core/features/insights/awx-insights';
import { auditLinks } from '../../../renderer/src/features/activity/audit-links';

// contract-names: keep — this file writes audit lines as older versions of the console wrote them.

const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-audit-legacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (o: Record<string, string>): string =>
  JSON.stringify({ id: o.id, at: o.at, who: 'old.version', target: 't', outcome: 'ok', ...o });

describe('audit lines written under the former action names', () => {
  it('read under the current names, in order, next to new lines, and the file is left as it was', async () => {
    const d = path.join(dir, 'a');
    mkdirSync(d, { recursive: true });
    const old = [
      line({
        id: '1',
        at: '2026-01-01T00:00:01Z',
        action: 'job.launch',
        connectionId: 'awx',
        remoteRef: 'job 7',
        message: 'for INC0010001',
      }),
      line({ id: '2', at: '2026-01-01T00:00:02Z', action: 'incident.work_note', target: 'incident INC0010001' }),
      line({ id: '3', at: '2026-01-01T00:00:03Z', action: 'secret.set' }),
      line({ id: '4', at: '2026-01-01T00:00:04Z', action: 'connection.remove' }),
      // A name this version does not know stays as written rather than being guessed at.
      line({ id: '5', at: '2026-01-01T00:00:05Z', action: 'job.something_newer' }),
    ];
    // An older rotation holds one more old line: the mapping applies in every file read.
    writeFileSync(
      path.join(d, 'audit.1.jsonl'),
      `${line({ id: '0', at: '2025-12-31T00:00:00Z', action: 'job.relaunch', connectionId: 'awx', remoteRef: 'job 6' })}\n`,
    );
    writeFileSync(path.join(d, 'audit.jsonl'), `${old.join('\n')}\n`);
    const before = readFileSync(path.join(d, 'audit.jsonl'), 'utf8');

    const log = new AuditLog({ dir: d, who: 'new.version' });
    await log.append({ action: 'jobs.cancel', target: 'job 7', connectionId: 'awx', outcome: 'ok' });
    const list = await log.list();
    expect(list.map((e) => [e.id === '0' || /^\d$/.test(e.id) ? e.id : 'new', e.action])).toEqual([
      ['new', 'jobs.cancel'],
      ['5', 'job.something_newer'],
      ['4', 'connections.remove'],
      ['3', 'connections.secret.set'],
      ['2', 'incidents.work_note'],
      ['1', 'jobs.launch'],
      ['0', 'jobs.relaunch'],
    ]);
    // Append-only: reading changed nothing on disk, and the new line went after the old ones.
    expect(readFileSync(path.join(d, 'audit.jsonl'), 'utf8').startsWith(before)).toBe(true);
    expect(readFileSync(path.join(d, 'audit.jsonl'), 'utf8')).toContain('"action":"job.launch"');

    // What reads the log sees one name: the old launch links its job and counts in the launch statistics.
    const launch = list.find((e) => e.id === '1');
    expect(launch && auditLinks(launch)).toEqual({ remote: '#/jobs/awx/7' });
    expect([...consoleLaunches(list).entries()]).toEqual([
      ['awx#7', 'INC0010001'],
      ['awx#6', ''],
    ]);
  });

  it('a page read with `before` maps the same way', async () => {
    const d = path.join(dir, 'b');
    mkdirSync(d, { recursive: true });
    writeFileSync(
      path.join(d, 'audit.jsonl'),
      `${line({ id: '1', at: '2026-01-01T00:00:01Z', action: 'incident.hold' })}\n${line({ id: '2', at: '2026-01-01T00:00:02Z', action: 'incident.resolve' })}\n`,
    );
    const log = new AuditLog({ dir: d, who: 'x' });
    expect((await log.list({ before: '2026-01-01T00:00:02Z' })).map((e) => e.action)).toEqual(['incidents.hold']);
  });
});
