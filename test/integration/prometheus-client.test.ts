// The core's Prometheus client: against a live Prometheus 2.42 with rule files (rule evaluation errors, firing
// alerts, the ALERTS series, value mapping, Prometheus's own error words), and against a loopback fixture for
// what a real server will not do on demand (slow answers to count concurrency, proxy HTML pages, aborts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignedRange } from '@shared/slo';
import { ContractFailure } from '@shared/kernel/result';
import { createHttpClient } from '../../electron/core/kernel/http/http-client';
import { PrometheusClient } from '../../electron/core/systems/prometheus/prometheus-client';
import { createCore, type Core } from '../../electron/core/core';
import { SloService } from '../../electron/core/features/slo/slo-service';
import { startPrometheus, type PrometheusHandle } from '../helpers/prometheus';
import { json, startFixture, type Fixture } from '../helpers/http-fixture';
import { makeSloWorkspace, type SloWorkspace } from '../helpers/slo-workspace';
import { fakeSecrets } from '../helpers/fake-secrets';

const LIVE_RULES = `groups:
  - name: broken-recording
    interval: 1s
    rules:
      - record: toc:duplicate
        expr: label_replace(vector(1), "x", "a", "", "") or label_replace(vector(2), "x", "b", "", "")
        labels:
          x: same
  - name: slo-alerts
    interval: 1s
    rules:
      - alert: ErrorBudgetBurn
        expr: vector(1)
        labels: {severity: page, slo: checkout, long: 1h, short: 5m}
        annotations:
          summary: Checkout burns its error budget 14.4 times too fast
          runbook_url: https://runbooks.example.com/checkout-burn
      - alert: NotALink
        expr: vector(1)
        labels: {severity: ticket}
        annotations: {runbook_url: "javascript:alert(1)"}
`;

function clientFor(url: string, opts: { concurrency?: number; maxAttempts?: number } = {}): PrometheusClient {
  const http = createHttpClient({ name: 'Prometheus (test)', connectionId: 'p', baseUrl: url, maxAttempts: opts.maxAttempts ?? 1 });
  return new PrometheusClient({ connectionId: 'p', name: 'Prometheus (test)', http: () => http, concurrency: opts.concurrency ?? 4 });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('against a live Prometheus with rules', () => {
  let prom: PrometheusHandle;
  let ws: SloWorkspace;
  let core: Core;
  let client: PrometheusClient;

  beforeAll(async () => {
    prom = await startPrometheus({ ruleFiles: [{ name: 'live.yml', content: LIVE_RULES }] });
    client = clientFor(prom.url);
    // Rules run every second; wait for the first evaluations (the error and the firing alerts).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { groups } = await client.rules();
      const failing = groups.some((g) => g.rules.some((r) => r.lastError));
      const alerts = await client.alerts();
      // A fresh head answers long range queries a second or two after its first samples.
      const end = Math.ceil(Date.now() / 1000 / 10_800) * 10_800;
      const history = await client.range('max_over_time(ALERTS[3h])', end - 30 * 86_400, end, 10_800);
      if (failing && alerts.filter((a) => a.state === 'firing').length === 2 && history.length === 2) break;
      if (Date.now() > deadline) throw new Error('rules did not evaluate in 20 s');
      await sleep(250);
    }
    ws = makeSloWorkspace({ prometheusUrl: prom.url, files: ['checkout.yaml'] });
    core = await createCore({
      version: '0.0.0-test',
      transport: 'direct',
      workspaceFile: ws.config,
      dataDir: ws.dataDir,
      secrets: fakeSecrets(),
      validateOutput: true,
    });
  });

  afterAll(async () => {
    await core?.dispose();
    await prom?.stop();
    ws?.cleanup();
  });

  it('surfaces rule evaluation errors from /api/v1/rules as fleet warnings', async () => {
    const svc = new SloService({ workspace: () => core.services.workspace(), connections: core.services.connections, dataDir: ws.dataDir });
    const fleet = await svc.fleet();
    const w = fleet.warnings.find((x) => x.kind === 'rule-error');
    expect(w).toMatchObject({ connectionId: 'prom-main', group: 'broken-recording', rule: 'toc:duplicate' });
    expect(w?.message).toMatch(
      /toc:duplicate.*fails to evaluate: vector contains metrics with the same labelset after applying rule labels/,
    );
    expect(w?.file).toMatch(/live\.yml$/);
    // The SLO itself has no data in this server: no-data, never healthy.
    expect(fleet.statuses.find((s) => s.id === 'checkout')).toMatchObject({ status: 'no-data', policy: 'no-data' });
    svc.dispose();
  });

  it('lists firing alerts with labels, annotations and only http(s) runbook links, tied to their SLO', async () => {
    const r = await core.dispatcher.call('slo.alerts', {}, { transport: 'direct', signal: new AbortController().signal });
    if (!r.ok) throw new Error(r.error.message);
    const { alerts, errors } = r.data as {
      alerts: {
        alertname: string;
        runbookUrl?: string;
        sloId?: string;
        annotations: Record<string, string>;
        labels: Record<string, string>;
        state: string;
        value: number | null;
      }[];
      errors: unknown[];
    };
    expect(errors).toEqual([]);
    const burn = alerts.find((a) => a.alertname === 'ErrorBudgetBurn');
    expect(burn).toMatchObject({
      state: 'firing',
      runbookUrl: 'https://runbooks.example.com/checkout-burn',
      labels: expect.objectContaining({ severity: 'page', slo: 'checkout' }),
      annotations: expect.objectContaining({ summary: 'Checkout burns its error budget 14.4 times too fast' }),
      value: 1,
    });
    const notLink = alerts.find((a) => a.alertname === 'NotALink');
    expect(notLink?.runbookUrl).toBeUndefined();
    expect(notLink?.annotations['runbook_url']).toBe('javascript:alert(1)');
  });

  it('draws the alert timeline of an SLO from the ALERTS series', async () => {
    const svc = new SloService({ workspace: () => core.services.workspace(), connections: core.services.connections, dataDir: ws.dataDir });
    const d = await svc.detail('checkout', 300);
    const span = d.alertTimeline.find((a) => a.alertname === 'ErrorBudgetBurn');
    expect(span).toMatchObject({
      state: 'firing',
      severity: 'page',
      open: true,
      labels: expect.objectContaining({ slo: 'checkout', long: '1h' }),
    });
    expect(d.alertTimeline.some((a) => a.alertname === 'NotALink')).toBe(false);
    svc.dispose();
  });

  it('maps "+Inf", "-Inf" and "NaN" by hand, in instant and range answers', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await client.instant('vector(1/0)', now))[0]?.value).toBe(Number.POSITIVE_INFINITY);
    expect((await client.instant('vector(-1/0)', now))[0]?.value).toBe(Number.NEGATIVE_INFINITY);
    expect((await client.instant('vector(0/0)', now))[0]?.value).toBeNaN();
    const series = await client.range('vector(-1/0)', now - 60, now, 30);
    expect(series[0]?.points.map((p) => p.v)).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it("quotes Prometheus's own words for a refused query, and hands the envelope back for bisecting", async () => {
    const now = Math.floor(Date.now() / 1000);
    const err = await client.instant('sum(rate(up))', now).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractFailure);
    expect((err as ContractFailure).code).toBe('validation');
    expect((err as ContractFailure).detail?.remoteMessage).toMatch(/^bad_data: .*expected type range vector/);
    expect(await client.instantRaw('sum(rate(up))', now)).toMatchObject({ status: 'error', errorType: 'bad_data' });
    const rangeErr = await client.range('sum(rate(up))', now - 60, now, 15).catch((e: unknown) => e);
    expect((rangeErr as ContractFailure).detail?.remoteMessage).toMatch(/^bad_data: /);
  });

  it('keeps range queries under 11,000 points per series', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = client.stats().requests;
    const tooMany = await client.range('vector(1)', now - 11_000 * 60, now, 60).catch((e: unknown) => e);
    expect((tooMany as ContractFailure).code).toBe('bad_request');
    expect(client.stats().requests).toBe(before);
    // What the chart code asks for instead: 90 days at a 20,000-pixel width still fits.
    const r = alignedRange(now - 90 * 86_400, now, 20_000, 1);
    expect(r.points).toBeLessThanOrEqual(11_000);
    const series = await client.range('vector(1)', r.start, r.end, r.step);
    expect(series[0]?.points.length).toBe(r.points);
  });
});

describe('against a loopback fixture', () => {
  let fx: Fixture;
  let active = 0;
  let maxActive = 0;

  beforeAll(async () => {
    fx = await startFixture();
    fx.route('/api/v1/query', (_req, res) => {
      active++;
      maxActive = Math.max(maxActive, active);
      setTimeout(() => {
        active--;
        json(res, 200, { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '+Inf'] }] } });
      }, 120);
    });
    fx.route('/proxy/api/v1/query', (_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>');
    });
    fx.route('/limits/api/v1/query', (_req, res) =>
      json(res, 422, {
        status: 'error',
        errorType: 'execution',
        error: 'query processing would load too many samples into memory in query execution',
      }),
    );
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('never runs more than the per-connection limit at once', async () => {
    maxActive = 0;
    const client = clientFor(fx.url, { concurrency: 3 });
    const values = await Promise.all(Array.from({ length: 12 }, () => client.instant('x', 1)));
    expect(values.every((v) => v[0]?.value === Number.POSITIVE_INFINITY)).toBe(true);
    expect(maxActive).toBe(3);
    expect(client.stats()).toMatchObject({ maxActive: 3, active: 0, queued: 0, started: 12 });
  });

  it('cancels queued and running requests when the caller aborts, and queued ones never reach the server', async () => {
    const client = clientFor(fx.url, { concurrency: 1 });
    const ac = new AbortController();
    const before = fx.hits.length;
    const runs = Array.from({ length: 4 }, () => client.instant('x', 1, ac.signal).catch((e: unknown) => e));
    await sleep(40);
    ac.abort();
    const results = await Promise.all(runs);
    expect(results.every((r) => r instanceof ContractFailure && r.code === 'cancelled')).toBe(true);
    expect(fx.hits.length - before).toBe(1);
    expect(client.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it("reports a proxy's HTML error page in its own words", async () => {
    const client = clientFor(`${fx.url}/proxy`);
    const err = await client.instant('up', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractFailure);
    expect((err as ContractFailure).code).toBe('remote_error');
    expect((err as ContractFailure).message).toBe('Prometheus (test) answered 502 (bad gateway): 502 Bad Gateway');
    expect((err as ContractFailure).detail).toMatchObject({ status: 502, remoteMessage: '502 Bad Gateway' });
  });

  it('passes JSON error bodies through with errorType and message', async () => {
    const client = clientFor(`${fx.url}/limits`);
    expect(await client.instantRaw('up', 1)).toEqual({
      status: 'error',
      errorType: 'execution',
      error: 'query processing would load too many samples into memory in query execution',
    });
    const err = await client.instant('up', 1).catch((e: unknown) => e);
    expect((err as ContractFailure).message).toMatch(/execution: query processing would load too many samples/);
  });

  it('sends queries as POST form bodies', async () => {
    const client = clientFor(fx.url);
    const long = `sum(x{a="${'y'.repeat(20_000)}"})`;
    await client.instant(long, 1700000000);
    const hit = fx.hits[fx.hits.length - 1];
    expect(hit?.method).toBe('POST');
    expect(hit?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(hit?.body ?? '').get('query')).toBe(long);
    expect(new URLSearchParams(hit?.body ?? '').get('time')).toBe('1700000000');
  });
});
