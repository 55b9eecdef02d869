// `toc incidents list` in-process against the simulator: JSON with labels, the table, --query, and exit 2 with
// a clear message when it cannot tell.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../electron/cli/toc';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { freePort } from '../helpers/free-port';

let sim: SnowSim;
let dir: string;
let config: string;
const saved = { data: process.env.TOC_DATA_DIR, pw: process.env.TOC_TEST_SNOW_PASSWORD };

function writeConfig(name: string, url: string, passwordVar = 'TOC_TEST_SNOW_PASSWORD'): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `name: CLI test\nconnections:\n  - id: snow\n    kind: servicenow\n    name: Sim\n    url: ${url}\n    auth: {type: basic, username: admin, password: {secret: {env: ${passwordVar}}}}\n`,
  );
  return file;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const open = (): Row[] =>
  sim
    .table('incident')
    .all()
    .filter((r) => r.active === 'true' && !['6', '7', '8'].includes(r.state ?? ''));

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 40, seed: 41 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-cli-incidents-'));
  process.env.TOC_DATA_DIR = path.join(dir, 'data');
  process.env.TOC_TEST_SNOW_PASSWORD = sim.credentials.password;
  config = writeConfig('toc.yaml', sim.url);
});

afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
  if (saved.data === undefined) delete process.env.TOC_DATA_DIR;
  else process.env.TOC_DATA_DIR = saved.data;
  if (saved.pw === undefined) delete process.env.TOC_TEST_SNOW_PASSWORD;
  else process.env.TOC_TEST_SNOW_PASSWORD = saved.pw;
});

describe('toc incidents list', () => {
  it('--json: one object per open incident, labels where ServiceNow has them', async () => {
    const r = await run(['incidents', 'list', '--config', config, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Record<string, unknown>[];
    expect(list).toHaveLength(open().length);
    const users = sim.table('sys_user');
    const groups = sim.table('sys_user_group');
    for (const item of list) {
      for (const k of [
        'number',
        'sys_id',
        'priority',
        'state',
        'short_description',
        'assignment_group',
        'assigned_to',
        'opened_at',
        'sys_updated_on',
      ])
        expect(item).toHaveProperty(k);
      const src = sim.table('incident').get(String(item.sys_id));
      expect(item.number).toBe(src?.number);
      expect(item.priority).toMatch(/^[1-5] - (Critical|High|Moderate|Low|Planning)$/);
      expect(['New', 'In Progress', 'On Hold']).toContain(item.state);
      expect(item.assignment_group).toBe(src?.assignment_group ? groups.get(src.assignment_group)?.name : '');
      expect(item.assigned_to).toBe(src?.assigned_to ? users.get(src.assigned_to)?.name : '');
      expect(item.opened_at).toBe(src?.opened_at);
      expect(item.sys_updated_on).toBe(src?.sys_updated_on);
    }
    // Queue order: P1 first.
    const prios = list.map((x) => String(x.priority).slice(0, 1));
    expect([...prios].sort()).toEqual(prios);
    // One object per line as well, for line tools.
    expect(r.out.split('\n').filter((l) => l.startsWith('{'))).toHaveLength(list.length);
  });

  it('without --json: a readable table and the counts', async () => {
    const r = await run(['incidents', 'list', '--config', config]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NUMBER\s+PRIORITY\s+STATE\s+ASSIGNMENT GROUP\s+ASSIGNED TO\s+UPDATED \(UTC\)\s+SHORT DESCRIPTION$/);
    expect(lines.filter((l) => /^INC\d{7}\s/.test(l))).toHaveLength(open().length);
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(`^${open().length} open incidents on Sim \\(P1 \\d+, P2 \\d+, P3 \\d+, P4 \\d+, P5 \\d+\\)\\.$`),
    );
  });

  it('--query: the encoded query as given, in its own order', async () => {
    const mark = sim.addIncident({ short_description: 'CLI ^ caret check', impact: '2', urgency: '2' });
    const r = await run([
      'incidents',
      'list',
      '--config',
      config,
      '--json',
      '--query',
      'short_descriptionLIKECLI ^^ caret^ORDERBYDESCnumber',
    ]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { number: string; priority: string }[];
    expect(list.map((x) => x.number)).toEqual([mark.number]);
    expect(list[0]?.priority).toBe('3 - Moderate');
    const all = await run(['incidents', 'list', '--config', config, '--json', '--query', 'active=false^ORDERBYDESCnumber', '--limit', '5']);
    const closed = JSON.parse(all.out) as { number: string; state: string }[];
    expect(closed).toHaveLength(5);
    expect(closed.map((x) => x.number)).toEqual([...closed.map((x) => x.number)].sort().reverse());
    expect(closed.every((x) => ['Closed', 'Canceled'].includes(x.state))).toBe(true);
    expect(all.err).toContain('showing the first 5 matches');
  });

  it('exit 2 with the instance words when the credentials are wrong', async () => {
    process.env.TOC_TEST_SNOW_BAD = 'wrong';
    try {
      const r = await run(['incidents', 'list', '--config', writeConfig('bad.yaml', sim.url, 'TOC_TEST_SNOW_BAD')]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(
        /^toc incidents list: Sim answered 401 \(not authenticated\): User Not Authenticated: Required to provide Auth information/,
      );
    } finally {
      delete process.env.TOC_TEST_SNOW_BAD;
    }
  });

  it('exit 2 when nothing listens, when the secret is missing, and on usage errors', async () => {
    const port = await freePort();
    const down = await run(['incidents', 'list', '--config', writeConfig('down.yaml', `http://127.0.0.1:${port}`)]);
    expect(down.code).toBe(2);
    expect(down.err).toMatch(/nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)/);
    const missing = await run(['incidents', 'list', '--config', writeConfig('nosecret.yaml', sim.url, 'TOC_TEST_SNOW_UNSET')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('environment variable TOC_TEST_SNOW_UNSET, which is not set');
    const usage = await run(['incidents', 'list', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--config FILE is required');
    const unknownConn = await run(['incidents', 'list', '--config', config, '--connection', 'nope']);
    expect(unknownConn.code).toBe(2);
    expect(unknownConn.err).toContain('There is no connection "nope"');
    const badFlag = await run(['incidents', 'list', '--config', config, '--frobnicate']);
    expect(badFlag.code).toBe(2);
  });
});
