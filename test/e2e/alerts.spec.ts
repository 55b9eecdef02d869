import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

// The Alerts view in Chromium through `toc serve`, against the real Alertmanager and the AWX simulator that
// test/e2e/setup-alertmanager.ts starts: from an alert to a silence (pre-filled, previewed, refused in
// Alertmanager's words, created, extended, expired), and from an alert to a runbook launch with a job-scoped
// silence, the alert returning when the job ends. Screenshots go to test-results/alerts/.

const SHOTS = 'test-results/alerts';
mkdirSync(SHOTS, { recursive: true });

const url = (hash = ''): string => {
  const u = process.env.TOC_E2E_URL;
  if (!u) throw new Error('TOC_E2E_URL is not set: run through playwright.config.ts (global setup)');
  return `${u}${hash}`;
};

function consoleErrors(page: Page): string[] {
  const out: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') out.push(m.text());
  });
  page.on('pageerror', (e) => out.push(`pageerror: ${e.message}`));
  return out;
}

const alertRow = (page: Page, instance: string): Locator => page.locator(`[data-testid="alert-row"][data-instance="${instance}"]`);

interface AmSilence {
  id: string;
  status: { state: string };
}

async function amSilence(id: string): Promise<AmSilence> {
  const base = process.env.TOC_E2E_ALERTMANAGER_URL;
  if (!base) throw new Error('TOC_E2E_ALERTMANAGER_URL is not set');
  return (await (await fetch(`${base}/api/v2/silence/${id}`)).json()) as AmSilence;
}

test('from an alert to a silence: pre-filled from its labels, previewed, refused in Alertmanager’s words, created, extended, expired', async ({
  page,
}) => {
  const errors = consoleErrors(page);
  await page.goto(url('#/alerts'));
  const row = alertRow(page, 'e2e-db-1:9100');
  await expect(row.getByTestId('alert-state')).toHaveText('firing');
  const group = page.getByTestId('alert-group').filter({ has: row });
  await expect(group.getByTestId('alert-group-receiver')).toHaveText('→ dba');
  await expect(group.getByTestId('alert-row')).toHaveCount(2);
  await expect(row.getByTestId('alert-annotation-summary')).toHaveText('Disk 96% full on e2e-db-1');
  await expect(row.getByTestId('alert-link-runbook')).toHaveAttribute('href', 'https://wiki.example/disk-full');
  await expect(row.getByTestId('alert-link-console-runbook')).toHaveAttribute('href', '#/runbooks/e2e-disk-cleanup');
  const dashboard = new URL((await row.getByTestId('alert-link-dashboard').getAttribute('href')) ?? '');
  expect(dashboard.searchParams.get('var-instance')).toBe('e2e-db-1:9100');
  expect(dashboard.searchParams.get('orgId')).toBe('1');
  await page.screenshot({ path: `${SHOTS}/groups.png`, fullPage: true });

  await row.getByTestId('alert-silence').click();
  const form = page.getByTestId('silence-form');
  await expect(form.getByTestId('matcher-name')).toHaveCount(5);
  const names = await form.getByTestId('matcher-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(names).toEqual(['alertname', 'instance', 'service', 'severity', 'team']);
  await expect(form.getByTestId('silence-preview-count')).toHaveText(/^1 of \d+ current alerts/);

  // Widen the instance matcher to a regex — with a typo Alertmanager will refuse.
  const instance = form.getByTestId('matcher-row').nth(1);
  await instance.getByTestId('matcher-op').selectOption('=~');
  await instance.getByTestId('matcher-value').fill('e2e-db-(');
  await form.getByTestId('silence-creator').fill('e2e-engineer');
  await form.getByTestId('silence-comment-input').fill('disk swap on the e2e db hosts, CHG0040001');
  await form.getByTestId('silence-submit').click();
  const refusal = form.getByTestId('silence-error');
  await expect(refusal.getByTestId('error-remote-message')).toHaveText(
    'silence invalid: invalid label matcher 1: invalid regular expression "e2e-db-(": error parsing regexp: missing closing ): `e2e-db-(`',
  );
  await expect(form.getByTestId('silence-comment-input')).toHaveValue('disk swap on the e2e db hosts, CHG0040001');
  await expect(instance.getByTestId('matcher-value')).toHaveValue('e2e-db-(');

  await instance.getByTestId('matcher-value').fill('e2e-db-.*');
  await expect(form.getByTestId('silence-preview-count')).toHaveText(/^2 of \d+ current alerts/);
  await form.getByTestId('silence-submit').click();
  await expect(page).toHaveURL(/#\/alerts\/silences$/);
  await expect(page.getByTestId('alerts-flash')).toContainText('created');
  const silenceRow = page.getByTestId('silences-active').getByTestId('silence-row').filter({ hasText: 'CHG0040001' });
  await expect(silenceRow.getByTestId('silence-count')).toContainText('silences 2 alerts');
  const id = (await silenceRow.getAttribute('data-silence-id')) ?? '';
  expect((await amSilence(id)).status.state).toBe('active');

  await page.getByTestId('alerts-tab-groups').click();
  await expect(alertRow(page, 'e2e-db-1:9100').getByTestId('alert-state')).toHaveText('silenced');
  await expect(alertRow(page, 'e2e-db-2:9100').getByTestId('alert-state')).toHaveText('silenced');
  await expect(alertRow(page, 'e2e-web-1:9100').getByTestId('alert-state')).toHaveText('firing');

  await page.getByTestId('alerts-tab-silences').click();
  const before = await silenceRow.getByTestId('silence-ends').textContent();
  await silenceRow.getByTestId('silence-extend-by').selectOption('4h');
  await silenceRow.getByTestId('silence-extend').click();
  await expect(page.getByTestId('alerts-flash')).toContainText(`Silence ${id} now ends`);
  await expect(silenceRow.getByTestId('silence-ends')).not.toHaveText(before ?? '');
  await page.screenshot({ path: `${SHOTS}/silences.png`, fullPage: true });

  await silenceRow.getByTestId('silence-expire').click();
  await silenceRow.getByTestId('silence-expire-confirm').click();
  await expect(page.getByTestId('alerts-flash')).toContainText(`Silence ${id} expired`);
  expect((await amSilence(id)).status.state).toBe('expired');
  await page.getByTestId('alerts-tab-groups').click();
  await expect(alertRow(page, 'e2e-db-1:9100').getByTestId('alert-state')).toHaveText('firing');
  expect(errors).toEqual([]);
});

test('from an alert to a runbook launch with a job-scoped silence; the alert returns when the job ends', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = consoleErrors(page);
  await page.goto(url('#/alerts'));
  const row = alertRow(page, 'e2e-db-1:9100');
  await expect(row.getByTestId('alert-state')).toHaveText('firing');
  await row.getByTestId('alert-run-runbook').click();
  const panel = row.getByTestId('run-panel');
  await expect(panel.getByTestId('run-silence')).toBeChecked();
  await expect(panel.getByTestId('run-silence-matchers')).toHaveText(/instance=~"e2e-db-1\(:\[0-9\]\+\)\?"/);
  await expect(panel.getByTestId('run-silence-preview')).toHaveText('covers 1 current alert');
  await panel.getByTestId('run-launch').click();
  await expect(panel.getByTestId('run-launched')).toContainText('AWX job #');

  // Silenced while the job runs: only this target.
  await page.getByTestId('alerts-refresh').click();
  await expect(alertRow(page, 'e2e-db-1:9100').getByTestId('alert-state')).toHaveText('silenced');
  await expect(alertRow(page, 'e2e-db-2:9100').getByTestId('alert-state')).toHaveText('firing');

  // The job ends: the console expires the silence and the alert fires again, without a manual refresh.
  await expect(panel.getByTestId('run-silence-ended')).toContainText('The job ended (successful)', { timeout: 120_000 });
  await expect(alertRow(page, 'e2e-db-1:9100').getByTestId('alert-state')).toHaveText('firing');

  await page.getByTestId('alerts-tab-silences').click();
  const held = page.getByTestId('job-silence-row').first();
  await expect(held.getByTestId('job-silence-state')).toHaveText('expired: job successful');
  const silenceId = (await held.getAttribute('data-silence-id')) ?? '';
  expect((await amSilence(silenceId)).status.state).toBe('expired');
  await expect(page.getByTestId('silences-expired').locator(`[data-silence-id="${silenceId}"]`)).toBeVisible();
  await expect(page.getByTestId('silences-active').locator(`[data-silence-id="${silenceId}"]`)).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/job-silence.png`, fullPage: true });
  expect(errors).toEqual([]);
});
