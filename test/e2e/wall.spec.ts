import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { methods } from '@shared/contract';
import { startWallStack } from './wall-stack';
import type { WallStack } from './wall-stack';
import type { ServeProcess } from './serve-process';

// Issue 6 in Chromium through `toc serve`: the NOC wall (pages at 1920×1080 and 3840×2160, rotation and
// pinning, read-only at the contract, a backend killed and restarted), the workstation (command palette,
// environments, desktop notifications) and the offline runbook viewer (every backend down after one sync).

const SHOTS = path.resolve(import.meta.dirname, '../../test-results/wall-screens');
mkdirSync(SHOTS, { recursive: true });

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through playwright.config.ts (global setup)`);
  return v;
};
/** The serve URL with its token, without the hash `toc serve --wall` adds. */
const baseOf = (url: string): string => url.replace(/#.*$/, '');

function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Height budgets of the banner area with the two long-lived notices of a wall PC offline without a keychain. */
const BANNERS_FOLDED_MAX_PX = 48;
const SCREENS = [
  { width: 1920, height: 1080, openMaxPx: 150 },
  { width: 1280, height: 720, openMaxPx: 210 },
];

/**
 * The offline-copy and keychain banners together, at a wall's screen and at a small window: open within the
 * screen's openMaxPx (a seventh of 1080 px, under a third of 720 px), folded ("Less": one shared row) within
 * BANNERS_FOLDED_MAX_PX at both, and still folded after a reload.
 * Leaves them open again and the viewport as it was.
 */
async function bannersStayCompact(page: Page): Promise<void> {
  const was = page.viewportSize();
  const both = [page.getByTestId('banner-offline-copy'), page.getByTestId('banner-secrets')];
  const height = (): Promise<number> => page.getByTestId('banners').evaluate((el) => el.getBoundingClientRect().height);
  const measure = async (folded: boolean): Promise<number[]> => {
    const out: number[] = [];
    for (const { width, height: h } of SCREENS) {
      await page.setViewportSize({ width, height: h });
      for (const b of both) await expect(b).toHaveAttribute('data-folded', String(folded));
      out.push(await height());
      await page.screenshot({ path: path.join(SHOTS, `banners-${folded ? 'folded' : 'open'}-${width}x${h}.png`) });
    }
    return out;
  };
  for (const b of both) await expect(b).toBeVisible();
  const open = await measure(false);
  open.forEach((h, i) => expect(h).toBeLessThanOrEqual(SCREENS[i]?.openMaxPx ?? 0));

  // One "Less" folds every long-lived banner to its title line; both are still there.
  await page.getByTestId('banner-secrets-fold').click();
  const folded = await measure(true);
  for (const h of folded) expect(h).toBeLessThanOrEqual(BANNERS_FOLDED_MAX_PX);
  await expect(page.getByTestId('banner-offline-copy')).toContainText('Showing the offline copy');
  await expect(page.getByTestId('banner-offline-copy')).not.toContainText('synced');

  // Remembered: after a reload the banners come back folded, never open first (not even for one frame).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __openBanners: string[] }).__openBanners = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="banner-offline-copy"], [data-testid="banner-secrets"]'))
        if (el.getAttribute('data-folded') !== 'true') seen.push(el.getAttribute('data-testid') ?? '');
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.reload();
  await expect(page.getByTestId('banner-offline-copy')).toBeVisible({ timeout: 30_000 });
  const afterReload = await measure(true);
  for (const h of afterReload) expect(h).toBeLessThanOrEqual(BANNERS_FOLDED_MAX_PX);
  await expect(page.getByTestId('banner-secrets-fold')).toHaveText('Details');
  await expect(page.getByTestId('banner-secrets-fold')).toHaveAttribute('aria-expanded', 'false');
  expect(await page.evaluate(() => (window as unknown as { __openBanners: string[] }).__openBanners)).toEqual([]);

  await page.getByTestId('banner-offline-copy-fold').click();
  for (const b of both) await expect(b).toHaveAttribute('data-folded', 'false');
  if (was) await page.setViewportSize(was);
}

interface WireResult {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string };
}

/** Calls the contract through the page's own bridge: the WebSocket `toc serve` gives the page, with its token. */
async function bridgeCalls(page: Page, calls: { method: string; args: unknown }[]): Promise<WireResult[]> {
  return page.evaluate(async (list) => {
    const token = sessionStorage.getItem('toc.serve.token') ?? '';
    const ws = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('bridge did not open'));
    });
    const out: WireResult[] = [];
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (!c) continue;
      const r = await new Promise<WireResult>((resolve) => {
        ws.onmessage = (ev: MessageEvent<string>) => {
          const m = JSON.parse(ev.data) as { t: string; id: number; result?: WireResult };
          if (m.t === 'result' && m.id === i + 1 && m.result) resolve(m.result);
        };
        ws.send(JSON.stringify({ t: 'call', id: i + 1, method: c.method, args: c.args }));
      });
      out.push(r);
    }
    ws.close();
    return out;
  }, calls);
}

async function bridgeCall(page: Page, method: string, args: unknown = {}): Promise<WireResult> {
  const [r] = await bridgeCalls(page, [{ method, args }]);
  if (!r) throw new Error('no answer');
  return r;
}

/** Nothing on the wall can take focus, and nothing hides information behind a hover. */
async function expectHandsOff(page: Page): Promise<void> {
  const found = await page.evaluate(() => ({
    focusable: [
      ...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]'),
    ].map((e) => e.outerHTML.slice(0, 80)),
    titled: [...document.querySelectorAll('[title]')].map((e) => e.outerHTML.slice(0, 80)),
  }));
  expect(found).toEqual({ focusable: [], titled: [] });
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement === document.body || document.activeElement?.id === 'main-content')).toBe(true);
}

const PAGE_READY: Record<string, string> = {
  slos: 'wall-slo-tile',
  incidents: 'wall-incident-row',
  alerts: 'wall-alert-row',
  jobs: 'wall-stat-running',
  changes: 'wall-change-row',
};

for (const vp of [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
]) {
  test(`wall pages at ${vp.width}×${vp.height}: big numbers, ages on every tile, nothing to click, screenshots`, async ({ browser }) => {
    test.setTimeout(120_000);
    // A wall PC in Berlin: the local clock says CET, and UTC stands beside it.
    const context = await browser.newContext({ viewport: vp, timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    const errors = errorsOf(page);
    await page.goto(`${baseOf(env('TOC_E2E_WALL_URL'))}#/wall/1`);
    for (let n = 1; n <= 5; n++) {
      await page.evaluate((i) => {
        window.location.hash = `#/wall/${i}`;
      }, n);
      const wall = page.getByTestId('wall');
      await expect(wall).toHaveAttribute('data-page', String(n - 1));
      const kind = (await wall.getAttribute('data-page-kind')) ?? '';
      await expect(page.getByTestId(PAGE_READY[kind] ?? 'wall-page').first()).toBeVisible({ timeout: 30_000 });
      // Fresh data: no tile says STALE on a healthy wall.
      await expect(page.locator('.wall-tile[data-stale="true"]')).toHaveCount(0, { timeout: 15_000 });
      await expect(page.getByTestId('wall-position')).toHaveAttribute('data-count', '5');
      await expect(page.getByTestId('wall-clock')).toContainText(/\d{2}:\d{2}/);

      // Readable at 5 m: the big numbers are at least 1/18 of the screen height; every tile says how old it is.
      const sizes = await page.locator('.wall-big').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
      expect(sizes.length).toBeGreaterThan(0);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(vp.height / 18);
      const tiles = page.locator('.wall-tile');
      const count = await tiles.count();
      for (let i = 0; i < count; i++) await expect(tiles.nth(i).getByTestId('wall-age')).toHaveText(/^\d+ (s|min|h|d) ago$/);
      // Everything fits on the screen: no scrolling on a wall.
      const bottom = await page.evaluate(() =>
        Math.max(...[...document.querySelectorAll('.wall-page *')].map((e) => e.getBoundingClientRect().bottom)),
      );
      expect(bottom).toBeLessThanOrEqual(vp.height + 2);
      // Read from 5 m: status words and ages at 1.5 units (35.6 px at 1080 lines, twice that at 2160).
      const small = await page.locator('.wall-tile-foot').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
      expect(Math.min(...small)).toBeGreaterThanOrEqual((vp.height / 1080) * 34);
      // Nothing cut: no status, id, age or name is wider than its box (a cut word would be "WA…", "SUCCESSF…").
      const cut = await page.evaluate(() =>
        [
          ...document.querySelectorAll(
            '.wall-tone-word, .wall-age, .wall-row-key, .wall-row-id, .wall-row-age, .wall-burn, .wall-big, .wall-stat-label',
          ),
        ]
          .filter((e) => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis')
          .map((e) => e.textContent),
      );
      expect(cut).toEqual([]);
      const spilled = await page.evaluate(() =>
        [...document.querySelectorAll('.wall-tile')].filter((e) => e.scrollHeight > e.clientHeight + 1).map((e) => e.textContent),
      );
      expect(spilled).toEqual([]);
      // …and nothing in a tile was squeezed to nothing to make it fit.
      const squeezed = await page.evaluate(() =>
        [...document.querySelectorAll('.wall-tile > *')]
          .filter((e) => e.textContent && e.getBoundingClientRect().height < 8)
          .map((e) => e.textContent),
      );
      expect(squeezed).toEqual([]);
      await expect(page.getByTestId('wall-clock')).toContainText(/CET/);
      await expect(page.getByTestId('wall-clock-utc')).toHaveText(/^\d{2}:\d{2} UTC$/);
      if (kind === 'slos') {
        // The tiles fill the page rather than its top-left corner.
        const box = await page.getByTestId('wall-page').boundingBox();
        const lowest = await page
          .locator('[data-testid="wall-slo-tile"]')
          .evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().bottom)));
        const rightmost = await page
          .locator('[data-testid="wall-slo-tile"]')
          .evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
        if (!box) throw new Error('no page box');
        expect(lowest).toBeGreaterThan(box.y + box.height * 0.85);
        expect(rightmost).toBeGreaterThan(box.x + box.width * 0.9);
        // The paging SLO (notifications, 25×) stands out from the slow burns: a solid bar, set larger.
        const paging = page.locator('[data-testid="wall-slo-tile"][data-burn="page"]');
        await expect(paging).toHaveCount(1);
        await expect(paging.getByTestId('wall-slo-burn')).toHaveText(/^PAGE · \d+× burn$/);
        const burnSize = async (sel: string): Promise<number> =>
          page
            .locator(sel)
            .first()
            .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
        expect(await burnSize('[data-burn="page"] [data-testid="wall-slo-burn"]')).toBeGreaterThan(
          1.25 * (await burnSize('[data-burn="none"] [data-testid="wall-slo-burn"]')),
        );
      }
      await expectHandsOff(page);
      await page.screenshot({ path: path.join(SHOTS, `wall-${vp.width}x${vp.height}-${n}-${kind}.png`) });
    }
    expect(errors).toEqual([]);
    await context.close();
  });
}

test('the wall rotates among red pages only, pins them, and shows where it is', async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${baseOf(env('TOC_E2E_WALL_URL'))}#/wall`);
  const wall = page.getByTestId('wall');
  await expect(wall).toHaveAttribute('data-pinned', 'true', { timeout: 30_000 });
  // SLOs with a page alert, open P1s and a critical alert: pages 1–3 are red, jobs and changes are not.
  const seen = new Set<string>();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const p = (await wall.getAttribute('data-page')) ?? '';
    seen.add(p);
    const dot = page.getByTestId('wall-dot').nth(Number(p));
    await expect(dot).toHaveAttribute('data-red', 'true');
    await page.waitForTimeout(1000);
  }
  expect(seen.size).toBeGreaterThanOrEqual(2);
  expect([...seen].every((p) => ['0', '1', '2'].includes(p))).toBe(true);
  await expect(page.getByTestId('wall-position')).toContainText('PINNED');
  // Jobs and changes are not shown while red pages hold the wall: the room is told how many.
  await expect(page.getByTestId('wall-held-back')).toContainText('2 pages held back while red');
  expect(Number(await wall.getAttribute('data-shift'))).toBeGreaterThanOrEqual(0);
  await expect(wall).toHaveClass(/wall-shift-\d/);
});

test('in wall mode the contract refuses every action as read_only, before it reaches a handler', async ({ page }) => {
  await page.goto(`${baseOf(env('TOC_E2E_WALL_URL'))}#/wall`);
  await expect(page.getByTestId('wall')).toBeVisible();
  const sysId = 'a'.repeat(32);
  const endsAt = new Date(Date.now() + 3_600_000).toISOString();
  const minimal: Record<string, unknown> = {
    'connections.save': { spec: { id: 'x', kind: 'prometheus', name: 'x', url: 'http://127.0.0.1:9', auth: { type: 'none' } } },
    'connections.remove': { id: 'wall-prom' },
    'connections.retrySecrets': {},
    'connections.setSecret': { connectionId: 'wall-snow', field: 'password', value: 'x' },
    'connections.deleteSecret': { connectionId: 'wall-snow', field: 'password' },
    'slo.import': { filename: 'x.yaml', yaml: 'apiVersion: openslo/v1' },
    'incidents.assignToMe': { sysId, seenModCount: 0 },
    'incidents.setAssignmentGroup': { sysId, seenModCount: 0, groupSysId: sysId },
    'incidents.addWorkNote': { sysId, text: 'from the wall' },
    'incidents.hold': { sysId, seenModCount: 0, holdReason: '1' },
    'incidents.resolve': { sysId, seenModCount: 0, closeCode: 'Solved', closeNotes: 'x' },
    'jobs.launch': { connectionId: 'demo-awx', templateName: 'Disk cleanup' },
    'jobs.cancel': { connectionId: 'demo-awx', jobId: 1 },
    'jobs.relaunch': { connectionId: 'demo-awx', jobId: 1 },
    'alerts.createSilence': {
      matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }],
      endsAt,
      createdBy: 'wall',
      comment: 'x',
    },
    'alerts.extendSilence': { id: 'x', endsAt },
    'alerts.expireSilence': { id: 'x' },
  };
  const actions = Object.entries(methods)
    .filter(([, def]) => def.action)
    .map(([name]) => name);
  expect(actions.length).toBeGreaterThanOrEqual(15);
  // Each action twice: with arguments the schema accepts, and with none at all (which would be a bad_request if
  // it got as far as validation): read_only both times means the refusal comes first.
  const calls = actions.flatMap((m) => {
    const def = methods[m as keyof typeof methods];
    const args = minimal[m] ?? {};
    const valid = def.input.safeParse(args).success;
    return [...(valid ? [{ method: m, args }] : []), { method: m, args: {} }];
  });
  expect(calls.length).toBeGreaterThan(actions.length);
  const auditBefore = await bridgeCall(page, 'activity.list', { limit: 1000 });
  const results = await bridgeCalls(page, calls);
  const wrong = results
    .map((r, i) => ({ method: calls[i]?.method, code: r.ok ? 'ok' : r.error?.code }))
    .filter((r) => r.code !== 'read_only');
  expect(wrong).toEqual([]);
  // Reads still work, and nothing was written (every action audits before it answers).
  const auditAfter = await bridgeCall(page, 'activity.list', { limit: 1000 });
  expect(auditAfter).toEqual(auditBefore);
  expect((await bridgeCall(page, 'wall.config')).ok).toBe(true);
});

test.describe('a backend killed and restarted while the wall runs', () => {
  let stack: WallStack;
  let serve: ServeProcess;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    stack = await startWallStack({
      name: 'Wall restart (e2e)',
      prometheusUrl: env('TOC_E2E_SLO_PROMETHEUS'),
      sloFiles: JSON.parse(env('TOC_E2E_SLO_FILES')) as string[],
      wall: { interval: 30, refresh: 1 },
    });
    serve = await stack.serve({ wall: true });
  });
  test.afterAll(async () => {
    await stack.close();
  });

  test('stale marking and a banner at once, recovery by itself (AWX, then ServiceNow)', async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 1920, height: 1080 });
    const errors = errorsOf(page);
    await page.goto(`${baseOf(serve.url)}#/wall/4`);
    const running = page.getByTestId('wall-stat-running');
    await expect(page.getByTestId('wall')).toHaveAttribute('data-page-kind', 'jobs');
    await expect(running).toHaveAttribute('data-stale', 'false', { timeout: 30_000 });

    await stack.stopAwx();
    const awxBanner = page.getByTestId('wall-banner-system').filter({ hasText: 'Wall AWX unreachable' });
    await expect(awxBanner).toBeVisible({ timeout: 20_000 });
    await expect(running).toHaveAttribute('data-stale', 'true');
    await expect(running.getByTestId('wall-age')).toHaveText(/^STALE · \d+ (s|min) old$/);
    await expect(page.getByTestId('wall-stale-note')).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS, 'wall-backend-down-jobs.png') });
    await stack.startAwx();
    await expect(running).toHaveAttribute('data-stale', 'false', { timeout: 30_000 });
    await expect(page.getByTestId('wall-banner')).toHaveCount(0);

    await page.evaluate(() => {
      window.location.hash = '#/wall/2';
    });
    const p1 = page.getByTestId('wall-stat-p1');
    await expect(p1).toHaveAttribute('data-stale', 'false', { timeout: 30_000 });
    const before = await p1.locator('.wall-big').textContent();
    await stack.stopSnow();
    // The queue refreshes every 30 s: within a minute the wall knows, says so, and greys the numbers.
    await expect(page.getByTestId('wall-banner-system').filter({ hasText: 'Wall ServiceNow unreachable' })).toBeVisible({
      timeout: 70_000,
    });
    await expect(p1).toHaveAttribute('data-stale', 'true');
    await expect(p1.locator('.wall-big')).toHaveText(before ?? '');
    await page.screenshot({ path: path.join(SHOTS, 'wall-backend-down-incidents.png') });
    await stack.startSnow();
    await expect(p1).toHaveAttribute('data-stale', 'false', { timeout: 45_000 });
    await expect(page.getByTestId('wall-banner')).toHaveCount(0);
    expect(errors.filter((m) => !/Failed to load resource/.test(m))).toEqual([]);
  });
});

test.describe.serial('workstation and offline runbook viewer', () => {
  let stack: WallStack;
  let serve: ServeProcess;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    stack = await startWallStack({
      name: 'Workstation (e2e)',
      prometheusUrl: env('TOC_E2E_SLO_PROMETHEUS'),
      sloFiles: JSON.parse(env('TOC_E2E_SLO_FILES')) as string[],
      ownRunbooks: true,
      environment: 'prod-eu',
    });
    serve = await stack.serve();
  });
  test.afterAll(async () => {
    await stack.close();
  });

  test('the command palette finds runbooks, SLOs, incidents and actions; every view names its environment', async ({ page }) => {
    test.setTimeout(90_000);
    const errors = errorsOf(page);
    await page.goto(`${baseOf(serve.url)}#/incidents`);
    await expect(page.getByTestId('view-environment')).toContainText('Environment prod-eu');
    await page.keyboard.press('Control+k');
    const input = page.getByTestId('palette-input');
    await expect(input).toBeFocused();
    await input.fill('free disk');
    await expect(page.getByTestId('palette-option').first()).toHaveAttribute('data-id', 'runbook:disk-cleanup', { timeout: 15_000 });
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/runbooks\/disk-cleanup$/);
    await expect(page.getByTestId('palette')).toHaveCount(0);

    await page.evaluate(() => {
      window.location.hash = '#/slos';
    });
    // On the runbook list Ctrl+K searches runbooks (that view's own key); elsewhere it opens the palette.
    await expect(page.getByTestId('view-slos')).toBeVisible();
    await page.keyboard.press('Control+k');
    await input.fill('checkout');
    const slo = page.locator('[data-testid="palette-option"][data-kind="slo"]').first();
    await expect(slo).toBeVisible({ timeout: 20_000 });
    const sloId = ((await slo.getAttribute('data-id')) ?? '').replace(/^slo:/, '');
    await slo.click();
    await expect(page).toHaveURL(new RegExp(`#/slos/detail/${sloId}$`));

    await page.keyboard.press('Control+k');
    await input.fill('inc00');
    const incident = page.locator('[data-testid="palette-option"][data-kind="incident"]').first();
    await expect(incident).toBeVisible({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/incidents\/[0-9a-f]{32}$/);

    // A work note the console never read (written in ServiceNow by someone else) is found through ServiceNow.
    const target = stack
      .snow()
      .table('incident')
      .all()
      .find((i) => i.active === 'true');
    if (!target?.sys_id) throw new Error('no open incident in the simulator');
    stack
      .snow()
      .table('sys_journal_field')
      .put({
        sys_id: 'e2e0'.repeat(8),
        name: 'incident',
        element: 'work_notes',
        element_id: target.sys_id,
        value: 'Failed over the Wombat-318 cache to the standby pair.',
        sys_created_on: '2026-12-06 20:00:00',
        sys_created_by: 'someone.else',
      });
    await page.keyboard.press('Control+k');
    await input.fill('wombat-318');
    const noteHit = page.locator(`[data-testid="palette-option"][data-id="incident:${target.sys_id}"]`);
    await expect(noteHit).toContainText('Work note: Failed over the Wombat-318 cache', { timeout: 20_000 });
    await expect(noteHit).toContainText(String(target.number));
    await expect(page.getByTestId('palette-notes-status')).toHaveCount(0);
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+k');
    await input.fill('environment prod-eu');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('header-environment')).toHaveAttribute('data-environment', 'prod-eu');
    for (const view of ['slos', 'incidents', 'runbooks', 'jobs', 'activity', 'alerts']) {
      await page.evaluate((v) => {
        window.location.hash = `#/${v}`;
      }, view);
      await expect(page.getByTestId('view-environment')).toHaveText(/^Environment prod-eu — \d+ of \d+ connections$/);
    }
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toContainText('Command palette');
    expect(errors.filter((m) => /Content Security Policy|Refused to|pageerror/i.test(m))).toEqual([]);
  });

  test('desktop notifications for a finished job and a new P1 open the right view when clicked', async ({ page }) => {
    test.setTimeout(120_000);
    // The page's Notification, recorded: the browser shows them for real only on a desktop session.
    await page.addInitScript(() => {
      const notes: { title: string; body: string; onclick: (() => void) | null }[] = [];
      (window as unknown as { __notes: typeof notes }).__notes = notes;
      class RecordingNotification {
        static permission = 'granted';
        static requestPermission(): Promise<string> {
          return Promise.resolve('granted');
        }
        onclick: (() => void) | null = null;
        constructor(
          readonly title: string,
          readonly opts: { body?: string } = {},
        ) {
          notes.push(this as unknown as (typeof notes)[number]);
        }
        close(): void {}
      }
      (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
    });
    await page.goto(`${baseOf(serve.url)}#/slos`);
    await expect(page.getByTestId('app')).toBeVisible();
    await page.waitForTimeout(6000); // the job watcher's first poll is the baseline
    const launched = await bridgeCall(page, 'jobs.launch', { connectionId: 'demo-awx', templateName: 'Disk cleanup' });
    expect(launched.ok).toBe(true);
    const jobId = (launched.data as { job: { id: number } }).job.id;
    const titles = (): Promise<string[]> =>
      page.evaluate(() => (window as unknown as { __notes: { title: string }[] }).__notes.map((n) => n.title));
    await expect.poll(titles, { timeout: 60_000 }).toContain(`Job #${jobId} succeeded`);
    await page.evaluate((t) => {
      const n = (window as unknown as { __notes: { title: string; onclick: (() => void) | null }[] }).__notes.find((x) => x.title === t);
      n?.onclick?.();
    }, `Job #${jobId} succeeded`);
    await expect(page).toHaveURL(new RegExp(`#/jobs/demo-awx/${jobId}$`));

    const inc = stack
      .snow()
      .addIncident({ priority: '1', impact: '1', urgency: '1', short_description: 'Checkout returns 502 (wall e2e)' });
    const number = String(inc.number);
    await expect.poll(titles, { timeout: 60_000 }).toContain(`New P1: ${number}`);
    await page.evaluate((t) => {
      const n = (window as unknown as { __notes: { title: string; onclick: (() => void) | null }[] }).__notes.find((x) => x.title === t);
      n?.onclick?.();
    }, `New P1: ${number}`);
    await expect(page).toHaveURL(new RegExp(`#/incidents/${number}$`));
  });

  test('offline: after one sync and with every backend down, the console starts, opens runbooks and forms, and shows the last state as stale', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto(`${baseOf(serve.url)}#/runbooks`);
    const sync = await bridgeCall(page, 'offline.sync');
    expect(sync.ok).toBe(true);
    const report = sync.data as { saved: number; errors: string[] };
    expect(report.errors).toEqual([]);
    expect(report.saved).toBeGreaterThan(10);

    // No network at all: every backend down, the runbook share gone, the console started again.
    await serve.stop();
    await stack.stopBackends();
    rmSync(stack.runbooks, { recursive: true, force: true });
    const offline = await stack.serve();
    const errors = errorsOf(page);
    await page.goto(`${baseOf(offline.url)}#/runbooks/restart-service`);
    await expect(page.getByTestId('runbook')).toContainText('Restart a failed service', { timeout: 30_000 });
    await expect(page.getByTestId('banner-offline-copy')).toContainText('runbook', { timeout: 30_000 });
    await bannersStayCompact(page);

    // The form opens from the copy, its survey readable, launching off with the reason.
    await page.getByTestId('runbook-launch-toggle').click();
    await expect(page.getByTestId('launch-offline')).toContainText('cannot be launched until Wall AWX answers again', { timeout: 30_000 });
    await expect(page.getByTestId('launch-form')).toContainText('Service');
    await expect(page.getByTestId('launch-submit')).toBeDisabled();
    await page.screenshot({ path: path.join(SHOTS, 'offline-runbook-form.png'), fullPage: true });

    // Printing: the print layout, and in print media only the runbook sheet.
    await page.getByTestId('runbook-print').click();
    await expect(page.getByTestId('print-sheet')).toContainText('Restart a failed service');
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('header')).toBeHidden();
    await expect(page.getByTestId('print-sheet')).toBeVisible();
    await expect(page.getByTestId('print-now')).toBeHidden();
    await page.screenshot({ path: path.join(SHOTS, 'offline-runbook-print-media.png'), fullPage: true });
    await page.pdf({ path: path.join(SHOTS, 'offline-runbook.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    await page.getByTestId('print-close').click();

    // The last known state, marked stale with its age.
    await page.evaluate(() => {
      window.location.hash = '#/slos';
    });
    await expect(page.locator('[data-testid="slo-tile"][data-stale="true"]').first()).toBeVisible({ timeout: 45_000 });
    await expect(page.locator('[data-testid="slo-tile"][data-stale="false"]')).toHaveCount(0);
    await expect(page.getByTestId('slo-age').first()).toContainText('offline copy synced');
    await page.evaluate(() => {
      window.location.hash = '#/incidents';
    });
    await expect(page.getByTestId('incidents-sync-error')).toContainText('offline copy synced', { timeout: 30_000 });
    await expect(page.getByTestId('incident-row').first()).toBeVisible();
    // An incident's detail with its journal, from the copy at once (ServiceNow refuses: no skeleton for seconds).
    await page.getByTestId('incident-row').first().click();
    await expect(page.getByTestId('detail-offline')).toContainText(/Offline copy, read .* ago/, { timeout: 8_000 });
    await expect(page.getByTestId('incident-detail-loaded')).toBeVisible();
    // An SLO's detail from the copy, with its age.
    await page.evaluate(() => {
      window.location.hash = '#/slos';
    });
    const firstSlo = await page.locator('[data-testid="slo-tile"]').first().getAttribute('data-slo-id');
    await page.evaluate((id) => {
      window.location.hash = `#/slos/detail/${id}`;
    }, firstSlo ?? '');
    await expect(page.getByTestId('slo-detail-offline')).toContainText('Offline copy, read', { timeout: 8_000 });
    await expect(page.getByTestId('slo-detail-budget')).not.toHaveText('—');
    await page.evaluate(() => {
      window.location.hash = '#/wall/1';
    });
    await expect(page.locator('[data-testid="wall-slo-tile"][data-stale="true"]').first()).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('[data-testid="wall-slo-tile"][data-stale="false"]')).toHaveCount(0);
    await page.screenshot({ path: path.join(SHOTS, 'offline-wall-slos.png') });
    expect(errors.filter((m) => /Content Security Policy|Refused to|pageerror/i.test(m))).toEqual([]);
  });
});
