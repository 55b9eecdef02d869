import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

// The SLO views in Chromium through `toc serve`, against the demo Prometheus that test/e2e/setup-slo.ts starts
// (history ending now, SLOs in every policy tier, ALERTS history, live burn-rate alerts with runbook links).
// Screenshots of the fleet and a detail in both themes go to test-results/slo/.

const SHOTS = 'test-results/slo';
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

async function setTheme(page: Page, theme: 'dark' | 'light'): Promise<void> {
  await page.goto(url('#/settings'));
  await page.getByTestId(`settings-theme-${theme}`).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** The app scrolls inside its main pane: a tall window shows the whole view in one picture. */
async function shoot(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 1440, height: 2100 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
  if (before) await page.setViewportSize(before);
}

async function openFleet(page: Page): Promise<void> {
  await page.goto(url('#/slos'));
  await expect(page.getByTestId('slo-tile')).toHaveCount(10, { timeout: 30_000 });
}

test.afterAll(async ({ browser }) => {
  // Leave the shared serve's settings as the other specs expect them.
  const page = await browser.newPage();
  await setTheme(page, 'dark');
  await page.close();
});

test('the fleet shows every SLO worst first, with every policy tier, sparklines and data ages', async ({ page }) => {
  const errors = consoleErrors(page);
  await openFleet(page);
  const tiles = page.getByTestId('slo-tile');
  const ids = await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-slo-id')));
  expect(ids[0]).toBe('notifications-delivery');
  expect(ids.slice(-3).sort()).toEqual(['login-availability', 'storefront-availability', 'storefront-monthly']);
  const policies = new Set(await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-policy'))));
  expect([...policies].sort()).toEqual(['caution', 'emergency', 'no-data', 'normal', 'restricted']);
  for (const [tier, n] of [
    ['emergency', 2],
    ['restricted', 2],
    ['caution', 2],
    ['normal', 3],
    ['no-data', 1],
  ] as const) {
    await expect(page.getByTestId(`slo-tier-${tier}`)).toContainText(String(n));
  }

  const notifications = page.locator('[data-testid="slo-tile"][data-slo-id="notifications-delivery"]');
  await expect(notifications.getByTestId('slo-policy-badge')).toContainText('Emergency');
  await expect(notifications.getByTestId('slo-alert-badge').first()).toContainText('page');
  await expect(notifications.getByTestId('slo-burn-1h')).toContainText('×');
  const ghost = page.locator('[data-testid="slo-tile"][data-slo-id="recommendations-availability"]');
  await expect(ghost.getByTestId('slo-budget')).toHaveText('—');
  await expect(ghost.getByTestId('slo-policy-badge')).toContainText('No data');

  const storefront = page.locator('[data-testid="slo-tile"][data-slo-id="storefront-availability"]');
  await expect(storefront.getByTestId('slo-budget')).toHaveText(/^(8\d|9\d)\.\d %$/);
  const points = Number(await storefront.getByTestId('slo-sparkline').getAttribute('data-points'));
  expect(points).toBeGreaterThan(20);
  expect(points).toBeLessThanOrEqual(60);
  await expect(storefront.getByTestId('slo-age')).toContainText(/ago|now/);
  await expect(page.getByTestId('slo-query-count')).toContainText(/^\d queries/);
  await expect(page.getByTestId('slo-warnings')).toHaveCount(0);

  await shoot(page, 'fleet-dark');
  expect(errors.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  expect(errors.filter((m) => m.startsWith('pageerror'))).toEqual([]);
});

test('search, label filters, tier filters and grouping by service narrow the fleet', async ({ page }) => {
  await openFleet(page);
  await page.getByTestId('slo-search').fill('payments');
  await expect(page.getByTestId('slo-tile')).toHaveCount(1);
  await page.getByTestId('slo-search').fill('');
  await page.getByTestId('slo-label-filter').selectOption('team=shop');
  await expect(page.getByTestId('slo-tile')).toHaveCount(2);
  await expect(page.getByTestId('slo-facet-chip')).toHaveText(/team=shop/);
  await page.getByTestId('slo-facet-chip').click();
  await page.getByTestId('slo-tier-normal').click();
  await expect(page.getByTestId('slo-tile')).toHaveCount(3);
  await page.getByTestId('slo-tier-normal').click();
  await page.getByTestId('slo-group-by-service').check();
  const groups = await page.getByTestId('slo-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
  expect(groups[0]).toBe('notifications');
  expect(groups).toContain('storefront');
  await expect(page.locator('[data-group="storefront"] [data-testid="slo-tile"]')).toHaveCount(2);
});

test('a detail view charts the budget burn-down, SLI, rates, alert timeline and burn-rate table', async ({ page }) => {
  const errors = consoleErrors(page);
  await openFleet(page);
  await page.locator('[data-testid="slo-tile"][data-slo-id="notifications-delivery"]').getByTestId('slo-tile-link').click();
  await expect(page).toHaveURL(/#\/slos\/detail\/notifications-delivery$/);
  const budget = page.getByTestId('slo-chart-budget');
  await expect(budget.locator('.recharts-line-curve').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('slo-detail-policy')).toContainText('Emergency');
  const width = await page.getByTestId('slo-detail').evaluate((e) => e.clientWidth);
  for (const id of ['slo-chart-budget', 'slo-chart-sli', 'slo-chart-requests', 'slo-chart-errors']) {
    const n = Number(await page.getByTestId(id).getAttribute('data-points'));
    expect(n, id).toBeGreaterThan(50);
    expect(n, id).toBeLessThanOrEqual(width);
  }
  const rows = page.getByTestId('slo-burn-row');
  await expect(rows).toHaveCount(4);
  await expect(page.locator('[data-testid="slo-burn-row"][data-long="1h"]')).toHaveAttribute('data-firing', 'true');
  await expect(page.locator('[data-testid="slo-burn-row"][data-long="1h"]')).toContainText('14.4×');
  const spans = page.getByTestId('slo-alert-span');
  expect(await spans.count()).toBeGreaterThanOrEqual(2);
  await expect(spans.first()).toHaveAttribute('data-state', 'firing');
  await shoot(page, 'detail-dark');

  // Drag-to-zoom: a drag across the SLI chart's middle narrows every chart to the span dragged over.
  const plot = page.getByTestId('slo-chart-sli-plot');
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  if (!box) throw new Error('no SLI chart');
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('slo-range-zoomed')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('slo-chart-sli').locator('.recharts-line-curve').first()).toBeVisible({ timeout: 30_000 });
  // The range picker: the last hour, then the whole window again.
  await page.getByTestId('slo-range-1h').click();
  await expect(page.getByTestId('slo-range-1h')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('slo-range-zoomed')).toHaveCount(0);
  await page.getByTestId('slo-range-window').click();
  await expect(budget.locator('.recharts-line-curve').first()).toBeVisible({ timeout: 30_000 });

  // A past incident: the alert timeline shows a closed page twelve days ago.
  await page.goto(url('#/slos/detail/checkout-availability'));
  await expect(page.getByTestId('slo-alert-span')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('slo-detail-policy')).toContainText('Caution');
  expect(errors.filter((m) => /Content Security Policy|Refused to|pageerror/i.test(m))).toEqual([]);
});

test('firing Prometheus alerts show labels, annotations and their runbook link', async ({ page, context }) => {
  await page.goto(url('#/slos/alerts'));
  const rows = page.getByTestId('prom-alert-row');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  const page1h = rows.filter({ hasText: 'long=1h' });
  await expect(page1h).toContainText('Notifications burn their 30-day error budget over 14.4 times too fast');
  await expect(page1h).toContainText('slo=notifications-delivery');
  const link = page1h.getByTestId('runbook-link');
  await expect(link).toHaveAttribute('href', 'https://runbooks.example.com/notifications/error-budget-burn');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(page1h.getByTestId('prom-alert-slo')).toHaveAttribute('href', '#/slos/detail/notifications-delivery');
  // Under `toc serve` the link is an ordinary link: the browser opens it in a new tab (not followed here).
  await context.route('https://runbooks.example.com/**', (r) => r.fulfill({ status: 200, body: 'runbook' }));
  const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await expect(popup).toHaveURL('https://runbooks.example.com/notifications/error-budget-burn');
  await popup.close();
});

test('both themes: the fleet and a detail in light', async ({ page }) => {
  await setTheme(page, 'light');
  await openFleet(page);
  await expect(page.getByTestId('slo-sparkline').first()).toBeVisible();
  await shoot(page, 'fleet-light');
  await page.goto(url('#/slos/detail/payments-availability'));
  await expect(page.getByTestId('slo-chart-budget').locator('.recharts-line-curve').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-testid="slo-burn-row"][data-long="3d"]')).toHaveAttribute('data-firing', 'true');
  await shoot(page, 'detail-light');
  // Lines take the theme's colours (CSS variables), not recharts' default blue.
  const stroke = await page
    .getByTestId('slo-chart-budget')
    .locator('.line-actual .recharts-line-curve')
    .evaluate((e) => getComputedStyle(e).stroke);
  const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
  expect(stroke).not.toBe('rgb(49, 130, 189)');
  expect(accent).toBe('#0072b2');
  expect(stroke).toBe('rgb(0, 114, 178)');
  await setTheme(page, 'dark');
});
