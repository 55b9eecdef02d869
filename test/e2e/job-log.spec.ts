import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { eventLines, stripAnsi } from '@shared/jobs/jobs';
import { startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import type { AwxSim } from '../sim/awx';
import { startServeProcess } from './serve-process';
import type { ServeProcess } from './serve-process';

// The job log in Chromium through its own `toc serve` and AWX simulator (so this spec can take AWX down):
// a job whose callback receiver never saves some events shows the gap marker on the line where they belong, the
// footer names them, and the job still shows its status; a finished job followed once opens again, with AWX
// gone, from the offline copy — every line, how old the copy is and the job's last known status.
// Screenshots of both go to test-results/e2e/job-log/.

const CONNECTION = 'e2e-joblog-awx';
let sim: AwxSim;
let serve: ServeProcess;
let tmp: string;
let simStopped = false;
let startServe: () => Promise<ServeProcess>;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-e2e-joblog-'));
  mkdirSync(path.join(tmp, 'data'));
  // AWX's default socket (throttled, lossy); REST is what names the events it never saved.
  sim = await startAwxSim({ wsMode: 'lossy', seed: 23 });
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(
    config,
    `name: Job log e2e\nconnections:\n  - id: ${CONNECTION}\n    kind: awx\n    name: AWX (job log e2e)\n    url: ${sim.url}\n    auth: {type: bearer, token: {secret: {env: TOC_E2E_JOBLOG_TOKEN}}}\n`,
  );
  const token = sim.token;
  startServe = () =>
    startServeProcess({
      config,
      dataDir: path.join(tmp, 'data'),
      env: { TOC_E2E_JOBLOG_TOKEN: token, DBUS_SESSION_BUS_ADDRESS: undefined },
    });
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
  if (sim && !simStopped) await sim.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

async function launch(template: number): Promise<number> {
  const r = await fetch(`${sim.url}/api/v2/job_templates/${template}/launch/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(r.status, await r.clone().text()).toBe(201);
  return ((await r.json()) as { job: number }).job;
}

async function txt(jobId: number): Promise<string[]> {
  const r = await fetch(`${sim.url}/api/v2/jobs/${jobId}/stdout/?format=txt_download`, {
    headers: { Authorization: `Bearer ${sim.token}` },
  });
  const text = await r.text();
  return text.split('\n').slice(0, -1);
}

/** The rows on screen of the log, as the user reads them (number → text). */
async function rowsOnScreen(page: Page): Promise<Map<number, string>> {
  const rows = await page
    .getByTestId('job-log-line')
    .evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-line')), e.querySelector('.log-text')?.textContent ?? ''] as const));
  return new Map(rows);
}

test('events AWX never saved: the gap is marked where they belong, named in the footer, with the job status', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = errorsOf(page);
  // Counters 5–6 of the disk cleanup job are task output in the middle of the play; the receiver reports them
  // processed but never saves them, as AWX does when a callback worker dies.
  sim.setLostCounters([5, 6]);
  try {
    const jobId = await launch(TEMPLATE_IDS.diskCleanup);
    await page.goto(`${serve.url}#/jobs/${CONNECTION}/${jobId}`);
    const end = page.getByTestId('job-end');
    await expect(end).toHaveAttribute('data-complete', 'false', { timeout: 90_000 });
    await expect(end).toContainText('never saved events 5–6');
    await expect(page.getByTestId('job-status')).toHaveText('successful');
    await expect(page.getByTestId('job-detail')).toHaveAttribute('data-status', 'successful');

    // Where the gap is, from what AWX saved: after the lines of the events before counter 5.
    const saved = sim.events(jobId).sort((a, b) => a.counter - b.counter);
    expect(saved.some((e) => e.counter === 5 || e.counter === 6)).toBe(false);
    const before = saved.filter((e) => e.counter < 5).flatMap((e) => eventLines(e.stdout));
    const after = saved.filter((e) => e.counter > 6).flatMap((e) => eventLines(e.stdout));
    expect(after.length).toBeGreaterThan(0);

    const log = page.getByTestId('job-log');
    await expect(log).toHaveAttribute('data-lines', String(before.length + after.length));
    // The log is AWX's own text (which lacks the lost lines too), line for line.
    expect(await txt(jobId)).toEqual([...before, ...after].map((l) => stripAnsi(l)));

    await expect(page.getByTestId('job-log-gaps')).toContainText(/One gap: AWX never saved events 5–6 \(\d+ lines?\)/);
    await page.getByTestId('job-log-next-gap').click();
    const mark = page.getByTestId('job-log-gap');
    await expect(mark).toHaveCount(1);
    await expect(mark).toHaveText(/⚠ missing above: AWX never saved events 5–6 \(\d+ lines?\)/);
    const row = page.locator('[data-testid=job-log-line]', { has: mark });
    await expect(row).toHaveAttribute('data-line', String(before.length + 1));
    await expect(row.locator('.log-text')).toHaveText(stripAnsi(after[0] ?? ''));
    // The line above the mark is the last one saved before the gap, and it carries no mark.
    const rows = await rowsOnScreen(page);
    expect(rows.get(before.length)).toBe(stripAnsi(before[before.length - 1] ?? ''));
    await expect(page.locator(`[data-testid=job-log-line][data-line="${before.length}"] [data-testid=job-log-gap]`)).toHaveCount(0);
    await page.screenshot({ path: path.resolve('test-results/e2e/job-log/gap.png') });
    expect(errors).toEqual([]);
  } finally {
    sim.setLostCounters([]);
  }
});

test('a finished job followed once opens with every backend down: the whole log from the offline copy, its age and status', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const errors = errorsOf(page);
  const jobId = await launch(TEMPLATE_IDS.diskCleanup);
  await page.goto(`${serve.url}#/jobs/${CONNECTION}/${jobId}`);
  await expect(page.getByTestId('job-end')).toHaveAttribute('data-complete', 'true', { timeout: 90_000 });
  const status = await page.getByTestId('job-detail').getAttribute('data-status');
  expect(status === 'successful' || status === 'failed').toBe(true);
  const lines = await txt(jobId);
  await expect(page.getByTestId('job-log')).toHaveAttribute('data-lines', String(lines.length));
  await page.close();

  // The next morning, on a train: the console starts again (so nothing is left in memory of the follow) and every
  // backend of it is down — AWX is its only connection.
  await serve.stop();
  await sim.stop();
  simStopped = true;
  serve = await startServe();
  const offline = await browser.newPage();
  const offlineErrors = errorsOf(offline);
  await offline.goto(`${serve.url}#/jobs/${CONNECTION}/${jobId}`);
  const log = offline.getByTestId('job-log');
  await expect(log).toHaveAttribute('data-complete', 'true', { timeout: 30_000 });
  await expect(log).toHaveAttribute('data-lines', String(lines.length));
  // Its age and that it is a copy, and the status it last had — not "unknown".
  const note = offline.getByTestId('job-offline');
  await expect(note).toBeVisible();
  await expect(note).toContainText(/Offline copy, read (just now|\d+ (s|seconds?|min|minutes?) ago)/);
  await expect(offline.getByTestId('job-status')).toHaveText(status ?? '');
  await expect(offline.getByTestId('job-detail')).toHaveAttribute('data-status', status ?? '');
  // Every line, as AWX's download had it: search a few and read them on screen.
  for (const n of [1, Math.ceil(lines.length / 2), lines.length]) {
    const want = lines[n - 1] ?? '';
    if (want.trim() === '') continue;
    await offline.getByTestId('job-search').fill(want.trim());
    await expect(offline.getByTestId('job-search-count')).toHaveText(/^1 of \d+$/);
    const current = offline.locator('[data-testid=job-log-line].log-current');
    await expect(current.locator('.log-text')).toContainText(want.trim());
  }
  await offline.getByTestId('job-search').fill('');
  await offline.screenshot({ path: path.resolve('test-results/e2e/job-log/offline.png') });
  const shown = await rowsOnScreen(offline);
  for (const [n, text] of shown) expect(text).toBe(lines[n - 1]);
  expect([...errors, ...offlineErrors]).toEqual([]);
});
