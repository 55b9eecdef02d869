import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadWorkspace } from '../../../electron/core/kernel/workspace/load-workspace';

// The README promises that every valid entry of the workspace still loads whatever else is wrong in the file.
// A typo anywhere must cost only the entry it is in, with file, line and field in the report.

const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-ws-salvage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

const CONNECTIONS = `connections:
  - id: prom
    kind: prometheus
    name: Prometheus
    url: https://prom.example:9090
    auth: {type: none}
  - id: snow
    kind: servicenow
    name: ServiceNow
    url: https://snow.example
    auth: {type: basic, username: ops, password: {secret: {env: SNOW_PW}}}
`;

describe('workspace: a problem costs only the entry it is in', () => {
  it('a typo inside wall keeps every connection, the rest of wall, and says where the typo is', async () => {
    const f = write('wall-typo.yaml', `name: Night shift\n${CONNECTIONS}wall:\n  intervall: 30\n  refresh: 20\n`);
    const { workspace, problems } = await loadWorkspace(f);
    expect(workspace.name).toBe('Night shift');
    expect(workspace.connections.map((c) => c.id)).toEqual(['prom', 'snow']);
    expect(workspace.wall).toMatchObject({ interval: 30, refresh: 20 });
    expect(problems).toEqual([
      { file: f, line: 14, column: 3, field: 'wall.intervall', message: 'unknown field "intervall" (ignored); did you mean "interval"?' },
    ]);
  });

  it('an unknown top-level key, a wrong name type and a bad policy each cost only themselves', async () => {
    const f = write(
      'several.yaml',
      `name: 5\n${CONNECTIONS}runbooks: {folders: [books]}\npolicy: {tiers: {caution: 0.2, restricted: 0.5, emergency: 0.1}}\ngrafanna: {url: https://g.example}\nslos: {connection: prom, files: 7}\n`,
    );
    const { workspace, problems } = await loadWorkspace(f);
    expect(workspace.connections.map((c) => c.id)).toEqual(['prom', 'snow']);
    expect(workspace.runbookFolders).toEqual([path.join(dir, 'books')]);
    expect(workspace.name).toBe('Workspace');
    expect(workspace.policy).toEqual({ caution: 0.8, restricted: 0.5, emergency: 0.2 });
    expect(workspace.slos.connection).toBe('prom');
    const byField = Object.fromEntries(problems.map((p) => [p.field, p]));
    expect(Object.keys(byField).sort()).toEqual(['grafanna', 'name', 'policy.tiers', 'slos.files']);
    expect(byField['name']?.line).toBe(1);
    expect(byField['grafanna']?.message).toContain('did you mean "grafana"?');
    expect(byField['grafanna']?.line).toBe(15);
    expect(byField['policy.tiers']?.message).toContain('caution ≥ restricted ≥ emergency');
    expect(byField['policy.tiers']?.line).toBe(14);
    expect(byField['slos.files']?.line).toBe(16);
  });

  it('one bad wall page does not take the good pages with it', async () => {
    const f = write(
      'pages.yaml',
      `${CONNECTIONS}wall:\n  interval: 10\n  pages:\n    - {title: SLOs, kind: slos}\n    - {title: Bad, kind: weather}\n    - {title: Jobs, kind: jobs}\n`,
    );
    const { workspace, problems } = await loadWorkspace(f);
    expect(workspace.wall.interval).toBe(10);
    expect(workspace.wall.pages.map((p) => p.title)).toEqual(['SLOs', 'Jobs']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'wall.pages.1.kind', line: 16 });
  });

  it('a file whose top level is not a mapping says so and loads nothing else', async () => {
    const f = write('list.yaml', '- a\n- b\n');
    const { workspace, problems } = await loadWorkspace(f);
    expect(workspace.connections).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ file: f, field: '(file)', message: expect.stringContaining('mapping') })]);
  });
});
