import { describe, expect, it } from 'vitest';
import { ContractFailure } from '@shared/kernel/result';
import type { HttpClient, HttpRequest } from '../../../electron/core/kernel/http/types';
import { readAggregateCounts } from '../../../electron/core/features/insights/aggregate';
import { consoleLaunches, incidentOfExtraVars } from '../../../electron/core/features/insights/awx-insights';
import { incidentOf, incidentWindowQuery } from '../../../electron/core/features/insights/snow-insights';

// The edges of what the insights reads accept from ServiceNow and AWX: the shapes real instances send, and
// what a misbehaving one might.

const scope = { from: Date.parse('2026-10-01T00:00:00Z'), to: Date.parse('2026-11-01T00:00:00Z'), afterMs: 86_400_000 };

function http(answer: (req: HttpRequest) => unknown): HttpClient & { seen: HttpRequest[] } {
  const seen: HttpRequest[] = [];
  return {
    seen,
    request: async <T>(req: HttpRequest) => {
      seen.push(req);
      const body = answer(req);
      if (body instanceof Error) throw body;
      return { status: 200, headers: {}, body: body as T, url: req.path };
    },
  };
}

describe('Aggregate API counts', () => {
  it('asks per priority and per alert name for exactly the period, in UTC stored values', async () => {
    const h = http((req) => ({
      result: [
        { stats: { count: '7' }, groupby_fields: [{ field: String(req.query?.sysparm_group_by), value: '1' }] },
        { stats: { count: '3' }, groupby_fields: [{ field: String(req.query?.sysparm_group_by), value: '' }] },
      ],
    }));
    const r = await readAggregateCounts(h, { ...scope, group: 'g1' });
    expect(r.ok && [...r.counts.openedByPriority]).toEqual([
      ['1', 7],
      ['', 3],
    ]);
    expect(h.seen.map((q) => q.query)).toContainEqual({
      sysparm_query: 'opened_at>=2026-10-01 00:00:00^opened_at<2026-11-01 00:00:00^assignment_group=g1',
      sysparm_count: 'true',
      sysparm_group_by: 'priority',
      sysparm_display_value: 'false',
    });
    expect(h.seen.map((q) => q.query?.sysparm_query)).toContain(
      'resolved_at>=2026-10-01 00:00:00^resolved_at<2026-11-01 00:00:00^assignment_group=g1',
    );
  });

  it('falls back (ok: false, in the instance’s words) on 403, 404, 400 and junk; other failures are errors', async () => {
    const refused = await readAggregateCounts(
      http(() => new ContractFailure('forbidden', 'HTTP 403', { status: 403, remoteMessage: 'User Not Authorized' })),
      scope,
    );
    expect(refused).toEqual({ ok: false, reason: '403: User Not Authorized' });
    expect(
      (
        await readAggregateCounts(
          http(() => new ContractFailure('not_found', 'HTTP 404', { status: 404 })),
          scope,
        )
      ).ok,
    ).toBe(false);
    expect(
      (
        await readAggregateCounts(
          http(() => new ContractFailure('validation', 'HTTP 400', { status: 400 })),
          scope,
        )
      ).ok,
    ).toBe(false);
    expect(
      (
        await readAggregateCounts(
          http(() => '<html>login</html>'),
          scope,
        )
      ).ok,
    ).toBe(false);
    expect(
      (
        await readAggregateCounts(
          http(() => ({ result: [{ stats: { count: 'many' }, groupby_fields: [{ field: 'priority', value: '1' }] }] })),
          scope,
        )
      ).ok,
    ).toBe(false);
    await expect(
      readAggregateCounts(
        http(() => new ContractFailure('unreachable', 'connection refused')),
        scope,
      ),
    ).rejects.toThrow('connection refused');
  });
});

describe('AWX remediation jobs', () => {
  it('reads incident_number from JSON or YAML extra_vars, and nothing from anything else', () => {
    expect(incidentOfExtraVars('{"incident_number": "INC0010042", "x": 1}')).toBe('INC0010042');
    expect(incidentOfExtraVars('---\nsnow_incident: INC0010043\n')).toBe('INC0010043');
    expect(incidentOfExtraVars({ incident_number: ' INC0010044 ' })).toBe('INC0010044');
    expect(incidentOfExtraVars('')).toBeNull();
    expect(incidentOfExtraVars('---')).toBeNull();
    expect(incidentOfExtraVars('{"incident_number": "$encrypted$"}')).toBeNull();
    expect(incidentOfExtraVars('{"incident_number": 42}')).toBeNull();
    expect(incidentOfExtraVars('{"ticket": "INC0010045"}')).toBeNull();
    expect(incidentOfExtraVars('{not json: [')).toBeNull();
    expect(incidentOfExtraVars('[1,2]')).toBeNull();
  });

  it('finds console launches in the audit log, with the incident they were for', () => {
    const launches = consoleLaunches([
      {
        id: '1',
        at: 'x',
        who: 'a',
        action: 'jobs.launch',
        target: 't',
        connectionId: 'awx',
        outcome: 'ok',
        remoteRef: 'job 12',
        message: 'AWX job #12 launched (from runbook "R"; for INC0010001)',
      },
      {
        id: '2',
        at: 'x',
        who: 'a',
        action: 'jobs.relaunch',
        target: 't',
        connectionId: 'awx',
        outcome: 'ok',
        remoteRef: 'job 13',
        message: 'relaunched as AWX job #13',
      },
      { id: '3', at: 'x', who: 'a', action: 'jobs.launch', target: 't', connectionId: 'awx', outcome: 'error', message: 'refused' },
      { id: '4', at: 'x', who: 'a', action: 'jobs.cancel', target: 't', connectionId: 'awx', outcome: 'ok', remoteRef: 'job 14' },
    ]);
    expect([...launches]).toEqual([
      ['awx#12', 'INC0010001'],
      ['awx#13', ''],
    ]);
  });
});

describe('ServiceNow incident reads', () => {
  it('reads whatever was open at some moment of the period, or opened in the window after it', () => {
    expect(incidentWindowQuery(scope)).toBe(
      'opened_at<2026-11-02 00:00:00^sys_updated_on>=2026-10-01 00:00:00^NQopened_at<2026-11-02 00:00:00^active=true',
    );
  });

  it('maps stored values; a closed or canceled incident without resolved_at ended when it was last updated', () => {
    const base = {
      sys_id: 'a',
      number: 'INC1',
      opened_at: '2026-10-01 00:00:00',
      sys_updated_on: '2026-10-03 00:00:00',
      'assignment_group.name': 'DBA',
    };
    expect(incidentOf({ ...base, state: '8', resolved_at: '', closed_at: '' })?.endedAt).toBe(Date.parse('2026-10-03T00:00:00Z'));
    expect(incidentOf({ ...base, state: '2', resolved_at: '' })?.endedAt).toBeNull();
    expect(incidentOf({ ...base, state: '6', resolved_at: '2026-10-02 00:00:00' })).toMatchObject({
      resolvedAt: Date.parse('2026-10-02T00:00:00Z'),
      groupName: 'DBA',
    });
    // A display value (user time zone and format) is not a stored value: the record is skipped, not misdated.
    expect(incidentOf({ ...base, opened_at: '01/10/2026 02:00:00' })).toBeNull();
    expect(incidentOf({ ...base, opened_at: { display_value: 'x', value: '2026-10-01 00:00:00' } })?.openedAt).toBe(
      Date.parse('2026-10-01T00:00:00Z'),
    );
  });
});
