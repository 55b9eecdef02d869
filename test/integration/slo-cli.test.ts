// `toc slo status` and `toc slo gate` as a pipeline runs them: a child process with the workspace file,
// against the real Prometheus with the standard scenarios, evaluated at their end time with --at.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BURN_WINDOWS } from '@shared/slo';
import { startPrometheusWithDataset, type PrometheusHandle } from '../helpers/prometheus';
import { EXPECTED, standardDataset, STANDARD_END } from '../helpers/slo-scenarios';
import { makeSloWorkspace, type SloWorkspace } from '../helpers/slo-workspace';
import { startFixture } from '../helpers/http-fixture';

const root = path.resolve(import.meta.dirname, '../..');
const AT = new Date(STANDARD_END * 1000).toISOString();

let prom: PrometheusHandle;
let ws: SloWorkspace;

function toc(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/helpers/run-toc.ts'), ...args], {
      cwd: root,
      env: { ...process.env, TOC_DATA_DIR: dataDir, TOC_WORKSPACE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  prom = await startPrometheusWithDataset(standardDataset());
  ws = makeSloWorkspace({ prometheusUrl: prom.url });
});

afterAll(async () => {
  await prom?.stop();
  ws?.cleanup();
});

describe('toc slo status', () => {
  it('--json prints one object per SLO objective with the documented fields', async () => {
    const r = await toc(['slo', 'status', '--config', ws.config, '--json', '--at', AT], ws.dataDir);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list.map((o) => o['id']).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const o of list) {
      for (const k of ['name', 'service', 'target', 'window', 'sli', 'errorBudgetRemaining', 'burnRates', 'alerts', 'policy', 'status']) {
        expect(o, `${String(o['id'])} lacks ${k}`).toHaveProperty(k);
      }
      expect(Object.keys(o['burnRates'] as object)).toEqual([...BURN_WINDOWS]);
      const exp = EXPECTED[o['id'] as string];
      expect(o['status']).toBe(exp?.status);
      expect(o['policy']).toBe(exp?.policy);
    }
    const payments = list.find((o) => o['id'] === 'payments');
    expect(payments).toMatchObject({ name: 'payments', service: 'payments', target: 0.999, window: '30d' });
    expect(payments?.['alerts']).toContainEqual(expect.objectContaining({ severity: 'page', long: '1h', short: '5m', factor: 14.4 }));
    expect(list.find((o) => o['id'] === 'ghost')).toMatchObject({
      sli: null,
      errorBudgetRemaining: null,
      policy: 'no-data',
      status: 'no-data',
    });
    expect(list.find((o) => o['id'] === 'reports')?.['burnRates']).toMatchObject({ '5m': null, '1h': null });
  });

  it('prints a readable table, worst first, without --json', async () => {
    const r = await toc(['slo', 'status', '--config', ws.config, '--at', AT], ws.dataDir);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SLO\s+SERVICE\s+WINDOW\s+TARGET\s+SLI\s+BUDGET LEFT\s+BURN 1h\s+ALERTS\s+POLICY\s+STATUS$/);
    expect(lines).toHaveLength(Object.keys(EXPECTED).length + 1);
    expect(lines[1]).toMatch(/emergency|no-data|restricted/);
    expect(r.stdout).toMatch(/payments\s+payments\s+30d\s+99\.90 %\s+\S+ %\s+\S+ %\s+30\.0×\s+page\s+caution\s+ok/);
  });
});

describe('toc slo gate', () => {
  const gate = (
    slo: string,
    min: string,
    extra: string[] = [],
    config = ws.config,
  ): Promise<{ code: number; stdout: string; stderr: string }> =>
    toc(['slo', 'gate', '--config', config, '--slo', slo, '--min-budget', min, '--at', AT, ...extra], ws.dataDir);

  it('exits 0 when at least the minimum is left (the strictest objective decides)', async () => {
    const r = await gate('checkout', '50');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^checkout \(internal\): 60\.0 % of the error budget left over 30d \(target 99\.90 %\), policy caution; at least 50 % is required: the gate is open\./,
    );
  });

  it('exits 1 below the minimum and says how much is left and the tier', async () => {
    const r = await gate('search', '30%');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /search: 2\d\.\d % of the error budget left .* policy restricted; at least 30 % is required: the gate is closed/,
    );
    const j = await gate('checkout', '70', ['--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ slo: 'checkout', decision: 'fail', policy: 'caution', minBudget: 0.7 });
  });

  it('exits 2 when it cannot tell: no data, unknown SLO, Prometheus unreachable, bad usage', async () => {
    const ghost = await gate('ghost', '10');
    expect(ghost.code).toBe(2);
    expect(ghost.stdout).toMatch(/ghost: the error budget is unknown \(no-data/);
    const unknown = await gate('nope', '10');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toMatch(/nope: no such SLO.*Known SLOs: .*checkout/);

    const closed = await startFixture();
    const url = closed.url;
    await closed.close();
    const down = makeSloWorkspace({ prometheusUrl: url, files: ['checkout.yaml'] });
    try {
      const r = await gate('checkout', '10', [], down.config);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/checkout: the error budget is unknown \(error: .*(refused|reach)/i);
      const status = await toc(['slo', 'status', '--config', down.config, '--json'], down.dataDir);
      expect(status.code).toBe(2);
      expect(
        (JSON.parse(status.stdout) as { status: string; error?: string }[]).every(
          (s) => s.status === 'error' && (s.error ?? '').length > 0,
        ),
      ).toBe(true);
    } finally {
      down.cleanup();
    }
    const usage = await toc(['slo', 'gate', '--config', ws.config, '--slo', 'checkout'], ws.dataDir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--min-budget PCT is required/);
  });
});
