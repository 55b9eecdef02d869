import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import type { AwxSim } from '../sim/awx';
import { startServeProcess } from './serve-process';
import type { ServeProcess } from './serve-process';

// A finished job the console listed but whose log nobody opened, opened in Chromium through `toc serve` with AWX
// gone (no background sync, so the copy has the job list only): the log area says the log is not in the offline
// copy and that it loads when AWX answers — never "Waiting for output…" — with the job's last known status and
// the copy's age; within the offline budget when AWX hangs (a port that accepts and never answers), and with
// AWX's own words when it refuses. A screenshot goes to test-results/e2e/job-log/not-in-copy.png.

const CONNECTION = 'e2e-nolog-awx';
const NOTE =
  /^The log of job #\d+ is not in the offline copy: it was never read while AWX answered\. It will load here when AWX answers again\.$/;
let sim: AwxSim;
let serve: ServeProcess | undefined;
let simStopped = false;
let hung: net.Server | undefined;
const held = new Set<net.Socket>();
let tmp: string;

/** Stops the hanging port: its held connections are cut first (close waits for them otherwise). */
async function stopHung(): Promise<void> {
  for (const s of held) s.destroy();
  held.clear();
  await new Promise((r) => (hung ? hung.close(r) : r(undefined)));
  hung = undefined;
}

test.afterAll(async () => {
  await serve?.stop();
  if (sim && !simStopped) await sim.stop();
  await stopHung();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

test('a finished job whose log was never read: offline it says so at once, with its last known status', async ({ page, browser }) => {
  test.setTimeout(150_000);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-e2e-nolog-'));
  mkdirSync(path.join(tmp, 'data'));
  sim = await startAwxSim({ wsMode: 'faithful', seed: 29 });
  const port = Number(new URL(sim.url).port);
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(
    config,
    `name: No log e2e\nconnections:\n  - id: ${CONNECTION}\n    kind: awx\n    name: AWX (no log e2e)\n    url: ${sim.url}\n    auth: {type: bearer, token: {secret: {env: TOC_E2E_NOLOG_TOKEN}}}\n`,
  );
  const token = sim.token;
  const startServe = () =>
    startServeProcess({
      config,
      dataDir: path.join(tmp, 'data'),
      env: { TOC_E2E_NOLOG_TOKEN: token, TOC_OFFLINE_SYNC: 'off', DBUS_SESSION_BUS_ADDRESS: undefined },
    });
  serve = await startServe();

  const r = await fetch(`${sim.url}/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/launch/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(r.status).toBe(201);
  const jobId = ((await r.json()) as { job: number }).job;
  let status = '';
  await expect
    .poll(
      async () => {
        const j = await fetch(`${sim.url}/api/v2/jobs/${jobId}/`, { headers: { Authorization: `Bearer ${sim.token}` } });
        status = ((await j.json()) as { status: string }).status;
        return status;
      },
      { timeout: 90_000 },
    )
    .toMatch(/^(successful|failed)$/);

  // The job list is read while AWX answers (so the copy has the job), the job itself is never opened.
  const errors = errorsOf(page);
  await page.goto(`${serve.url}#/jobs`);
  await expect(page.getByText(`#${jobId}`, { exact: false }).first()).toBeVisible({ timeout: 30_000 });
  await page.close();
  await serve.stop();
  await sim.stop();
  simStopped = true;

  // AWX hangs: its port accepts connections and never answers.
  hung = net.createServer((socket) => {
    held.add(socket);
    socket.on('close', () => held.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    hung?.once('error', reject);
    hung?.listen(port, '127.0.0.1', () => resolve());
  });
  serve = await startServe();
  const offline = await browser.newPage();
  const offlineErrors = errorsOf(offline);
  await offline.goto(`${serve.url}#/jobs/${CONNECTION}/${jobId}`);
  const t0 = Date.now();
  const empty = offline.getByTestId('job-log-empty');
  await expect(empty).toHaveAttribute('data-state', 'not-in-copy', { timeout: 10_000 });
  // The offline budget (2.5 s) and a page's margin — not the HTTP client's 15 s timeout and its retries.
  expect(Date.now() - t0).toBeLessThan(9_000);
  await expect(empty).toHaveText(NOTE);
  await expect(offline.getByTestId('job-status')).toHaveText(status);
  const note = offline.getByTestId('job-offline');
  await expect(note).toContainText(/Offline copy, read (just now|\d+ (s|seconds?|min|minutes?) ago)/);
  // The connection's name says it is AWX: named once ("AWX (no log e2e) did not answer", not "AWX (AWX (…))").
  await expect(note).toContainText('— AWX (no log e2e) did not answer within 2.5 s.');
  await expect(offline.getByTestId('job-detail')).not.toContainText('Waiting for output');
  await offline.screenshot({ path: path.resolve('test-results/e2e/job-log/not-in-copy.png') });
  // Still so after the follower's own retries would have given up (it is retried in the background).
  await offline.waitForTimeout(8_000);
  await expect(empty).toHaveAttribute('data-state', 'not-in-copy');
  await expect(offline.getByTestId('job-log-error')).toHaveCount(0);
  await offline.close();

  // AWX refuses: the same, with its own words.
  await stopHung();
  const refused = await browser.newPage();
  const refusedErrors = errorsOf(refused);
  await refused.goto(`${serve.url}#/jobs/${CONNECTION}/${jobId}`);
  await expect(refused.getByTestId('job-log-empty')).toHaveText(NOTE, { timeout: 10_000 });
  await expect(refused.getByTestId('job-offline')).toContainText('connection refused');
  await expect(refused.getByTestId('job-status')).toHaveText(status);
  expect([...errors, ...offlineErrors, ...refusedErrors]).toEqual([]);
});
