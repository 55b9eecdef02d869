import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from './server';
import type { SnowSim } from './sim-types';
import { call, list, parse, parseLink } from './test-helpers';

describe('paging headers and limits', () => {
  let sim: SnowSim;
  let active: number;

  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 120, seed: 21, clock: () => Date.UTC(2026, 4, 4, 12, 0, 0) });
    active = sim
      .table('incident')
      .all()
      .filter((r) => r.active === 'true').length;
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('sends X-Total-Count and first/prev/next/last links that echo the request', async () => {
    const params = { sysparm_query: 'active=true^ORDERBYnumber', sysparm_fields: 'number', sysparm_limit: '25', sysparm_offset: '50' };
    const page = await list(sim, 'incident', params);
    expect(page.total).toBe(active);
    expect(page.records).toHaveLength(25);
    const links = parseLink(page.link);
    expect(Object.keys(links)).toEqual(['first', 'prev', 'next', 'last']);
    const offsetOf = (href: string | undefined): string | null => new URL(href ?? '').searchParams.get('sysparm_offset');
    expect(offsetOf(links.first)).toBe('0');
    expect(offsetOf(links.prev)).toBe('25');
    expect(offsetOf(links.next)).toBe('75');
    expect(offsetOf(links.last)).toBe(String(Math.floor((active - 1) / 25) * 25));
    const next = new URL(links.next ?? '');
    expect(next.origin + next.pathname).toBe(`${sim.url}/api/now/table/incident`);
    expect(next.searchParams.get('sysparm_query')).toBe('active=true^ORDERBYnumber');
    expect(next.searchParams.get('sysparm_fields')).toBe('number');
    expect(next.searchParams.get('sysparm_limit')).toBe('25');
    // The header format has no space before rel.
    expect(page.link).toMatch(/^<http:[^>]+>;rel="first",<http:[^>]+>;rel="prev",/);
  });

  it('omits prev on the first page and next on the last', async () => {
    const first = parseLink((await list(sim, 'incident', { sysparm_query: 'active=true', sysparm_limit: '40' })).link);
    expect(Object.keys(first)).toEqual(['first', 'next', 'last']);
    const lastOffset = Math.floor((active - 1) / 40) * 40;
    const last = await list(sim, 'incident', { sysparm_query: 'active=true', sysparm_limit: '40', sysparm_offset: String(lastOffset) });
    expect(Object.keys(parseLink(last.link))).toEqual(['first', 'prev', 'last']);
    expect(last.records).toHaveLength(active - lastOffset);
    const beyond = await list(sim, 'incident', { sysparm_query: 'active=true', sysparm_limit: '40', sysparm_offset: String(active + 10) });
    expect(beyond.records).toEqual([]);
    expect(beyond.status).toBe(200);
  });

  it('collects every row exactly once when following rel="next" with a unique sort', async () => {
    const seen: string[] = [];
    let url: string | undefined =
      `/api/now/table/incident?sysparm_query=${encodeURIComponent('active=true^ORDERBYsys_id')}&sysparm_fields=sys_id&sysparm_limit=17`;
    while (url !== undefined) {
      const r = await call(sim, 'GET', url);
      const body = parse(r) as { result: { sys_id: string }[] };
      seen.push(...body.result.map((x) => x.sys_id));
      url = parseLink(r.headers.get('link')).next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(active);
  });

  it('shows duplicates or gaps when a client pages unsorted while records change', async () => {
    const all = new Set(
      sim
        .table('incident')
        .all()
        .map((r) => r.sys_id ?? ''),
    );
    const seen: string[] = [];
    for (let offset = 0; offset < all.size; offset += 30) {
      const page = await list(sim, 'incident', { sysparm_fields: 'sys_id', sysparm_limit: '30', sysparm_offset: String(offset) });
      seen.push(...page.records.map((r) => String(r.sys_id)));
      sim.touchIncidents(40);
    }
    const unique = new Set(seen);
    const missed = [...all].filter((id) => !unique.has(id)).length;
    expect(seen.length - unique.size + missed).toBeGreaterThan(0);
  });

  it('rejects a non-positive or non-numeric sysparm_limit with 400', async () => {
    for (const limit of ['0', '-5', 'abc', '2.5']) {
      const r = await call(sim, 'GET', '/api/now/table/incident', { params: { sysparm_limit: limit } });
      expect(r.status, limit).toBe(400);
      expect(parse(r)).toEqual({
        error: { message: 'Invalid value given for sysparm_limit', detail: 'sysparm_limit value must be a positive integer' },
        status: 'failure',
      });
    }
  });

  it('defaults sysparm_limit to 10000 rows', async () => {
    const all = await list(sim, 'incident', { sysparm_fields: 'sys_id' });
    expect(all.records.length).toBe(sim.table('incident').size);
    const links = parseLink(all.link);
    expect(new URL(links.first ?? '').searchParams.get('sysparm_limit')).toBe('10000');
    expect(links.next).toBeUndefined();
  });

  it('drops X-Total-Count with sysparm_no_count and Link with sysparm_suppress_pagination_header', async () => {
    const noCount = await list(sim, 'incident', { sysparm_limit: '10', sysparm_no_count: 'true' });
    expect(noCount.total).toBeUndefined();
    expect(Object.keys(parseLink(noCount.link))).toEqual(['first', 'next']);
    const noLink = await list(sim, 'incident', { sysparm_limit: '10', sysparm_suppress_pagination_header: 'true' });
    expect(noLink.link).toBeNull();
    expect(noLink.total).toBe(sim.table('incident').size);
  });

  it('returns 200 with an empty array when nothing matches', async () => {
    const none = await list(sim, 'incident', { sysparm_query: 'number=INC9999999' });
    expect(none.records).toEqual([]);
    expect(none.total).toBe(0);
  });
});
