// The `toc` CLI as a new user and a hostile server meet it: remote text with terminal escapes, a server that is
// not running, a 429 asking for a long wait, `--help` and `--version` everywhere, workspace problems printed by
// every command that reads the workspace.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main, commands } from '../../electron/cli/toc';
import { startFixture } from '../helpers/http-fixture';
import type { Fixture } from '../helpers/http-fixture';
import { freePort } from '../helpers/free-port';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
let dir: string;
let fx: Fixture;
const saved = { data: process.env.TOC_DATA_DIR, pw: process.env.TOC_TEST_HOSTILE_PW, ws: process.env.TOC_WORKSPACE };

function workspace(name: string, url: string, extra = ''): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `name: hostile\nconnections:\n  - id: snow\n    kind: servicenow\n    name: ServiceNow\n    url: ${url}\n    auth: {type: basic, username: admin, password: {secret: {env: TOC_TEST_HOSTILE_PW}}}\n${extra}`,
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

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-cli-hostile-'));
  process.env.TOC_DATA_DIR = path.join(dir, 'data');
  process.env.TOC_TEST_HOSTILE_PW = 'pw-for-tests';
  delete process.env.TOC_WORKSPACE;
  fx = await startFixture();
});

afterAll(async () => {
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of [
    ['TOC_DATA_DIR', saved.data],
    ['TOC_TEST_HOSTILE_PW', saved.pw],
    ['TOC_WORKSPACE', saved.ws],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('remote text reaches the terminal inert', () => {
  it('an error body with clear-screen, a window title, C1 controls and a bell prints without them', async () => {
    fx.route('/api/now/table/incident', (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: 'Database\u001b[2J\u001b[H gone\u001b]0;owned\u0007 \u009b31m\u0007now', detail: 'x\u001bPdcs\u001b\\' },
          status: 'failure',
        }),
      );
    });
    const r = await run(['incidents', 'list', '--config', workspace('esc.yaml', fx.url)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Database gone');
    expect(r.err).not.toMatch(CONTROL);
    expect(r.out).not.toMatch(CONTROL);
  });
});

describe('errors say whose fault they are', () => {
  it('connection refused names the host that could not be reached, and does not say "ServiceNow said"', async () => {
    const port = await freePort();
    const r = await run(['incidents', 'list', '--config', workspace('refused.yaml', `http://127.0.0.1:${port}`)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`nothing is listening at 127.0.0.1:${port} (connection refused)`);
    expect(r.err).not.toContain('said');
  });

  it('a Retry-After longer than toc waits says so, with the time to try again', async () => {
    fx.route('/api/now/table/incident', (_req, res) => {
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '120' });
      res.end(JSON.stringify({ error: { message: 'Rate limit exceeded', detail: '' }, status: 'failure' }));
    });
    const before = Date.now();
    const r = await run(['incidents', 'list', '--config', workspace('429.yaml', fx.url)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Rate limit exceeded');
    expect(r.err).toMatch(/asked to wait 120 s \(Retry-After\), longer than toc waits on its own; try again after \d\d:\d\d:\d\d UTC/);
    const at = /after (\d\d):(\d\d):(\d\d) UTC/.exec(r.err);
    const t = new Date(before + 120_000);
    expect(Number(at?.[1]) * 60 + Number(at?.[2])).toBeGreaterThanOrEqual(t.getUTCHours() * 60 + t.getUTCMinutes() - 1);
  });
});

describe('CLI conventions', () => {
  it('--help and -h on every command and subcommand print its usage and exit 0', async () => {
    for (const [name, cmd] of Object.entries(commands)) {
      for (const flag of ['--help', '-h']) {
        const r = await run([...name.split(' '), flag]);
        expect(r.code, `${name} ${flag}: ${r.err}`).toBe(0);
        expect(r.out).toContain(cmd.help.split('\n')[0]);
        expect(r.err).toBe('');
      }
    }
    // A group word alone ("toc slo") lists its subcommands.
    const group = await run(['slo', '--help']);
    expect(group.code).toBe(0);
    expect(group.out).toContain('toc slo status');
    expect(group.out).toContain('toc slo gate');
  });

  it('--version prints the version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`toc ${pkg.version}\n`);
    }
  });

  it('runbook launch prints the workspace problems like every other command', async () => {
    const config = workspace('typo.yaml', fx.url, 'wall:\n  intervall: 30\n');
    const r = await run(['runbook', 'launch', 'no-such-runbook', '--config', config]);
    expect(r.err).toMatch(/workspace: .*typo\.yaml:\d+ wall\.intervall: /);
  });
});
