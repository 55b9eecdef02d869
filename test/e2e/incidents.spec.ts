import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import type { FaultConfig, RequestLogEntry } from '../sim/servicenow';
import { E2E_SNOW_CONNECTION, E2E_SNOW_ENV, E2E_SNOW_USER } from './setup-servicenow';

// The incident queue in Chromium through `toc serve`, against the ServiceNow simulator that setup-servicenow.ts
// starts (issue 4: "work an incident from the queue to resolved, and fail to resolve without a close code").
// Every step is checked twice: what the user sees, and what ServiceNow received — read back through the
// simulator's Table API with the connection's own credentials, and its /__sim admin endpoints.

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through playwright.config.ts (global setup)`);
  return v;
};

// ---- the simulator, from the outside ----

type SnowRow = Record<string, string>;

const snowUrl = (): string => env(E2E_SNOW_ENV.url);
const headers = (): Record<string, string> => ({
  Authorization: `Basic ${Buffer.from(`${E2E_SNOW_USER}:${env(E2E_SNOW_ENV.password)}`).toString('base64')}`,
  Accept: 'application/json',
  'Content-Type': 'application/json',
});

/** Table API read, stored values (references as plain sys_ids). */
async function snowList(table: string, query: string, fields: readonly string[]): Promise<SnowRow[]> {
  const u = new URL(`/api/now/table/${table}`, snowUrl());
  u.searchParams.set('sysparm_query', query);
  u.searchParams.set('sysparm_fields', fields.join(','));
  u.searchParams.set('sysparm_exclude_reference_link', 'true');
  u.searchParams.set('sysparm_limit', '1000');
  const r = await fetch(u, { headers: headers() });
  expect(r.status, `GET ${u.pathname}?${u.searchParams.toString()}`).toBe(200);
  return ((await r.json()) as { result: SnowRow[] }).result;
}

const INCIDENT_FIELDS = [
  'sys_id',
  'number',
  'state',
  'priority',
  'assigned_to',
  'assignment_group',
  'hold_reason',
  'close_code',
  'close_notes',
  'resolved_by',
  'sys_mod_count',
  'sys_updated_on',
] as const;

/**
 * The incident as ServiceNow holds it. Read through the table (`sys_id=…`), not `incident/{sys_id}`, so that a
 * fault scoped to the record's path delays only the console's calls.
 */
async function simIncident(sysId: string): Promise<SnowRow> {
  const rows = await snowList('incident', `sys_id=${sysId}`, INCIDENT_FIELDS);
  expect(rows).toHaveLength(1);
  const row = rows[0];
  if (!row) throw new Error(`incident ${sysId} is not in the simulator`);
  return row;
}

async function simWorkNotes(sysId: string): Promise<SnowRow[]> {
  return snowList('sys_journal_field', `element_id=${sysId}^element=work_notes^ORDERBYDESCsys_created_on`, [
    'sys_id',
    'value',
    'sys_created_by',
  ]);
}

async function admin<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${snowUrl()}/__sim/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  expect(r.ok, `${method} /__sim/${path}`).toBe(true);
  return (await r.json()) as T;
}

/** A new incident, as monitoring or the service desk would open it. */
async function simAddIncident(fields: Record<string, string>): Promise<{ sysId: string; number: string }> {
  const { result } = await admin<{ result: SnowRow }>('POST', 'incidents', { fields });
  const sysId = result.sys_id ?? '';
  const number = result.number ?? '';
  expect(sysId).toMatch(/^[0-9a-f]{32}$/);
  expect(number).toMatch(/^INC\d+$/);
  return { sysId, number };
}

/** The console's writes to one incident record (PATCH /api/now/table/incident/{sys_id}). */
async function simPatches(sysId: string): Promise<RequestLogEntry[]> {
  const { requests } = await admin<{ requests: RequestLogEntry[] }>('GET', 'requests');
  return requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/table/incident/${sysId}`));
}

async function simFault(fault: FaultConfig): Promise<void> {
  await admin('POST', 'fault', fault);
}

/** The API account and one of its assignment groups (the queue's "me" and "my groups"). */
async function simMe(): Promise<{ sysId: string; name: string; groupSysId: string }> {
  const [me] = await snowList('sys_user', `user_name=${E2E_SNOW_USER}`, ['sys_id', 'name']);
  if (!me?.sys_id) throw new Error(`${E2E_SNOW_USER} is not a sys_user in the simulator`);
  const memberships = await snowList('sys_user_grmember', `user=${me.sys_id}`, ['group']);
  const group = memberships[0]?.group;
  if (!group) throw new Error(`${E2E_SNOW_USER} is in no group`);
  return { sysId: me.sys_id, name: me.name ?? '', groupSysId: group };
}

const OPEN_QUEUE = 'active=true^stateNOT IN6,7,8';

// ---- the console ----

function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** The incident view on this spec's ServiceNow connection, synced now (so incidents added by the test show). */
async function openQueue(page: Page): Promise<void> {
  await page.goto(`${env('TOC_E2E_URL')}#/incidents`);
  await page.getByTestId('incidents-connection').selectOption(E2E_SNOW_CONNECTION);
  await expect(page.getByTestId('incident-queue')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('incidents-refresh').click();
  await expect(page.getByTestId('incidents-refresh')).toHaveText('Refresh');
}

const row = (page: Page, sysId: string): Locator => page.locator(`[data-testid=incident-row][data-sys-id="${sysId}"]`);

/** Finds the incident by its number with the text filter and opens it; returns the loaded detail. */
async function openIncident(page: Page, inc: { sysId: string; number: string }): Promise<Locator> {
  await page.getByTestId('filter-text').fill(inc.number);
  await expect(page.getByTestId('queue-shown')).toHaveAttribute('data-count', '1');
  await row(page, inc.sysId).click();
  await expect(page).toHaveURL(new RegExp(`#/incidents/${inc.sysId}$`));
  const detail = page.getByTestId('incident-detail-loaded');
  await expect(detail).toHaveAttribute('data-sys-id', inc.sysId);
  return detail;
}

/** The detail shows the version ServiceNow holds now (so the next action carries the right sys_mod_count). */
async function expectDetailCurrent(detail: Locator, sysId: string): Promise<SnowRow> {
  const rec = await simIncident(sysId);
  await expect(detail).toHaveAttribute('data-mod-count', rec.sys_mod_count ?? '');
  return rec;
}

test('the queue: rows with priority colours, counts that match ServiceNow, filters', async ({ page }) => {
  const errors = errorsOf(page);
  const me = await simMe();
  const tag = `zq${randomBytes(3).toString('hex')}`;
  const p1 = await simAddIncident({
    short_description: `Checkout API returns 502 for EU cards ${tag}`,
    impact: '1',
    urgency: '1',
    assignment_group: me.groupSysId,
    u_alert_name: 'CheckoutErrorBudgetBurn',
    u_alert_instance: 'checkout-eu-1:8080',
  });
  await openQueue(page);
  await expect(row(page, p1.sysId)).toBeVisible();

  // The counts by priority are ServiceNow's open queue, counted.
  const open = await snowList('incident', OPEN_QUEUE, ['priority', 'assigned_to']);
  const by = (p: string): number => open.filter((r) => r.priority === p).length;
  const unassigned = open.filter((r) => (r.assigned_to ?? '') === '').length;
  expect(open.length).toBeGreaterThan(20);
  for (const p of ['1', '2', '3', '4', '5']) await expect(page.getByTestId(`count-p${p}`)).toHaveAttribute('data-count', String(by(p)));
  await expect(page.getByTestId('count-total')).toHaveAttribute('data-count', String(open.length));
  await expect(page.getByTestId('count-unassigned')).toHaveAttribute('data-count', String(unassigned));
  await expect(page.getByTestId('queue-shown')).toHaveAttribute('data-count', String(open.length));
  await expect(page.getByTestId('incident-queue')).toHaveAttribute('data-count', String(open.length));

  // Priority colours: each priority present has its own tone, P1 the strongest (sorted first by default).
  await expect(page.getByTestId('incident-row').first()).toHaveAttribute('data-priority', '1');
  await expect(row(page, p1.sysId).locator('.prio')).toHaveClass(/\bprio-p1\b/);
  await expect(row(page, p1.sysId).locator('.prio')).toHaveText(/^1 - Critical$/);
  const colours = new Map<string, string>();
  for (const p of ['1', '2', '3', '4']) {
    if (by(p) === 0) continue;
    const prio = page.locator(`[data-testid=incident-row][data-priority="${p}"] .prio`).first();
    await expect(prio).toHaveClass(new RegExp(`\\bprio-p${p}\\b`));
    colours.set(p, await prio.evaluate((el) => getComputedStyle(el).borderLeftColor));
  }
  expect(colours.size).toBeGreaterThanOrEqual(3);
  const p1Colour = colours.get('1');
  for (const [p, c] of colours) if (p !== '1') expect(c, `P${p} is not coloured like P1`).not.toBe(p1Colour);
  if (colours.has('2') && colours.has('3')) expect(colours.get('2')).not.toBe(colours.get('3'));

  // Unassigned: exactly ServiceNow's unassigned incidents, none with an assignee.
  expect(unassigned).toBeLessThan(open.length);
  await page.getByTestId('filter-unassigned').check();
  await expect(page.getByTestId('queue-shown')).toHaveAttribute('data-count', String(unassigned));
  await expect(page.locator('[data-testid=incident-row] .c-assigned')).not.toHaveCount(0);
  for (const cell of await page.locator('[data-testid=incident-row] .c-assigned').all()) await expect(cell).toHaveText('—');
  await expect(row(page, p1.sysId)).toBeVisible();

  // P1 (the chip is the filter), on top of unassigned.
  await page.getByTestId('count-p1').click();
  await expect(page.getByTestId('count-p1')).toHaveAttribute('aria-pressed', 'true');
  const unassignedP1 = open.filter((r) => r.priority === '1' && (r.assigned_to ?? '') === '').length;
  await expect(page.getByTestId('queue-shown')).toHaveAttribute('data-count', String(unassignedP1));
  await expect(page.locator('[data-testid=incident-row]:not([data-priority="1"])')).toHaveCount(0);
  await page.getByTestId('filter-unassigned').uncheck();
  await expect(page.getByTestId('queue-shown')).toHaveAttribute('data-count', String(by('1')));

  // Text: words anywhere in number, description, CI, group, people or the alert.
  await page.getByTestId('filter-text').fill(`checkouterrorbudgetburn ${tag}`);
  await expect(page.getByTestId('queue-shown')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('incident-row')).toHaveCount(1);
  await expect(page.getByTestId('incident-row')).toHaveAttribute('data-number', p1.number);
  await page.getByTestId('filter-text').fill(`${tag} no-such-word`);
  await expect(page.getByTestId('incidents-filtered-empty')).toBeVisible();

  await page.getByTestId('filter-reset').click();
  await expect(page.getByTestId('count-p1')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('queue-shown')).toHaveAttribute('data-count', String(open.length));
  await expect(page.getByTestId('count-mine')).toHaveAttribute('data-count', String(open.filter((r) => r.assigned_to === me.sysId).length));
  expect(errors).toEqual([]);
});

test('an incident worked from the queue to resolved: each step confirmed only once ServiceNow has it, and audited', async ({ page }) => {
  const errors = errorsOf(page);
  const me = await simMe();
  const tag = `zq${randomBytes(3).toString('hex')}`;
  const inc = await simAddIncident({
    short_description: `Payment gateway timeouts for EU cards ${tag}`,
    impact: '1',
    urgency: '1',
    assignment_group: me.groupSysId,
    u_alert_name: 'PaymentGatewayTimeouts',
    u_alert_instance: 'pgw-eu-2:9100',
  });
  await openQueue(page);

  // Found with the filters a P1 hunt uses, then opened.
  await page.getByTestId('filter-unassigned').check();
  await page.getByTestId('count-p1').click();
  await expect(row(page, inc.sysId)).toBeVisible();
  await expect(row(page, inc.sysId).locator('.c-assigned')).toHaveText('—');
  await page.getByTestId('filter-reset').click();
  const detail = await openIncident(page, inc);
  await expect(page.getByTestId('detail-short')).toHaveText(`Payment gateway timeouts for EU cards ${tag}`);
  await expect(page.getByTestId('detail-state')).toHaveText('New');
  await expect(page.getByTestId('detail-assigned')).toHaveText('—');
  await expect(page.getByTestId('detail-alert')).toContainText('PaymentGatewayTimeouts');
  await expect(page.getByTestId('detail-alert')).toContainText('pgw-eu-2:9100');
  const before = await expectDetailCurrent(detail, inc.sysId);
  expect(before.assigned_to).toBe('');

  // 1. Assign to me. ServiceNow is slow to answer: nothing is confirmed while it has not.
  await simFault({ mode: 'slow', delayMs: 2500, count: 2, match: `/table/incident/${inc.sysId}` });
  await page.getByTestId('action-assign-me').click();
  await expect(page.getByTestId('action-assign-me')).toHaveText('Assigning…');
  await expect(page.getByTestId('action-assign-me')).toBeDisabled();
  expect((await simIncident(inc.sysId)).assigned_to).toBe('');
  await expect(page.getByTestId('action-assign-me-done')).toHaveCount(0);
  await expect(page.getByTestId('detail-assigned')).toHaveText('—');
  await expect(page.getByTestId('action-assign-me-done')).toContainText('ServiceNow confirmed', { timeout: 20_000 });
  await expect(page.getByTestId('action-assign-me-done')).toContainText(`${inc.number} assigned to ${me.name}`);
  const assigned = await simIncident(inc.sysId);
  expect(assigned.assigned_to).toBe(me.sysId);
  expect(Number(assigned.sys_mod_count)).toBe(Number(before.sys_mod_count) + 1);
  expect((await simPatches(inc.sysId)).map((r) => r.status)).toEqual([200]);
  await expect(page.getByTestId('detail-assigned')).toHaveText(me.name);
  await expect(page.getByTestId('action-assign-me')).toHaveText('Assigned to you');
  await expectDetailCurrent(detail, inc.sysId);

  // 2. A work note: in the journal as this user, in the detail's journal, and the box cleared.
  const note = `Failing over pgw-eu-2 to the standby pool; card auths recovering (${tag}).`;
  await page.getByTestId('action-work-note-text').fill(note);
  await page.getByTestId('action-work-note-send').click();
  await expect(page.getByTestId('action-work-note-done')).toContainText('ServiceNow confirmed');
  await expect(page.getByTestId('action-work-note-done')).toContainText(`work note added to ${inc.number}`);
  const notes = await simWorkNotes(inc.sysId);
  // Signed by the operator (the serve's TOC_OPERATOR).
  const written = notes.find((n) => n.value === `${note}\n\n— ${E2E_SNOW_USER} via TOC Console`);
  expect(written?.sys_created_by).toBe(E2E_SNOW_USER);
  await expect(page.getByTestId('action-work-note-text')).toHaveValue('');
  await expect(page.locator('[data-testid=journal-entry][data-element=work_notes]').first()).toContainText(note);
  await expectDetailCurrent(detail, inc.sysId);

  // 3. On hold, awaiting the vendor, with a work note for why.
  const holdNote = `Waiting for the payment provider's incident ticket (${tag}).`;
  await page.getByTestId('action-hold-open').click();
  await page.getByTestId('action-hold-reason').selectOption({ label: 'Awaiting Vendor' });
  await page.getByTestId('action-hold-note').fill(holdNote);
  await page.getByTestId('action-hold-send').click();
  await expect(page.getByTestId('action-hold-done')).toContainText('ServiceNow confirmed');
  await expect(page.getByTestId('action-hold-done')).toContainText(`${inc.number} put on hold (Awaiting Vendor)`);
  const held = await simIncident(inc.sysId);
  expect(held.state).toBe('3');
  expect(held.hold_reason).toBe('4');
  expect(held.assigned_to).toBe(me.sysId);
  expect((await simWorkNotes(inc.sysId)).map((n) => n.value)).toContain(`${holdNote}\n\n— ${E2E_SNOW_USER} via TOC Console`);
  await expect(page.getByTestId('detail-state')).toHaveText('On Hold · Awaiting Vendor');
  await expect(row(page, inc.sysId).locator('.c-state')).toHaveText('On Hold · Awaiting Vendor');
  await expectDetailCurrent(detail, inc.sysId);

  // 4. Resolved with a resolution code and notes; it leaves the open queue.
  const closeNotes = `Provider fixed their EU acquirer; failed back to the primary pool (${tag}).`;
  await page.getByTestId('action-resolve-open').click();
  await page.getByTestId('action-resolve-code').selectOption({ label: 'Workaround provided' });
  await page.getByTestId('action-resolve-notes').fill(closeNotes);
  await page.getByTestId('action-resolve-send').click();
  await expect(page.getByTestId('action-resolve-done')).toContainText('ServiceNow confirmed');
  await expect(page.getByTestId('action-resolve-done')).toContainText(`${inc.number} resolved (Workaround provided)`);
  const resolved = await simIncident(inc.sysId);
  expect(resolved.state).toBe('6');
  expect(resolved.close_code).toBe('Workaround provided');
  expect(resolved.close_notes).toBe(closeNotes);
  expect(resolved.resolved_by).toBe(me.sysId);
  expect(resolved.hold_reason).toBe('');
  await expect(page.getByTestId('detail-state')).toHaveText('Resolved');
  await expect(detail).toContainText(`Workaround provided: ${closeNotes}`);
  await expect(row(page, inc.sysId)).toHaveCount(0, { timeout: 20_000 });
  const openP1 = await snowList('incident', `${OPEN_QUEUE}^priority=1`, ['sys_id']);
  await expect(page.getByTestId('count-p1')).toHaveAttribute('data-count', String(openP1.length));
  expect((await simPatches(inc.sysId)).map((r) => r.status)).toEqual([200, 200, 200, 200]);

  // Activity: one entry per step, each with ServiceNow's reference (the journal entry for the work note).
  await page.getByTestId('nav-activity').click();
  const entries = page.getByTestId('activity-row').filter({ hasText: `incident ${inc.number}` });
  await expect(entries).toHaveCount(4);
  for (const action of ['incidents.assign', 'incidents.work_note', 'incidents.hold', 'incidents.resolve']) {
    const entry = entries.filter({ has: page.locator('code', { hasText: new RegExp(`^${action.replace('.', '\\.')}$`) }) });
    await expect(entry).toHaveCount(1);
    await expect(entry).toHaveAttribute('data-outcome', 'ok');
    await expect(entry).toContainText(E2E_SNOW_CONNECTION);
    await expect(entry).toContainText(action === 'incidents.work_note' ? (written?.sys_id ?? '(no journal entry)') : inc.sysId);
  }
  expect(errors).toEqual([]);
});

test('resolving without a resolution code: refused next to the button before sending, the notes kept, nothing changed', async ({
  page,
}) => {
  const me = await simMe();
  const tag = `zq${randomBytes(3).toString('hex')}`;
  const inc = await simAddIncident({
    short_description: `Nightly export to the data lake did not run ${tag}`,
    impact: '2',
    urgency: '3',
    state: '2',
    assignment_group: me.groupSysId,
    assigned_to: me.sysId,
  });
  await openQueue(page);
  const detail = await openIncident(page, inc);
  const before = await expectDetailCurrent(detail, inc.sysId);
  const notesBefore = await simWorkNotes(inc.sysId);

  const typed = `Re-ran the export by hand after the scheduler restart; lake partitions complete (${tag}).`;
  await page.getByTestId('action-resolve-open').click();
  await expect(page.getByTestId('action-resolve-code')).toHaveValue('');
  await page.getByTestId('action-resolve-notes').fill(typed);
  await page.getByTestId('action-resolve-send').click();

  // The data policy's required fields are checked before anything is sent, next to the button.
  await expect(page.getByTestId('action-resolve-missing')).toHaveText(
    'ServiceNow requires a resolution code to resolve; nothing was sent.',
  );
  await expect(page.getByTestId('action-resolve-done')).toHaveCount(0);
  // What was typed stays, to fix and send again.
  await expect(page.getByTestId('action-resolve-notes')).toHaveValue(typed);
  await expect(page.getByTestId('detail-state')).toHaveText('In Progress');
  expect(await simPatches(inc.sysId)).toEqual([]);
  const after = await simIncident(inc.sysId);
  expect(after).toEqual(before);
  expect(await simWorkNotes(inc.sysId)).toEqual(notesBefore);
  await expect(row(page, inc.sysId)).toBeVisible();

  // With a code chosen, the kept notes go through.
  await page.getByTestId('action-resolve-code').selectOption({ label: 'Solution provided' });
  await page.getByTestId('action-resolve-send').click();
  await expect(page.getByTestId('action-resolve-done')).toContainText('ServiceNow confirmed');
  await expect(page.getByTestId('action-resolve-error')).toHaveCount(0);
  const resolved = await simIncident(inc.sysId);
  expect(resolved.state).toBe('6');
  expect(resolved.close_code).toBe('Solution provided');
  expect(resolved.close_notes).toBe(typed);

  await page.getByTestId('nav-activity').click();
  const entries = page.getByTestId('activity-row').filter({ hasText: `incident ${inc.number}` });
  // Only the resolve that was sent is in the log: the refused one never left the console.
  await expect(entries).toHaveCount(1);
  await expect(entries.and(page.locator('[data-outcome=ok]'))).toContainText(`${inc.number} resolved (Solution provided)`);
});

test('changed in ServiceNow behind the user’s back: the console warns and sends nothing until told to overwrite', async ({ page }) => {
  const me = await simMe();
  const tag = `zq${randomBytes(3).toString('hex')}`;
  const inc = await simAddIncident({
    short_description: `VPN concentrator vpn-fra-1 dropping sessions ${tag}`,
    impact: '2',
    urgency: '2',
    assignment_group: me.groupSysId,
  });
  const [colleague] = await snowList('sys_user_grmember', `group=${me.groupSysId}^user!=${me.sysId}`, ['user']);
  const colleagueId = colleague?.user ?? '';
  expect(colleagueId).toMatch(/^[0-9a-f]{32}$/);
  const [colleagueUser] = await snowList('sys_user', `sys_id=${colleagueId}`, ['name']);
  const colleagueName = colleagueUser?.name ?? '';
  expect(colleagueName).not.toBe('');

  await openQueue(page);
  const detail = await openIncident(page, inc);
  const seen = await expectDetailCurrent(detail, inc.sysId);
  await expect(page.getByTestId('detail-assigned')).toHaveText('—');

  // A colleague takes it in ServiceNow meanwhile.
  const r = await fetch(`${snowUrl()}/api/now/table/incident/${inc.sysId}`, {
    method: 'PATCH',
    headers: headers(),
    body: JSON.stringify({ assigned_to: colleagueId, state: '2' }),
  });
  expect(r.status).toBe(200);
  const theirs = await simIncident(inc.sysId);
  expect(Number(theirs.sys_mod_count)).toBe(Number(seen.sys_mod_count) + 1);
  const patchesBefore = (await simPatches(inc.sysId)).length;

  // The queue learns of it: the open detail says so before anything is sent.
  await page.getByTestId('incidents-refresh').click();
  await expect(page.getByTestId('detail-changed')).toContainText(`update ${theirs.sys_mod_count} vs ${seen.sys_mod_count} shown`);

  // "Assign to me" on the stale version is refused by the console, with what changed.
  await page.getByTestId('action-assign-me').click();
  const error = page.getByTestId('action-assign-me-error');
  await expect(error).toHaveAttribute('data-code', 'conflict');
  await expect(error).toContainText('Changed in ServiceNow since you opened it — nothing was sent');
  await expect(error.getByTestId('error-message')).toContainText(`${inc.number} changed since you opened it`);
  await expect(error.getByTestId('error-message')).toContainText(`assigned to: (empty) → ${colleagueName}`);
  await expect(page.getByTestId('action-assign-me-done')).toHaveCount(0);
  expect(await simPatches(inc.sysId)).toHaveLength(patchesBefore);
  expect(await simIncident(inc.sysId)).toEqual(theirs);

  // Overwriting is an explicit second choice.
  await page.getByTestId('action-assign-me-overwrite').click();
  await expect(page.getByTestId('action-assign-me-done')).toContainText('ServiceNow confirmed');
  await expect(page.getByTestId('action-assign-me-done')).toContainText(`${inc.number} assigned to ${me.name}`);
  const mine = await simIncident(inc.sysId);
  expect(mine.assigned_to).toBe(me.sysId);
  expect(Number(mine.sys_mod_count)).toBe(Number(theirs.sys_mod_count) + 1);
  expect(await simPatches(inc.sysId)).toHaveLength(patchesBefore + 1);
  await expect(page.getByTestId('detail-assigned')).toHaveText(me.name);
  await expect(page.getByTestId('detail-changed')).toHaveCount(0);

  await page.getByTestId('nav-activity').click();
  const entries = page.getByTestId('activity-row').filter({ hasText: `incident ${inc.number}` });
  await expect(entries).toHaveCount(2);
  await expect(entries.and(page.locator('[data-outcome=error]'))).toContainText('changed since you opened it');
  await expect(entries.and(page.locator('[data-outcome=ok]'))).toContainText(`${inc.number} assigned to ${me.name}`);
});
