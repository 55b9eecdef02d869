import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { scanForSecrets } from '../helpers/secret-scan';

const url = (): string => {
  const u = process.env.TOC_E2E_URL;
  if (!u) throw new Error('TOC_E2E_URL is not set: run through playwright.config.ts (global setup)');
  return u;
};

/** Every console message and every WebSocket frame the page receives, for leak and CSP checks. */
function record(page: Page): { console: string[]; frames: string[] } {
  const r = { console: [] as string[], frames: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') r.console.push(m.text());
  });
  page.on('pageerror', (e) => r.console.push(`pageerror: ${e.message}`));
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => r.frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString())),
  );
  return r;
}

test('the shell opens with every view reachable and no CSP violation', async ({ page }) => {
  const rec = record(page);
  await page.goto(url());
  await expect(page.getByTestId('app')).toBeVisible();
  await expect(page.getByTestId('header-workspace')).toContainText('E2E workspace');
  // the token leaves the address bar once read
  expect(page.url()).not.toContain('token=');
  for (const view of ['slos', 'incidents', 'runbooks', 'jobs', 'activity', 'settings']) {
    await page.getByTestId(`nav-${view}`).click();
    await expect(page.getByTestId(`view-${view}`)).toBeVisible();
    await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page');
  }
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcut-help')).toBeVisible();
  await page.keyboard.press('Escape');
  expect(rec.console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  expect(rec.console.filter((m) => m.startsWith('pageerror'))).toEqual([]);
});

test('the status bar shows each connection with its health and the system’s own words', async ({ page }) => {
  await page.goto(url());
  const prom = page.getByTestId('status-conn-prom-e2e');
  await expect(prom).toHaveAttribute('data-state', 'ok', { timeout: 20_000 });
  await expect(page.getByTestId('status-conn-prom-e2e-age')).toContainText(/ago|now/);
  const snow = page.getByTestId('status-conn-snow-sso');
  await expect(snow).toHaveAttribute('data-state', 'error', { timeout: 20_000 });
  await snow.hover();
  await expect(snow).toHaveAttribute('title', /login page.*Corporate Single Sign-On/);
});

test('without a keychain the console says so, and keeps secrets for the session only', async ({ page }) => {
  await page.goto(url());
  const banner = page.getByTestId('banner-secrets');
  await expect(banner).toBeVisible();
  await expect(page.getByTestId('banner-secrets-reason')).toContainText(/D-Bus|keychain|secrets/i);
  await expect(page.getByTestId('banner-secrets-remedy')).not.toBeEmpty();
  await expect(page.getByTestId('status-secrets')).toContainText(/session|memory/i);
});

test('a connection added in the UI is tested with its stored secret, audited, and its secret never comes back', async ({ page }) => {
  const rec = record(page);
  const token = 'tok-e2e-Zq8vW3mK9pL2xR7';
  await page.goto(`${url()}#/settings/connections`);
  await expect(page.getByTestId('connections-list')).toBeVisible();
  // provisioned entries are read-only
  await expect(page.getByTestId('connection-provisioned-prom-e2e')).toBeVisible();
  await expect(page.getByTestId('connection-remove-prom-e2e')).toHaveCount(0);

  await page.getByTestId('connection-add').click();
  const form = page.getByTestId('connection-form');
  await form.getByTestId('conn-field-kind').selectOption('prometheus');
  await form.getByTestId('conn-field-id').fill('prom-ui');
  await form.getByTestId('conn-field-name').fill('Prometheus added in the UI');
  // a bad URL is refused next to the field and nothing is sent
  await form.getByTestId('conn-field-url').fill('ftp://nope');
  await form.getByTestId('conn-field-authType').selectOption('bearer');
  await form.getByTestId('conn-field-secret.token').fill(token);
  await form.getByTestId('conn-save').click();
  await expect(form.getByTestId('conn-error-url')).toContainText('http');
  await expect(form.getByTestId('conn-field-secret.token')).toHaveValue(token);

  const promUrl = process.env.TOC_E2E_FIXTURE_URL ?? '';
  await form.getByTestId('conn-field-url').fill(promUrl);
  await form.getByTestId('conn-save').click();
  await expect(page.getByTestId('conn-flash')).toContainText('Added “Prometheus added in the UI”');
  await expect(page.getByTestId('conn-secret-token-presence')).toContainText('stored');
  await expect(page.getByTestId('conn-field-secret.token')).toHaveValue('');

  await page.getByTestId('connection-test-prom-ui').first().click();
  await expect(page.getByTestId('probe-result')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('probe-version')).toContainText('2.42.0');

  await page.getByTestId('nav-activity').click();
  await expect(page.getByTestId('activity-table')).toContainText('connections.save');
  await expect(page.getByTestId('activity-table')).toContainText('prom-ui');

  // the secret never reached the renderer: not in any frame main sent, not in the page, not in the data folder
  expect(rec.frames.length).toBeGreaterThan(5);
  expect(rec.frames.filter((f) => f.includes(token))).toEqual([]);
  expect(await page.content()).not.toContain(token);
  const dataDir = process.env.TOC_E2E_DATA ?? '';
  expect(dataDir).not.toBe('');
  expect(await scanForSecrets(dataDir, [token, 'e2e-snow-pass-0001'])).toEqual([]);

  await page.goto(`${url()}#/settings/connections`);
  await page.getByTestId('connection-remove-prom-ui').click();
  await page.getByTestId('connection-remove-confirm').click();
  await expect(page.getByTestId('connection-row-prom-ui')).toHaveCount(0);
});

test('the light theme applies and persists', async ({ page }) => {
  await page.goto(`${url()}#/settings`);
  await page.getByTestId('settings-theme-light').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: 'test-results/screens/shell-light.png', fullPage: true });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('settings-theme-dark').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: 'test-results/screens/shell-dark.png', fullPage: true });
});
