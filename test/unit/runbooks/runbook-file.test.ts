import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunbookFile } from '../../../electron/core/features/runbooks/runbook-file';
import { markdownTree, plainText } from '../../../electron/core/features/runbooks/markdown';
import { RunbookStore } from '../../../electron/core/features/runbooks/runbook-store';

const FULL = `---
title: Restart a failed service
services: [checkout, payments]
alerts: ServiceDown
cis: [web-01, 42]
tags: [restart]
awx: {connection: demo-awx, template: Restart service}
extraVars:
  target_host: "{{ incident.alert_host }}"
  retries: 3
  sources: [syslog, app]
limit: "{{ incident.alert_host }}"
production: true
---

# Ignored heading

Body text.
`;

describe('runbook front matter', () => {
  it('reads every field, normalising single values to lists', () => {
    const r = parseRunbookFile(FULL, 'restart');
    expect(r.problems).toEqual([]);
    expect(r.meta).toEqual({
      title: 'Restart a failed service',
      services: ['checkout', 'payments'],
      alerts: ['ServiceDown'],
      cis: ['web-01', '42'],
      tags: ['restart'],
      awx: { connection: 'demo-awx', template: 'Restart service' },
      extraVars: { target_host: '{{ incident.alert_host }}', retries: 3, sources: ['syslog', 'app'] },
      limit: '{{ incident.alert_host }}',
      production: true,
    });
    expect(r.body.startsWith('\n# Ignored heading')).toBe(true);
  });

  it('without front matter: a readable procedure titled by its first heading, or its file name', () => {
    expect(parseRunbookFile('# Escalate a P1\n\nCall.\n', 'escalation').meta).toMatchObject({
      title: 'Escalate a P1',
      awx: null,
      production: false,
    });
    expect(parseRunbookFile('Just text.\n', 'notes').meta.title).toBe('notes');
  });

  it('a bad field is reported with its line; the rest still loads', () => {
    const text =
      '---\ntitle: Disk\nalerts: [DiskAlmostFull]\nawx: {connection: x}\nproduction: "yes"\nextraVars: [1, 2]\nfoo: 1\n---\nBody\n';
    const r = parseRunbookFile(text, 'disk');
    expect(r.meta).toMatchObject({ title: 'Disk', alerts: ['DiskAlmostFull'], awx: null, production: false, extraVars: {} });
    expect(r.problems).toEqual([
      { line: 4, message: 'awx.template: Invalid input: expected string, received undefined' },
      { line: 6, message: 'extraVars: Invalid input: expected record, received array' },
      { line: 5, message: 'production: Invalid input: expected boolean, received string' },
      { message: 'unknown front-matter field "foo" (ignored)' },
    ]);
  });

  it('YAML errors are reported with the file line; the body is still there', () => {
    const r = parseRunbookFile('---\ntitle: [unclosed\n---\n# Heading\n', 'x');
    expect(r.problems[0]?.message).toMatch(/not valid YAML/);
    expect(r.problems[0]?.line).toBeGreaterThanOrEqual(2);
    expect(r.meta.title).toBe('Heading');
  });
});

describe('runbook markdown', () => {
  it('becomes a tree of allowed elements; raw HTML stays text; unsafe links lose their href', () => {
    const tree = markdownTree(
      '# T\n\n<script>alert(1)</script>\n\n- [ok](https://e.com/x) [bad](javascript:alert(1)) [file](file:///etc/passwd)\n- `code` [ftp](ftp://h/x)\n\n1. one\n\n```sh\nls -l\n```\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n',
    );
    expect(tree[0]).toEqual({ t: 'el', tag: 'h1', children: [{ t: 'text', v: 'T' }] });
    expect(tree[1]).toEqual({ t: 'el', tag: 'p', children: [{ t: 'text', v: '<script>alert(1)</script>' }] });
    const list = tree[2];
    expect(list).toMatchObject({ tag: 'ul' });
    const item = list?.t === 'el' ? list.children[0] : undefined;
    expect(item).toEqual({
      t: 'el',
      tag: 'li',
      children: [
        { t: 'el', tag: 'a', href: 'https://e.com/x', children: [{ t: 'text', v: 'ok' }] },
        { t: 'text', v: ' [bad](javascript:alert(1)) [file](file:///etc/passwd)' },
      ],
    });
    const code = list?.t === 'el' ? list.children[1] : undefined;
    expect(code).toEqual({
      t: 'el',
      tag: 'li',
      children: [
        { t: 'el', tag: 'code', children: [{ t: 'text', v: 'code' }] },
        { t: 'text', v: ' ' },
        { t: 'el', tag: 'a', children: [{ t: 'text', v: 'ftp' }] },
      ],
    });
    expect(tree[4]).toEqual({
      t: 'el',
      tag: 'pre',
      children: [{ t: 'el', tag: 'code', lang: 'sh', children: [{ t: 'text', v: 'ls -l\n' }] }],
    });
    expect(JSON.stringify(tree[5])).toContain('"align":"right"');
    expect(plainText(tree)).toContain('T\n<script>alert(1)</script>');
  });
});

describe('the runbook store', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-runbooks-'));
  const other = mkdtempSync(path.join(os.tmpdir(), 'toc-runbooks2-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });
  writeFileSync(path.join(dir, 'restart-service.md'), FULL);
  writeFileSync(
    path.join(dir, 'disk cleanup.md'),
    '---\ntitle: Free disk space\nalerts: [DiskAlmostFull]\ncis: [web-01]\nawx: {template: Disk cleanup}\n---\nRemoves rotated logs older than seven days.\n',
  );
  writeFileSync(path.join(other, 'restart-service.md'), '# Another restart\n\nManual steps.\n');
  writeFileSync(path.join(dir, 'notes.txt'), 'not a runbook');
  const store = new RunbookStore(() => [dir, other, path.join(dir, 'missing')]);

  it('lists runbooks from every folder with unique ids, and says which folder cannot be read', async () => {
    const r = await store.list();
    expect(r.runbooks.map((x) => [x.id, x.title])).toEqual([
      ['restart-service-2', 'Another restart'],
      ['disk-cleanup', 'Free disk space'],
      ['restart-service', 'Restart a failed service'],
    ]);
    expect(r.problems).toEqual([{ file: path.join(dir, 'missing'), message: 'The runbook folder cannot be read (ENOENT).' }]);
  });

  it('searches titles, alerts, CIs and text, best first, with a snippet', async () => {
    const r = await store.list('rotated logs');
    expect(r.runbooks.map((x) => x.id)).toEqual(['disk-cleanup']);
    expect(r.runbooks[0]?.snippet).toContain('Removes rotated logs');
    expect((await store.list('servicedown')).runbooks.map((x) => x.id)).toEqual(['restart-service']);
    expect((await store.list('restart')).runbooks.map((x) => x.id)).toEqual(['restart-service', 'restart-service-2']);
    expect((await store.list('nothing-like-this')).runbooks).toEqual([]);
  });

  it('suggests by alert and CI (alert instance without its port), with the extra vars filled', async () => {
    const incident = {
      connectionId: 'snow',
      sysId: 'a'.repeat(32),
      number: 'INC1',
      short_description: '',
      alert_name: 'ServiceDown',
      alert_instance: 'web-01:9100',
      alert_host: 'web-01',
      cmdb_ci: '',
      business_service: '',
      priority: '',
      assignment_group: '',
      link: '',
    };
    const s = await store.suggest({ alertName: 'servicedown', alertInstance: 'web-01:9100' }, incident);
    expect(s.map((x) => [x.runbook.id, x.reasons])).toEqual([
      ['restart-service', ['alert servicedown', 'CI web-01']],
      ['disk-cleanup', ['CI web-01']],
    ]);
    expect(s[0]).toMatchObject({ extraVars: { target_host: 'web-01', retries: 3 }, limit: 'web-01', missing: [] });
  });

  it('notices an edited file without a restart', async () => {
    writeFileSync(path.join(other, 'restart-service.md'), '---\ntitle: Edited\n---\nNew text.\n');
    const later = Date.now() / 1000 + 5;
    (await import('node:fs')).utimesSync(path.join(other, 'restart-service.md'), later, later);
    expect((await store.get('restart-service-2')).title).toBe('Edited');
    await expect(store.get('nope')).rejects.toThrow('There is no runbook "nope"');
    expect((await store.find('free DISK space')).id).toBe('disk-cleanup');
  });
});
