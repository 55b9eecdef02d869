import { expect, test } from '@playwright/test';
import { E2E_SNOW_CONNECTION, E2E_SNOW_ENV, E2E_SNOW_USER } from './setup-servicenow';

// The Insights view in Chromium through `toc serve`, against the e2e ServiceNow simulator: the last 90 days'
// opened count matches what the simulator's Table API says, a click lists the incidents behind it, and a
// listed incident links to the incident view.

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through playwright.config.ts (global setup)`);
  return v;
};

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

async function openedIn(from: string, to: string): Promise<string[]> {
  const u = new URL('/api/now/table/incident', env(E2E_SNOW_ENV.url));
  u.searchParams.set('sysparm_query', `opened_at>=${from} 00:00:00^opened_at<${to} 00:00:00`);
  u.searchParams.set('sysparm_fields', 'number');
  u.searchParams.set('sysparm_limit', '10000');
  const auth = Buffer.from(`${E2E_SNOW_USER}:${env(E2E_SNOW_ENV.password)}`).toString('base64');
  const r = await fetch(u, { headers: { Authorization: `Basic ${auth}`, Accept: 'application/json' } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { result: { number: string }[] }).result.map((x) => x.number);
}

test('the last 90 days: opened matches ServiceNow, a click lists the incidents, each links to its view', async ({ page }) => {
  await page.goto(`${env('TOC_E2E_URL')}#/insights`);
  await expect(page.getByRole('heading', { name: 'Insights', level: 1 })).toBeVisible();
  await page.getByTestId('insights-connection').selectOption(E2E_SNOW_CONNECTION);
  await page.getByTestId('insights-preset').selectOption('last-90');
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const from = day(today - 89 * 86_400_000);
  const to = day(today + 86_400_000);
  const report = page.getByTestId('insights-report');
  await expect(report).toHaveAttribute('data-from', from, { timeout: 30_000 });
  const expected = await openedIn(from, to);
  expect(expected.length).toBeGreaterThan(0);
  const tile = page.getByTestId('insights-tile-incidents.opened');
  await expect(tile.getByRole('button')).toHaveText(String(expected.length));
  await expect(tile).toContainText('opened_at is in');

  await tile.getByRole('button').click();
  const panel = page.getByTestId('insights-records');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('insights-record')).toHaveCount(Math.min(500, expected.length));
  const refs = await panel.getByTestId('insights-record').evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')));
  expect([...refs].sort()).toEqual([...expected].sort().slice(0, 500));
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // The charts rendered (recharts in the real bundle), and CSV export hands over a file.
  await expect(page.getByTestId('insights-priority-chart').locator('svg').first()).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('insights-csv').click();
  expect((await download).suggestedFilename()).toBe(`toc-report-${from}-${to}.csv`);

  await tile.getByRole('button').click();
  await panel.getByTestId('insights-record').first().getByRole('link').click();
  await expect(page).toHaveURL(/#\/incidents\/[0-9a-f]{32}$/);
});
