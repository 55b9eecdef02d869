import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadWorkspace } from '../../../electron/core/kernel/workspace/load-workspace';

const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-ws-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('workspace file', () => {
  it('loads connections, SLO globs relative to the file, runbook folders, policy and wall pages', async () => {
    mkdirSync(path.join(dir, 'slos'), { recursive: true });
    writeFileSync(path.join(dir, 'slos', 'a.yaml'), 'x: 1');
    writeFileSync(path.join(dir, 'slos', 'b.yaml'), 'x: 1');
    writeFileSync(path.join(dir, 'ca.pem'), 'pem');
    const f = write(
      'good.yaml',
      `name: Night shift
connections:
  - id: prom
    kind: prometheus
    name: Prometheus prod
    url: https://prom.example:9090
    auth: {type: bearer, token: {secret: {keychain: prom-token}}}
    caFile: ca.pem
  - id: awx
    kind: awx
    name: AWX
    url: https://awx.example
    apiBasePath: /api/controller/v2/
    auth: {type: basic, username: ops, password: {secret: {env: AWX_PASSWORD}}}
slos: {connection: prom, files: ["slos/*.yaml"]}
runbooks: {folders: [runbooks]}
policy: {tiers: {caution: 0.9, restricted: 0.5, emergency: 0.1}}
wall: {interval: 20, pages: [{title: SLOs, kind: slos}]}
`,
    );
    const { workspace, problems } = await loadWorkspace(f);
    expect(problems).toEqual([]);
    expect(workspace.name).toBe('Night shift');
    expect(workspace.connections.map((c) => c.id)).toEqual(['prom', 'awx']);
    expect(workspace.connections[0]?.caFile).toBe(path.join(dir, 'ca.pem'));
    expect(workspace.slos.files).toEqual([path.join(dir, 'slos', 'a.yaml'), path.join(dir, 'slos', 'b.yaml')]);
    expect(workspace.runbookFolders).toEqual([path.join(dir, 'runbooks')]);
    expect(workspace.policy).toEqual({ caution: 0.9, restricted: 0.5, emergency: 0.1 });
    expect(workspace.wall).toEqual({ interval: 20, refresh: 15, pages: [{ title: 'SLOs', kind: 'slos' }] });
  });

  it('names file, line and field for each bad connection and keeps the good ones', async () => {
    const f = write(
      'bad.yaml',
      `connections:
  - id: ok1
    kind: prometheus
    name: Fine
    url: http://127.0.0.1:9090
    auth: {type: none}
  - id: weird
    kind: grafana
    name: Unknown kind
    url: http://x
    auth: {type: none}
  - id: nourl
    kind: servicenow
    name: No URL
    auth: {type: basic, username: a, password: {secret: {keychain: k}}}
  - id: ftp
    kind: awx
    name: FTP
    url: ftp://awx.example
    auth: {type: bearer, token: {secret: {keychain: t}}}
  - id: ok1
    kind: prometheus
    name: Duplicate
    url: http://127.0.0.1:9091
    auth: {type: none}
  - id: badauth
    kind: awx
    name: OAuth on AWX
    url: https://awx.example
    auth: {type: none}
    caFile: missing-ca.pem
`,
    );
    const { workspace, problems } = await loadWorkspace(f);
    expect(workspace.connections.map((c) => c.id)).toEqual(['ok1']);
    const byField = Object.fromEntries(problems.map((p) => [p.field, p]));
    expect(byField['connections.1.kind']).toMatchObject({ file: f, line: 8 });
    expect(byField['connections.2.url']).toMatchObject({ file: f, line: 12 });
    expect(byField['connections.3.url']).toMatchObject({ line: 19, message: 'must be an http:// or https:// URL' });
    expect(byField['connections.4.id']).toMatchObject({ line: 21, message: 'duplicate connection id "ok1" (first used by entry 0)' });
    expect(byField['connections.5.auth.type']?.message).toBe('awx connections take auth bearer, basic, not "none"');
  });

  it('reports a missing CA file with its line', async () => {
    const f = write(
      'ca.yaml',
      `connections:\n  - id: p\n    kind: prometheus\n    name: P\n    url: https://p\n    auth: {type: none}\n    caFile: nope.pem\n`,
    );
    const { workspace, problems } = await loadWorkspace(f);
    expect(workspace.connections).toHaveLength(1);
    expect(problems).toEqual([
      { file: f, line: 7, column: 13, field: 'connections.0.caFile', message: `file not found: ${path.join(dir, 'nope.pem')}` },
    ]);
  });

  it('reports YAML syntax errors with their line', async () => {
    const f = write('syntax.yaml', 'name: x\nconnections:\n  - id: [unclosed\n');
    const { problems } = await loadWorkspace(f);
    expect(problems[0]?.file).toBe(f);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it('reports unknown top-level keys and wrong types by field', async () => {
    const f = write('types.yaml', 'name: 5\nconections: []\nwall: {interval: "soon"}\n');
    const { problems } = await loadWorkspace(f);
    const fields = problems.map((p) => p.field);
    expect(fields).toContain('name');
    expect(fields).toContain('wall.interval');
    expect(problems.find((p) => p.field === 'name')?.line).toBe(1);
    expect(problems.some((p) => /conections/.test(p.message))).toBe(true);
  });

  it('says when the file does not exist', async () => {
    const { problems } = await loadWorkspace(path.join(dir, 'absent.yaml'));
    expect(problems).toEqual([{ file: path.join(dir, 'absent.yaml'), message: 'The workspace file does not exist.' }]);
  });
});
