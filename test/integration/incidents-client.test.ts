// The ServiceNow client against the simulator: every error shape and fault mode the research lists, each
// surfacing as a contract error that quotes the instance; retries where reads may retry; OAuth refresh.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from '../sim/servicenow';
import type { SnowSim } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';
import { EncodedQuery } from '@shared/incidents/encoded-query';

let sim: SnowSim;
let h: SnowHarness;
const INCIDENT = '/api/now/table/incident';

const apiCalls = (path = INCIDENT) => sim.requests.filter((r) => r.path === path);
/** Open incidents in the sim right now (a test below adds two). */
const openCount = (): number =>
  sim
    .table('incident')
    .all()
    .filter((r) => r.active === 'true' && !['6', '7', '8'].includes(r.state ?? '')).length;

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 60, seed: 11 });
  h = await snowHarness(sim);
});

afterAll(async () => {
  await h.close();
  await sim.stop();
});

afterEach(() => {
  sim.setFault('none');
  sim.setAcl(undefined);
  sim.clearRequests();
});

const openQuery = { query: 'active=true^stateNOT IN6,7,8' };

describe('reads', () => {
  it('pages with a stable sort, asks only for the fields it shows, and skips count(*)', async () => {
    const { rows, truncated } = await h.ok('incidents.query', { ...openQuery, limit: 50_000 });
    expect(truncated).toBe(false);
    expect(rows).toHaveLength(60);
    const list = apiCalls();
    expect(list.length).toBeGreaterThanOrEqual(1);
    for (const r of list) {
      expect(r.query.sysparm_query).toMatch(/\^ORDERBYsys_id$/);
      expect(r.query.sysparm_fields?.split(',')).toContain('sys_id');
      expect(r.query.sysparm_fields?.split(',')).not.toContain('description');
      expect(r.query.sysparm_no_count).toBe('true');
    }
    // Labels come from the instance (sys_choice and dot-walked names), values stay alongside.
    const db = new Map(
      sim
        .table('incident')
        .all()
        .map((x) => [x.sys_id, x]),
    );
    for (const row of rows) {
      const src = db.get(row.sys_id);
      expect(row.priority.value).toBe(src?.priority);
      expect(row.priority.label).toMatch(/^\d - \w+/);
      expect(['New', 'In Progress', 'On Hold']).toContain(row.state.label);
      if (src?.assignment_group) expect(row.assignment_group.label).toBe(sim.table('sys_user_group').get(src.assignment_group)?.name);
    }
  });

  it('keyset paging reads every row exactly once even when pages are small', async () => {
    const svc = h.service({ sync: { pageSize: 7 } });
    const snap = await svc.list('snow');
    expect(snap.rows).toHaveLength(openCount());
    expect(new Set(snap.rows.map((r) => r.sys_id)).size).toBe(60);
    const pages = apiCalls().filter((r) => r.query.sysparm_fields?.includes('short_description'));
    expect(pages).toHaveLength(Math.ceil(60 / 7));
    expect(pages.slice(1).every((p) => /\^sys_id>[0-9a-f]{32}\^ORDERBYsys_id$/.test(p.query.sysparm_query ?? ''))).toBe(true);
  });

  it('steps over pages that row ACLs shortened (limit applies before ACLs) and misses nothing', async () => {
    sim.setAcl({ hiddenRows: { incident: 'priority=5' } });
    const visible = sim
      .table('incident')
      .all()
      .filter((r) => r.active === 'true' && !['6', '7', '8'].includes(r.state ?? '') && r.priority !== '5');
    const svc = h.service({ sync: { pageSize: 5 } });
    const snap = await svc.list('snow');
    expect(snap.rows.map((r) => r.sys_id).sort()).toEqual(visible.map((r) => r.sys_id).sort());
  });

  it('treats fields the user may not read as unknown, not as an error', async () => {
    sim.setAcl({ hiddenFields: { incident: ['u_alert_name', 'cmdb_ci'] } });
    const { rows } = await h.ok('incidents.query', openQuery);
    expect(rows).toHaveLength(openCount());
    expect(rows.every((r) => r.u_alert_name === '' && r.cmdb_ci.value === '')).toBe(true);
  });

  it('escapes user text: a caret and ^NQ in a search stay text and match literally', async () => {
    const target = sim.addIncident({
      short_description: 'Disk ^NQactive=false^ORDERBYnumber full',
      priority: '4',
      impact: '2',
      urgency: '3',
    });
    sim.addIncident({ short_description: 'Disk NQactive=false full', impact: '3', urgency: '3' });
    const q = EncodedQuery.where('short_description', 'LIKE', '^NQactive=false^ORDERBY').toString();
    const { rows } = await h.ok('incidents.query', { query: q });
    expect(rows.map((r) => r.number)).toEqual([target.number]);
  });

  it('escaping round-trips through the instance for any text (property, against the simulator)', async () => {
    const text = fc.string({
      minLength: 1,
      maxLength: 12,
      unit: fc.constantFrom('^', 'N', 'Q', 'O', 'R', '=', '<', '>', '!', ',', '@', '*', '%', 'a', 'z', ' ', 'I', 'E'),
    });
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const marker = `prop${Math.random().toString(36).slice(2, 8)}`;
        const target = sim.addIncident({ short_description: `${marker} ${t}`, impact: '3', urgency: '3' });
        let q: string;
        try {
          q = EncodedQuery.where('short_description', 'LIKE', `${marker} ${t}`).toString();
        } catch {
          return;
        }
        const { rows } = await h.ok('incidents.query', { query: q });
        expect(rows.map((r) => r.number)).toEqual([target.number]);
        sim.closeIncident(target.number ?? '');
      }),
      { numRuns: 40 },
    );
  });

  it('reads the detail with its journal newest first, authors named, and the alert behind it', async () => {
    const inc = sim
      .table('incident')
      .all()
      .find(
        (r) =>
          r.u_alert_name &&
          r.active === 'true' &&
          (
            sim
              .table('sys_journal_field')
              .indexBy('element_id')
              .get(r.sys_id ?? '') ?? []
          ).length >= 2,
      );
    if (!inc?.sys_id) throw new Error('seed has no monitored incident with notes');
    const d = await h.ok('incidents.get', { sysId: inc.sys_id });
    expect(d.number).toBe(inc.number);
    expect(d.alert).toEqual({ name: inc.u_alert_name, instance: inc.u_alert_instance });
    expect(d.caller_id.label).toBe('Prometheus Alertmanager');
    expect(d.journal.length).toBeGreaterThanOrEqual(2);
    const times = d.journal.map((j) => j.sys_created_on);
    expect([...times].sort().reverse()).toEqual(times);
    const author = sim.table('sys_user').findBy('user_name', d.journal[0]?.sys_created_by ?? '');
    expect(d.journal[0]?.author).toBe(author?.name);
    expect(d.link).toContain(`${sim.url}/nav_to.do`);
  });

  it('reads choices from sys_choice, active ones only, in the instance order', async () => {
    const c = await h.ok('incidents.choices', {});
    expect(c.hold_reason.map((x) => x.label)).toEqual(['Awaiting Caller', 'Awaiting Problem', 'Awaiting Vendor', 'Awaiting Change']);
    expect(c.close_code.map((x) => x.value)).toContain('Solution provided');
    expect(c.close_code.map((x) => x.value)).not.toContain('Solved (Permanently)');
    expect(c.change_state.map((x) => x.value)).toEqual(['-5', '-4', '-3', '-2', '-1', '0', '3', '4']);
    expect(apiCalls('/api/now/table/sys_choice').every((r) => r.query.sysparm_query?.includes('inactive=false'))).toBe(true);
  });

  it('lists change requests in flight with state labels from the instance', async () => {
    const r = await h.ok('incidents.changesInFlight', {});
    expect(r.changes.length).toBeGreaterThan(0);
    for (const c of r.changes) {
      expect(['-3', '-2', '-1', '0']).toContain(c.state.value);
      expect(['Authorize', 'Scheduled', 'Implement', 'Review']).toContain(c.state.label);
    }
  });
});

describe('error shapes, each in the instance own words', () => {
  it('404: a record that is gone or hidden', async () => {
    const e = await h.err('incidents.get', { sysId: 'f'.repeat(32) });
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/was deleted or is not visible to this connection's user/);
    expect(e.detail?.remoteMessage).toBe("No Record found: Record doesn't exist or ACL restricts the record retrieval");
  });

  it('403: a REST API ACL', async () => {
    sim.setAcl({ deniedTables: ['incident'] });
    const e = await h.err('incidents.query', openQuery);
    expect(e.code).toBe('forbidden');
    expect(e.detail?.remoteMessage).toBe('User Not Authorized: Failed API level ACL Validation');
    expect(apiCalls()).toHaveLength(1);
  });

  it('400: an unknown table is a validation error, not retried', async () => {
    const svc = h.service();
    const ctx = svc.context('snow');
    await expect(ctx.api.list({ table: 'incidentz', query: '', fields: ['sys_id'], limit: 1 })).rejects.toMatchObject({
      code: 'validation',
      detail: { remoteMessage: 'Invalid table incidentz' },
    });
  });

  it('401: wrong credentials quote the body and say what to check', async () => {
    const bad = await snowHarness(sim, { password: 'wrong' });
    try {
      const e = await bad.err('incidents.list', {});
      expect(e.code).toBe('unauthorized');
      expect(e.detail?.remoteMessage).toBe('User Not Authenticated: Required to provide Auth information');
      expect(e.message).toMatch(/answered 401.*user name and password.*OAuth/s);
    } finally {
      await bad.close();
    }
  });

  it('429 with Retry-After: waits as asked, then reads', async () => {
    sim.setFault({ mode: '429', count: 1, retryAfterSeconds: 1, match: INCIDENT });
    const { rows } = await h.ok('incidents.query', openQuery);
    expect(rows).toHaveLength(openCount());
    const [first, second] = apiCalls();
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    expect(Date.parse(second?.at ?? '') - Date.parse(first?.at ?? '')).toBeGreaterThanOrEqual(900);
  });

  it('429 asking for a longer wait than a read should block: fails at once with the wait', async () => {
    sim.setFault({ mode: '429', retryAfterSeconds: 120, match: INCIDENT });
    const e = await h.err('incidents.query', openQuery);
    expect(e.code).toBe('rate_limited');
    expect(e.detail?.retryAfter).toBe(120);
    expect(e.detail?.remoteMessage).toBe('Rate limit exceeded: Rate limit of 100 requests per hour for Table API exceeded');
    expect(apiCalls()).toHaveLength(1);
  });

  it('429 from a full semaphore (no headers) and 202 with no body: retried with back-off', async () => {
    sim.setFault({ mode: '429-semaphore', count: 2, match: INCIDENT });
    expect((await h.ok('incidents.query', openQuery)).rows).toHaveLength(openCount());
    expect(apiCalls().map((r) => r.status)).toEqual([429, 429, 200]);
    sim.clearRequests();
    sim.setFault({ mode: '202', count: 1, match: INCIDENT });
    expect((await h.ok('incidents.query', openQuery)).rows).toHaveLength(openCount());
    expect(apiCalls().map((r) => r.status)).toEqual([202, 200]);
  });

  it('500/503 once: retried; for good: the instance message, after three tries', async () => {
    sim.setFault({ mode: '503', count: 1, retryAfterSeconds: 0, match: INCIDENT });
    expect((await h.ok('incidents.query', openQuery)).rows).toHaveLength(openCount());
    sim.clearRequests();
    sim.setFault({ mode: '500', match: INCIDENT });
    const e = await h.err('incidents.query', openQuery);
    expect(e.code).toBe('remote_error');
    expect(e.detail?.status).toBe(500);
    expect(e.detail?.remoteMessage).toContain('Transaction cancelled: maximum execution time exceeded');
    expect(apiCalls()).toHaveLength(3);
  });

  it('502 from a gateway (HTML, not a login page): a server error naming the page', async () => {
    sim.setFault({ mode: '502', match: INCIDENT });
    const e = await h.err('incidents.query', openQuery);
    expect(e.code).toBe('remote_error');
    expect(e.detail?.remoteMessage).toBe('502 Bad Gateway');
  });

  it('an HTML login page instead of JSON: "session expired / SSO login needed", not a parse error', async () => {
    sim.setFault({ mode: 'html-login', match: INCIDENT });
    const e = await h.err('incidents.query', openQuery);
    expect(e.code).toBe('login_required');
    expect(e.message).toMatch(/login page \("Log in \| ServiceNow"\).*session expired or an SSO login is needed/);
    expect(e.message).not.toMatch(/JSON/);
  });

  it('a redirect to the login page: the same', async () => {
    sim.setFault({ mode: 'redirect-login', match: INCIDENT });
    const e = await h.err('incidents.query', openQuery);
    expect(e.code).toBe('login_required');
    expect(sim.requests.some((r) => r.path === '/login.do')).toBe(true);
  });

  it('a JSON body cut in half: retried once cut, reported when it stays cut', async () => {
    sim.setFault({ mode: 'truncated', count: 1, match: INCIDENT });
    expect((await h.ok('incidents.query', openQuery)).rows).toHaveLength(openCount());
    sim.setFault({ mode: 'truncated', match: INCIDENT });
    const e = await h.err('incidents.query', openQuery);
    expect(e.code).toBe('bad_response');
    expect(e.message).toMatch(/not valid JSON.*cut off/);
  });

  it('a dropped connection: retried, then reported as unreachable', async () => {
    sim.setFault({ mode: 'reset', count: 1, match: INCIDENT });
    expect((await h.ok('incidents.query', openQuery)).rows).toHaveLength(openCount());
    sim.setFault({ mode: 'reset', match: INCIDENT });
    expect((await h.err('incidents.query', openQuery)).code).toBe('unreachable');
  });

  it('slow answers: a timeout is retried; a server that stays slow is a timeout error', async () => {
    const slow = await snowHarness(sim, { timeoutMs: 1000 });
    try {
      await slow.ok('incidents.choices', {});
      sim.setFault({ mode: 'slow', count: 1, delayMs: 1600, match: INCIDENT });
      expect((await slow.ok('incidents.query', openQuery)).rows).toHaveLength(openCount());
      sim.setFault({ mode: 'slow', delayMs: 1600, match: INCIDENT });
      const e = await slow.err('incidents.query', openQuery);
      expect(e.code).toBe('timeout');
      expect(e.message).toMatch(/did not answer within 1 s/);
    } finally {
      sim.setFault('none');
      await slow.close();
    }
  });
});

describe('OAuth', () => {
  it('gets a token, refreshes it when it expires, and signs in again when the refresh token is revoked', async () => {
    const o = await snowHarness(sim, { auth: 'oauth' });
    const tokenCalls = () => sim.requests.filter((r) => r.path === '/oauth_token.do');
    try {
      await o.ok('incidents.query', openQuery);
      // The first request goes alone, so parallel reads do not each sign in.
      expect(tokenCalls()).toHaveLength(1);
      sim.expireTokens();
      sim.clearRequests();
      expect((await o.ok('incidents.query', openQuery)).rows).toHaveLength(openCount());
      // One 401 with the expired token, one refresh, the same read again with the new token.
      expect(sim.requests.map((r) => `${r.status} ${r.path}`)).toEqual([`401 ${INCIDENT}`, '200 /oauth_token.do', `200 ${INCIDENT}`]);
      sim.revokeTokens();
      sim.clearRequests();
      expect((await o.ok('incidents.query', openQuery)).rows).toHaveLength(openCount());
      expect(tokenCalls().map((r) => r.status)).toEqual([401, 200]);
    } finally {
      await o.close();
    }
  });

  it('a refused client secret says so in the instance words', async () => {
    const o = await snowHarness(sim, { auth: 'oauth', clientSecret: 'not-the-secret' });
    try {
      const e = await o.err('incidents.query', openQuery);
      expect(e.code).toBe('unauthorized');
      expect(e.message).toMatch(/OAuth token was refused \(server_error: access_denied\)/);
    } finally {
      await o.close();
    }
  });
});
