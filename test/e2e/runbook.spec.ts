import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

// The runbook loop in Chromium through `toc serve` (setup-awx.ts starts the AWX and ServiceNow simulators):
// an incident opened by a ServiceDown alert → the suggested production runbook, pre-filled from the incident →
// a launch that waits for the typed target → the job log streaming to its end → both work notes in the
// incident's journal → the audit entries in Activity.

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through playwright.config.ts (global setup)`);
  return v;
};

function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

async function journal(sysId: string): Promise<string[]> {
  const auth = Buffer.from(`toc.e2e:${env('TOC_E2E_SNOW_AWX_PASSWORD')}`).toString('base64');
  const r = await fetch(
    `${env('TOC_E2E_SNOW_AWX_URL')}/api/now/table/sys_journal_field?sysparm_query=element_id=${sysId}^element=work_notes&sysparm_fields=value`,
    {
      headers: { Authorization: `Basic ${auth}`, Accept: 'application/json' },
    },
  );
  const body = (await r.json()) as { result: { value: string }[] };
  return body.result.map((x) => x.value);
}

test('runbooks are listed, searchable and rendered without raw HTML; links open in a new tab', async ({ page }) => {
  const errors = errorsOf(page);
  await page.goto(`${env('TOC_E2E_URL')}#/runbooks`);
  await expect(page.getByTestId('runbook-list')).toBeVisible();
  // The demo runbooks (other specs add runbook folders of their own to this workspace).
  for (const id of ['restart-service', 'disk-cleanup', 'collect-logs', 'escalation']) {
    await expect(page.locator(`[data-testid=runbook-item][data-id=${id}]`)).toBeVisible();
  }
  const all = await page.getByTestId('runbook-item').count();
  await page.getByTestId('runbook-search').fill('ServiceDown');
  await expect(page.getByTestId('runbook-item')).not.toHaveCount(all);
  await expect(page.getByTestId('runbook-item').first()).toHaveAttribute('data-id', 'restart-service');
  await expect(page.locator('[data-testid=runbook-item][data-id=escalation]')).toHaveCount(0);
  await page.getByTestId('runbook-search').fill('');
  await page.locator('[data-testid=runbook-item][data-id=collect-logs]').click();
  const body = page.getByTestId('runbook-body');
  await expect(body.locator('strong').first()).toHaveText('Collect logs');
  const link = body.locator('a[href="https://runbooks.example.com/escalation"]');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await page.locator('[data-testid=runbook-item][data-id=escalation]').click();
  await expect(page.getByTestId('runbook-procedure')).toBeVisible();
  await expect(page.getByTestId('runbook-launch-toggle')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('from an incident to a confirmed production launch: live log, work notes, audit', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = errorsOf(page);
  const sysId = env('TOC_E2E_AWX_INCIDENT');
  const number = env('TOC_E2E_AWX_INCIDENT_NUMBER');
  // In the incident queue, the incident's detail names the runbooks for its alert.
  await page.goto(`${env('TOC_E2E_URL')}#/incidents/${number}`);
  await page.getByTestId('incidents-connection').selectOption('e2e-snow-awx');
  await expect(page.getByTestId('incident-detail-loaded')).toHaveAttribute('data-sys-id', sysId, { timeout: 20_000 });
  await expect(page.getByTestId('incident-suggested-runbooks')).toContainText('Restart a failed service');
  await page.locator('[data-testid=incident-runbook-link][data-id=restart-service]').click();
  await expect(page).toHaveURL(new RegExp(`#/runbooks/incident/e2e-snow-awx/${sysId}/restart-service$`));

  await expect(page.getByTestId('incident-number')).toHaveText(number);
  // Both runbooks that name the alert or the CI are offered; the best match (alert + CI) is opened.
  await expect(page.getByTestId('suggestion')).toHaveCount(2);
  await expect(page.getByTestId('suggestion').first()).toHaveAttribute('data-id', 'restart-service');
  await expect(page.getByTestId('runbook')).toHaveAttribute('data-id', 'restart-service');
  await expect(page.getByTestId('suggestion-reasons')).toContainText('alert ServiceDown');
  const form = page.getByTestId('launch-form');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('launch-incident')).toContainText(number);
  // Pre-filled from the incident: the alert's host and the runbook's service.
  await expect(page.getByTestId('survey-target_host')).toHaveValue('web-01');
  await expect(page.getByTestId('survey-service_name')).toHaveValue('nginx');

  // Client-side validation first: an out-of-range answer is refused before anything is sent.
  await page.getByTestId('survey-health_check_retries').fill('42');
  await page.getByTestId('launch-confirm-input').fill('web-01');
  await page.getByTestId('launch-submit').click();
  await expect(page.getByTestId('survey-health_check_retries-error')).toHaveText('At most 10.');
  await expect(page.getByTestId('launch-invalid')).toBeVisible();
  await page.getByTestId('survey-health_check_retries').fill('3');

  // Production: the launch needs the target's name typed.
  await expect(page.getByTestId('launch-production-target')).toHaveText('web-01');
  await page.getByTestId('launch-confirm-input').fill('web-02');
  await expect(page.getByTestId('launch-submit')).toBeDisabled();
  await page.getByTestId('launch-confirm-input').fill('web-01');
  await expect(page.getByTestId('launch-submit')).toBeEnabled();
  await page.getByTestId('launch-submit').click();

  // The job page: the log streams to its end.
  const detail = page.getByTestId('job-detail');
  await expect(detail).toBeVisible({ timeout: 15_000 });
  const jobId = await detail.getAttribute('data-job');
  expect(Number(jobId)).toBeGreaterThan(0);
  await expect(page.getByTestId('launch-work-note')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('job-log-line').filter({ hasText: 'Restarting nginx on web-01' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('job-end')).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('job-status')).toContainText('successful');
  await expect(page.getByTestId('job-host-stats')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('job-log-line').filter({ hasText: 'PLAY RECAP' })).toBeVisible();
  // The log on screen is AWX's, line for line.
  const txt = await fetch(`${env('TOC_E2E_AWX_URL')}/api/v2/jobs/${jobId}/stdout/?format=txt`, {
    headers: { Authorization: `Bearer ${env('TOC_E2E_AWX_TOKEN')}` },
  }).then((r) => r.text());
  await expect(page.getByTestId('job-log')).toHaveAttribute('data-lines', String(txt.split('\n').length - 1));

  // Search: a match count, and next moves to it.
  await page.getByTestId('job-search').fill('nginx');
  await expect(page.getByTestId('job-search-count')).toContainText(/^1 of \d+$/);
  await page.getByTestId('job-search-next').click();
  await expect(page.getByTestId('job-search-count')).toContainText(/^2 of \d+$/);

  // Both work notes reached the incident's journal.
  await expect.poll(async () => (await journal(sysId)).length, { timeout: 20_000 }).toBe(2);
  const notes = await journal(sysId);
  expect(notes).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^Runbook "Restart a failed service" launched: AWX job #${jobId} \\(Restart service\\)\\.`)),
      expect.stringMatching(
        new RegExp(
          `^Runbook "Restart a failed service": AWX job #${jobId} \\(Restart service\\) finished successful\\. Failed hosts: none\\.`,
        ),
      ),
    ]),
  );

  // And the audit log says what happened, in Activity.
  await page.getByTestId('nav-activity').click();
  // Other specs launch "job 1" on their own AWX simulators: narrow to this launch's confirmation text.
  const launchRow = page
    .locator('[data-testid=activity-row]')
    .filter({ hasText: 'jobs.launch' })
    .filter({ hasText: `job ${jobId}` })
    .filter({ hasText: 'confirmed "web-01"' });
  await expect(launchRow).toHaveAttribute('data-outcome', 'ok');
  await expect(launchRow).toContainText(`production, confirmed "web-01"`);
  await expect(
    page.locator('[data-testid=activity-row]').filter({ hasText: 'incidents.work_note' }).filter({ hasText: number }),
  ).toHaveCount(2);

  // The jobs list shows it with its status and duration.
  await page.getByTestId('nav-jobs').click();
  // Job ids repeat across AWX connections (other specs run their own simulators): name the connection too.
  const row = page.locator(`[data-testid=jobs-row][data-connection="e2e-awx"][data-job="${jobId}"]`);
  await expect(row).toHaveAttribute('data-status', 'successful');
  await expect(row.getByTestId('jobs-row-duration')).toContainText(/\d+\.\d s/);
  expect(errors).toEqual([]);
});

test('a failed job from a template: failed-only filter, per-host results, follow toggle and End', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${env('TOC_E2E_URL')}#/runbooks/templates`);
  await page.locator('[data-testid=template-item]').filter({ hasText: 'Fail on one host' }).filter({ hasText: 'AWX (e2e)' }).click();
  await page.getByTestId('launch-submit').click();
  await expect(page.getByTestId('job-end')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(page.locator('[data-testid=job-host][data-host=web2]')).toHaveAttribute('data-failed', 'true');
  await expect(page.locator('[data-testid=job-host][data-host=web1]')).toHaveAttribute('data-failed', 'false');
  await page.getByTestId('job-filter-failed').check();
  await expect(page.getByTestId('job-log-line').filter({ hasText: 'fatal: [web2]' })).toBeVisible();
  await expect(page.getByTestId('job-log-line').filter({ hasText: 'ok: [web1]' })).toHaveCount(0);
  await page.getByTestId('job-filter-failed').uncheck();
  // Download: the whole output, as AWX's txt has it.
  const jobId = await page.getByTestId('job-detail').getAttribute('data-job');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('job-download').click()]);
  expect(download.suggestedFilename()).toBe(`job_${jobId}.txt`);
  const saved = await download.path();
  const txt = await fetch(`${env('TOC_E2E_AWX_URL')}/api/v2/jobs/${jobId}/stdout/?format=txt`, {
    headers: { Authorization: `Bearer ${env('TOC_E2E_AWX_TOKEN')}` },
  }).then((r) => r.text());
  expect(readFileSync(saved, 'utf8')).toBe(txt);
  await page.getByTestId('job-follow-toggle').click();
  await expect(page.getByTestId('job-follow-toggle')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('job-log-scroll').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('job-follow-toggle')).toHaveAttribute('aria-pressed', 'true');
});
