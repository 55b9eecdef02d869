// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { buildFleetPlan, evaluateFleet, parseOpenSlo, runFleetQueries, summarizeWindowErrors } from '@shared/slo';
import type { SloStatusView } from '@shared/slo/contract';
import { cardProblem, noDataTierLabel, unreachableText, warningsBesideDown } from '../../../renderer/src/features/slo/fleet-model';
import { SloTile } from '../../../renderer/src/features/slo/SloTile';
import { StaleBanner } from '../../../renderer/src/features/slo/FleetView';
import { sloStatusFixture } from '../../helpers/slo-status';
import { standardSloFiles, STANDARD_END } from '../../helpers/slo-scenarios';

// With Prometheus down, a card says so in one line that names the system once — not once per window — and
// never calls an unreachable Prometheus "no data".

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
afterEach(cleanup);

const REFUSED = 'Prometheus (prod): nothing is listening at prom.example:9090 (connection refused).';

async function downFleet(): Promise<SloStatusView[]> {
  const plan = buildFleetPlan(parseOpenSlo(standardSloFiles()).slos, { at: STANDARD_END });
  const outcomes = await runFleetQueries(plan, () => Promise.reject(new Error(REFUSED)));
  return evaluateFleet(plan, outcomes).map((s) => sloStatusFixture({ ...s, fetchedAt: null, stale: false, sparkline: [] }));
}

const count = (hay: string, needle: string): number => hay.split(needle).length - 1;

describe('one problem line per SLO card', () => {
  it('every window failing the same way is said once', async () => {
    const list = await downFleet();
    expect(list.length).toBeGreaterThan(3);
    for (const s of list) {
      expect(s.status).toBe('error');
      expect(s.error).toBe(REFUSED);
    }
  });

  it('different reasons keep the windows they belong to', () => {
    expect(summarizeWindowErrors(['5m: A', '30m: A', 'period: B', '1h: A'])).toBe('5m, 30m, 1h: A; period: B');
    expect(summarizeWindowErrors([])).toBe('');
    expect(summarizeWindowErrors(['weird error without a window'])).toBe('weird error without a window');
  });

  it('the card shows one line naming Prometheus once, an "Unreachable" badge, no "No data"', async () => {
    const [s] = await downFleet();
    if (!s) throw new Error('no status');
    const conn = { ok: false, name: 'Prometheus (prod)', error: REFUSED };
    render(<SloTile s={s} refreshMs={60_000} conn={conn} />);
    const tile = screen.getByTestId('slo-tile');
    const text = tile.textContent ?? '';
    expect(screen.getAllByTestId('slo-problem')).toHaveLength(1);
    expect(screen.getByTestId('slo-problem').dataset['kind']).toBe('unreachable');
    expect(count(text, 'Prometheus (prod)')).toBe(1);
    expect(count(text, 'connection refused')).toBe(1);
    expect(screen.getByTestId('slo-policy-badge').textContent).toBe('Unreachable');
    expect(text).not.toMatch(/no data/i);
  });

  it('the fleet\'s grey tier chip says "Unknown" when Prometheus could not be read, "No data" only when it answered empty', async () => {
    const down = await downFleet();
    expect(down.every((s) => s.policy === 'no-data')).toBe(true);
    expect(noDataTierLabel(down)).toBe('Unknown');
    const empty = sloStatusFixture({ id: 'x', status: 'no-data', policy: 'no-data', errorBudgetRemaining: null });
    const fine = sloStatusFixture({ id: 'y', status: 'ok', policy: 'normal' });
    expect(noDataTierLabel([empty, fine])).toBe('No data');
    expect(noDataTierLabel([empty, ...down])).toBe('Unknown');
    expect(noDataTierLabel([])).toBe('No data');
  });

  it("the fleet's line for a Prometheus that does not answer: its words once, one full stop", () => {
    const conn = { id: 'prom', name: 'Prometheus (prod)', ok: false, error: REFUSED, periodReadAt: null, queryCount: 0 };
    render(<StaleBanner fleet={{ connections: [{ ...conn, fetchedAt: null }] }} />);
    expect(screen.getByTestId('slo-connection-down').textContent).toBe(`${REFUSED} Retrying.`);
    cleanup();
    render(<StaleBanner fleet={{ connections: [{ ...conn, fetchedAt: new Date(Date.now() - 120_000).toISOString() }] }} />);
    expect(screen.getByTestId('slo-connection-down').textContent).toBe(
      'Prometheus (prod): nothing is listening at prom.example:9090 (connection refused) — showing the last good numbers (2 min ago), greyed. Retrying.',
    );
  });

  it('under the connection-down line, warnings that only repeat its error are left out; others stay', () => {
    const conn = { id: 'prom', name: 'Prometheus (prod)', ok: false, error: REFUSED, fetchedAt: null, periodReadAt: null, queryCount: 0 };
    const warnings = [
      { connectionId: 'prom', kind: 'connection' as const, message: REFUSED },
      {
        connectionId: 'prom',
        kind: 'connection' as const,
        message: `Recording rules could not be read from Prometheus (prod): ${REFUSED}`,
      },
      { connectionId: 'prom', kind: 'rule-error' as const, message: 'rule slo:sli_error:ratio_rate5m: many-to-many matching not allowed' },
      { connectionId: 'thanos', kind: 'connection' as const, message: 'Thanos: store gateway timed out' },
    ];
    expect(warningsBesideDown({ connections: [conn], warnings }).map((w) => w.message)).toEqual([
      'rule slo:sli_error:ratio_rate5m: many-to-many matching not allowed',
      'Thanos: store gateway timed out',
    ]);
    // Every connection up: every warning is listed.
    expect(warningsBesideDown({ connections: [{ ...conn, ok: true }], warnings })).toHaveLength(4);
  });

  it('a no-data status while the connection is down is unreachable, not "No data for this SLO"', () => {
    const s = sloStatusFixture({ id: 'x', status: 'no-data', policy: 'no-data', errorBudgetRemaining: null });
    expect(cardProblem(s, { ok: false, name: 'Prom', error: 'Prom: timed out' })).toMatchObject({
      kind: 'unreachable',
      line: 'Prom: timed out',
    });
    expect(cardProblem(s, { ok: true, name: 'Prom' })).toMatchObject({ kind: 'no-data' });
    expect(cardProblem(s)).toMatchObject({ kind: 'no-data' });
  });

  it('stale numbers: one stale line with the reason, the tier kept, no second error line', () => {
    const s = sloStatusFixture({ id: 'x', stale: true, staleReason: `offline copy synced 3 min ago — ${REFUSED}`, policy: 'caution' });
    render(<SloTile s={s} refreshMs={60_000} conn={{ ok: false, name: 'Prometheus (prod)', error: REFUSED }} />);
    expect(screen.queryByTestId('slo-problem')).toBeNull();
    expect(count(screen.getByTestId('slo-tile').textContent ?? '', 'Prometheus (prod)')).toBe(1);
    expect(screen.getByTestId('slo-policy-badge').textContent).toBe('Caution');
  });

  it("a query error keeps Prometheus's words and is not called unreachable", () => {
    const s = sloStatusFixture({ id: 'x', status: 'error', error: 'bad_data: parse error at char 5', policy: 'no-data' });
    expect(cardProblem(s, { ok: true, name: 'Prom' })).toEqual({
      kind: 'error',
      badge: 'Query error',
      line: 'bad_data: parse error at char 5',
    });
    expect(unreachableText('Prom', 'Prom: refused')).toBe('Prom: refused');
    expect(unreachableText('Prom', 'refused')).toBe('Prom could not be reached: refused');
  });
});
