import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../../electron/core/kernel/audit/audit-log';

const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit log', () => {
  it('is on disk when append resolves, one JSON line per entry, newest first when listed', async () => {
    const log = new AuditLog({ dir: path.join(dir, 'a'), who: 'alice' });
    await log.append({ action: 'jobs.launch', target: 'Restart service', connectionId: 'awx', outcome: 'ok', remoteRef: 'job 42' });
    const lines = readFileSync(log.path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ who: 'alice', action: 'jobs.launch', remoteRef: 'job 42', outcome: 'ok' });
    await log.append({ action: 'incidents.work_note', target: 'INC0010001', outcome: 'error', message: '403 Forbidden' });
    const list = await log.list();
    expect(list.map((e) => e.action)).toEqual(['incidents.work_note', 'jobs.launch']);
  });

  it('keeps order under concurrent appends and skips a torn last line', async () => {
    const log = new AuditLog({ dir: path.join(dir, 'b'), who: 'bob' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append({ action: `a${i}`, target: 't', outcome: 'ok' })));
    appendFileSync(log.path, '{"id":"torn","at":"2026');
    const list = await log.list({ limit: 100 });
    expect(list).toHaveLength(20);
    expect(list.at(-1)?.action).toBe('a0');
  });

  it('rotates by size and still lists across files', async () => {
    const d = path.join(dir, 'c');
    const log = new AuditLog({ dir: d, who: 'carol', maxBytes: 600, keep: 3 });
    for (let i = 0; i < 12; i++) await log.append({ action: `step${i}`, target: 'x'.repeat(40), outcome: 'ok' });
    const files = readdirSync(d).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files).toContain('audit.1.jsonl');
    const list = await log.list({ limit: 5 });
    expect(list.map((e) => e.action)).toEqual(['step11', 'step10', 'step9', 'step8', 'step7']);
  });

  it('scrubs known secret values from free text', async () => {
    const log = new AuditLog({ dir: path.join(dir, 'd'), who: 'dan', redact: (t) => t.replaceAll('hunter2', '[secret]') });
    await log.append({ action: 'connection.test', target: 'awx', outcome: 'error', message: 'login failed for password hunter2' });
    expect(readFileSync(log.path, 'utf8')).not.toContain('hunter2');
  });
});
