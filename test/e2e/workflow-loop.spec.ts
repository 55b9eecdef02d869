import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { startDemoStack } from '../sim/demo-stack';
import type { DemoStack } from '../sim/demo-stack';
import { startServeProcess } from './serve-process';
import type { ServeProcess } from './serve-process';

// The loop on the demo workspace, as `npm start` opens it (its own demo stack and `toc serve`): from the fleet's
// worst SLO to a launched runbook for its incident, and from the finished job back to the incident, counting
// clicks — and the work note, the job's variables and the audit log name the operator (the OS user here).
// On the incident, Ctrl+K offers its context first. A second test folds the demo's incidents that carry the same
// alert into one group and makes one the parent of the others, checked in ServiceNow.
// Screenshots of the SLO detail with its context, the incident pane, the palette and "make parent" go to
// test-results/e2e/loop/.
// Named to run last: its demo stack (Prometheus, simulators, Alertmanager) would otherwise delay the specs whose
// burn-rate alerts only fire for the first minutes after the shared demo Prometheus starts.

let demo: DemoStack;
let serve: ServeProcess;
let tmp: string;
const shots = path.resolve('test-results/e2e/loop');
const operator = os.userInfo().username;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-e2e-loop-'));
  mkdirSync(path.join(tmp, 'data'));
  mkdirSync(shots, { recursive: true });
  demo = await startDemoStack();
  // The demo Prometheus sends its burn-rate alerts to the demo Alertmanager once its rules have run.
  const am = /demo-alertmanager[\s\S]*?url: (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(demo.workspaceFile, 'utf8'))?.[1];
  // Rules run once a minute: the second run resends what the first sent before the Alertmanager was reached.
  const deadline = Date.now() + 150_000;
  for (;;) {
    const alerts = (await (await fetch(`${am}/api/v2/alerts`)).json()) as unknown[];
    if (alerts.length > 0) break;
    if (Date.now() > deadline) {
      const prom = /demo-prometheus[\s\S]*?url: (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(demo.workspaceFile, 'utf8'))?.[1];
      const ams = await (await fetch(`${prom}/api/v1/alertmanagers`)).text();
      const firing = await (await fetch(`${prom}/api/v1/alerts`)).text();
      throw new Error(
        `the demo Alertmanager (${am}) received no alert from the demo Prometheus within 150 s: ${ams} ${firing.slice(0, 300)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  // The demo as a desk runs it: no TOC_OPERATOR, so the operator is the OS user (the demo made them a sys_user).
  serve = await startServeProcess({
    config: demo.workspaceFile,
    dataDir: path.join(tmp, 'data'),
    env: { ...demo.env, TOC_DEMO: '1', TOC_OPERATOR: undefined, DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await demo?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Clicks, counted: the loop's promise is measured in these. */
function clicker(): { click: (l: Locator) => Promise<void>; count: () => number; reset: () => void } {
  let n = 0;
  return {
    click: async (l) => {
      n++;
      await l.click();
    },
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

async function snow<T>(table: string, query: string, fields: string): Promise<T[]> {
  const url = /url: (http:\/\/127\.0\.0\.1:\d+)\n\s+auth:\n\s+type: basic/.exec(readFileSync(demo.workspaceFile, 'utf8'))?.[1];
  const auth = Buffer.from(`toc.demo:${demo.env.TOC_DEMO_SERVICENOW_PASSWORD ?? ''}`).toString('base64');
  const r = await fetch(`${url}/api/now/table/${table}?sysparm_query=${encodeURIComponent(query)}&sysparm_fields=${fields}`, {
    headers: { Authorization: `Basic ${auth}`, Accept: 'application/json' },
  });
  return ((await r.json()) as { result: T[] }).result;
}

test("the loop: worst SLO → its incident's runbook launched in ≤ 4 clicks; job → incident in 1; the operator is named", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = errorsOf(page);
  const c = clicker();
  await page.goto(`${serve.url}#/slos`);
  // The fleet's worst SLO: the highest 1-hour burn rate among the tiles.
  await expect(page.getByTestId('slo-tile').first()).toBeVisible({ timeout: 60_000 });
  const worst = 'notifications-delivery';
  const tile = page.locator(`[data-testid=slo-tile][data-slo-id="${worst}"]`);
  await expect(tile).toHaveAttribute('data-policy', /restricted|emergency|caution/);

  // 1. The SLO: its context lists the firing burn alert, the open incident that carries it, the runbook.
  await c.click(tile.getByTestId('slo-tile-link'));
  const ctx = page.getByTestId('slo-context');
  await expect(ctx.getByTestId('context-incident')).toHaveCount(1, { timeout: 30_000 });
  const number = (await ctx.getByTestId('context-incident').getAttribute('data-number')) ?? '';
  expect(number).toMatch(/^INC\d{7}$/);
  await expect(ctx.getByTestId('context-alert').first()).toContainText('ErrorBudgetBurn');
  await expect(ctx.getByTestId('context-alert').filter({ hasText: 'Alertmanager' }).first()).toBeVisible({ timeout: 30_000 });
  await expect(ctx.getByTestId('context-link-prometheus').first()).toBeVisible();
  await expect(ctx.getByTestId('context-job').first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'slo-detail-context.png'), fullPage: true });

  // 2. Its runbook, opened for the incident; 3. launched (not a production runbook: no typed target).
  await c.click(ctx.locator('[data-testid=context-runbook][data-id=notifications-burn]'));
  await expect(page.getByTestId('incident-number')).toHaveText(number);
  await expect(page.getByTestId('launch-form')).toBeVisible();
  await expect(page.getByTestId('survey-target_host')).toHaveValue('notify-01');
  await c.click(page.getByTestId('launch-submit'));
  const detail = page.getByTestId('job-detail');
  await expect(detail).toBeVisible({ timeout: 20_000 });
  const toLaunch = c.count();
  expect(toLaunch).toBeLessThanOrEqual(4);
  const jobId = Number(await detail.getAttribute('data-job'));
  const jobConnection = decodeURIComponent(/#\/jobs\/([^/]+)\//.exec(page.url())?.[1] ?? '');
  await expect(page.getByTestId('launch-work-note-incident')).toHaveText(number);
  await expect(page.getByTestId('job-end')).toHaveAttribute('data-complete', 'true', { timeout: 90_000 });
  await expect(page.getByTestId('job-operator')).toHaveText(operator);

  // From the finished job back to the incident: one click.
  c.reset();
  await c.click(page.getByTestId('job-incident-link'));
  await expect(page.getByTestId('detail-number')).toHaveText(number, { timeout: 20_000 });
  const back = c.count();
  expect(back).toBe(1);
  const pane = page.getByTestId('incident-context');
  await expect(pane.locator(`[data-testid=context-job][data-id="${jobId}"]`)).toBeVisible({ timeout: 30_000 });
  await expect(pane.getByTestId('context-slo').first()).toHaveAttribute('data-id', worst);

  // The work notes name the operator; the journal shows them; the job's variables carry them.
  const sys = await snow<{ sys_id: string }>('incident', `number=${number}`, 'sys_id');
  const sysId = sys[0]?.sys_id ?? '';
  await expect
    .poll(async () => (await snow<{ value: string }>('sys_journal_field', `element_id=${sysId}^element=work_notes`, 'value')).length, {
      timeout: 30_000,
    })
    .toBeGreaterThanOrEqual(2);
  const notes = (await snow<{ value: string }>('sys_journal_field', `element_id=${sysId}^element=work_notes`, 'value')).map((n) => n.value);
  const launchNote = notes.find((n) => n.includes(`AWX job #${jobId}`) && n.includes('launched'));
  expect(launchNote).toMatch(new RegExp(`\\n\\n— ${operator} via TOC Console$`));
  await expect(page.locator('[data-testid=journal-entry][data-element=work_notes]').first()).toContainText(
    `— ${operator} via TOC Console`,
    {
      timeout: 20_000,
    },
  );
  await page.screenshot({ path: path.join(shots, 'incident-pane.png'), fullPage: true });

  // The palette reaches the incident's context: Ctrl+K lists its SLO, runbook and job first; the keyboard opens the SLO.
  // The pointer stays where the last click was, over the list as it opens: only moving it picks an option.
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('palette-related-title')).toHaveText('Related to this incident', { timeout: 20_000 });
  const options = page.getByTestId('palette-option');
  await expect(options.first()).toHaveAttribute('data-section', 'related');
  const relatedIds = await page
    .locator('[data-testid=palette-option][data-section=related]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
  expect(relatedIds).toEqual(
    expect.arrayContaining([`related:slo:${worst}`, 'related:runbook:notifications-burn', `related:job:${jobConnection}:${jobId}`]),
  );
  await page.screenshot({ path: path.join(shots, 'palette-related.png') });
  for (let i = 0; i < relatedIds.indexOf(`related:slo:${worst}`); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/slos/detail/${worst}$`));
  await expect(page.getByTestId('palette')).toHaveCount(0);

  // "Open in ServiceNow" answers with the record (a page of the simulator, not a 404).
  const link = await snow<{ number: string }>('incident', `number=${number}`, 'number');
  expect(link).toHaveLength(1);

  console.log(`LOOP CLICKS: worst SLO → launched runbook ${toLaunch}; finished job → incident ${back}`);
  expect(errors).toEqual([]);
});

test('incidents carrying the same alert: one group in the queue; make parent files the others in ServiceNow, signed', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = errorsOf(page);
  await page.goto(`${serve.url}#/incidents`);
  const lead = page.locator('[data-testid=incident-row][data-group-lead=true]').first();
  await expect(lead).toBeVisible({ timeout: 30_000 });
  const group = (await lead.getAttribute('data-group')) ?? '';
  const toggle = lead.getByTestId('group-toggle');
  const count = Number(/×(\d+)/.exec((await toggle.textContent()) ?? '')?.[1]);
  expect(count).toBeGreaterThan(1);
  await expect(page.locator(`[data-testid=incident-row][data-group="${group}"]`)).toHaveCount(1);
  await toggle.click();
  await expect(page.locator(`[data-testid=incident-row][data-group="${group}"]`)).toHaveCount(count);

  await page.getByTestId('make-parent-open').click();
  const panel = page.getByTestId('make-parent');
  await expect(panel.getByTestId('make-parent-plan')).toContainText(`— ${operator} via TOC Console`);
  const parentNumber = (await panel.locator('[data-testid=make-parent-choice]:checked').getAttribute('data-number')) ?? '';
  await page.screenshot({ path: path.join(shots, 'make-parent.png') });
  await panel.getByTestId('make-parent-confirm').click();
  await expect(panel.getByTestId('make-parent-result')).toContainText(`${count - 1} filed under ${parentNumber}`, { timeout: 30_000 });
  await expect(panel.getByTestId('make-parent-result')).toHaveAttribute('data-failed', '0');

  // ServiceNow has it: every other open incident with the alert names the parent, with a note naming the operator.
  type Ref = string | { value?: string };
  const refOf = (r: Ref): string => (typeof r === 'string' ? r : (r.value ?? ''));
  const [parent] = await snow<{ sys_id: string; u_alert_name: string; u_alert_instance: string }>(
    'incident',
    `number=${parentNumber}`,
    'sys_id,u_alert_name,u_alert_instance',
  );
  const members = await snow<{ sys_id: string; number: string; parent_incident: Ref }>(
    'incident',
    `active=true^stateNOT IN6,7,8^u_alert_name=${parent?.u_alert_name ?? ''}^u_alert_instance=${parent?.u_alert_instance ?? ''}`,
    'sys_id,number,parent_incident',
  );
  const children = members.filter((m) => m.number !== parentNumber);
  expect(children).toHaveLength(count - 1);
  expect(children.map((m) => refOf(m.parent_incident))).toEqual(children.map(() => parent?.sys_id));
  const note = await snow<{ value: string }>('sys_journal_field', `element_id=${children[0]?.sys_id ?? ''}^element=work_notes`, 'value');
  expect(note.map((n) => n.value)).toContainEqual(
    expect.stringMatching(new RegExp(`^Filed under ${parentNumber} as its parent.*\\n\\n— ${operator} via TOC Console$`, 's')),
  );
  // The queue shows the group as filed under its parent once the sync has read it.
  await expect(page.getByTestId('incident-group-parent')).toContainText(`${count - 1} filed under ${parentNumber}`, { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test("an alert's context in the Alerts view: its SLO and the incident that carries it, and the palette offers them", async ({ page }) => {
  test.setTimeout(90_000);
  const errors = errorsOf(page);
  await page.goto(`${serve.url}#/alerts`);
  const row = page.locator('[data-testid=alert-row][data-alertname=ErrorBudgetBurn]').first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  // By keyboard: j reaches the first alert's toggle, Enter shows its context.
  await page.keyboard.press('j');
  await expect(page.getByTestId('alert-context-toggle').first()).toBeFocused();
  await page.locator('[data-testid=alert-context-toggle]:focus').press('Enter');
  const ctx = page.getByTestId('alert-context').first();
  await expect(ctx.getByTestId('context-slo').first()).toBeVisible({ timeout: 30_000 });
  const burning = page.locator('[data-testid=alert-row][data-alertname=ErrorBudgetBurn]', {
    has: page.locator('[data-testid=alert-labels]', { hasText: 'notifications-delivery' }),
  });
  if ((await burning.getByTestId('alert-context').count()) === 0) await burning.getByTestId('alert-context-toggle').click();
  const burnCtx = burning.getByTestId('alert-context');
  // The demo story's incident carries this alert: it is listed, and no second incident is offered.
  await expect(burnCtx.getByTestId('context-incident')).toHaveCount(1, { timeout: 30_000 });
  await expect(burning.getByTestId('alert-open-incident')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'alert-context.png'), fullPage: true });
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('palette-related-title')).toHaveText('Related to this alert', { timeout: 20_000 });
  await expect(page.locator('[data-testid=palette-option][data-section=related][data-kind=incident]').first()).toBeVisible();
  expect(errors).toEqual([]);
});
