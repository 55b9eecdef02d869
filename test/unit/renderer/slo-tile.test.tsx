// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { SloTile } from '../../../renderer/src/features/slo/SloTile';
import { allFacets, matches } from '../../../renderer/src/features/slo/fleet-model';
import { sloStatusFixture } from '../../helpers/slo-status';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(cleanup);

describe('an SLO tile in a fleet over several connections', () => {
  it('names the connection that answered and how old the numbers are', () => {
    const at = new Date(Date.now() - 90_000).toISOString();
    render(
      <SloTile
        s={sloStatusFixture({ id: 'checkout', connectionId: 'prom-eu', fetchedAt: at })}
        refreshMs={60_000}
        connectionName="Prometheus EU"
      />,
    );
    expect(screen.getByTestId('slo-connection').textContent).toContain('Prometheus EU');
    expect(screen.getByTestId('slo-age').textContent).toMatch(/min|s/);
    expect(screen.queryByTestId('slo-degraded')).toBeNull();
    expect(screen.getByTestId('slo-tile').getAttribute('data-degraded')).toBe('false');
  });

  it('says the numbers are degraded, in the server’s words, and still shows them', () => {
    render(
      <SloTile
        s={sloStatusFixture({
          id: 'checkout',
          errorBudgetRemaining: 0.42,
          degraded: ['1h: No StoreAPIs matched for this query', '30m: No StoreAPIs matched for this query'],
        })}
        refreshMs={60_000}
        connectionName="Thanos Query"
      />,
    );
    const note = screen.getByTestId('slo-degraded');
    expect(note.textContent).toContain('degraded');
    expect(note.textContent).toContain('1h: No StoreAPIs matched for this query');
    expect(note.getAttribute('title')).toContain('30m: No StoreAPIs matched');
    expect(screen.getByTestId('slo-budget').textContent).toContain('42');
    expect(screen.getByTestId('slo-tile').getAttribute('data-degraded')).toBe('true');
  });

  it('shows a waiting connection’s last numbers as stale with the reason', () => {
    render(
      <SloTile
        s={sloStatusFixture({ id: 'payments', stale: true, staleReason: 'Prometheus US has not answered yet (asked 9 s ago)' })}
        refreshMs={60_000}
        connectionName="Prometheus US"
      />,
    );
    // The footer names the connection; the reason beside it does not name it again.
    expect(screen.getByTestId('slo-connection').textContent).toContain('Prometheus US');
    expect(screen.getByTestId('slo-age').textContent).toBe('stale — has not answered yet (asked 9 s ago)');
    expect(screen.getByTestId('slo-tile').textContent?.split('Prometheus US')).toHaveLength(2);
    expect(screen.getByTestId('slo-tile').getAttribute('data-stale')).toBe('true');
  });

  it('can be filtered by connection', () => {
    const eu = sloStatusFixture({ id: 'a', connectionId: 'prom-eu' });
    const us = sloStatusFixture({ id: 'b', connectionId: 'prom-us' });
    expect(allFacets([eu, us])).toEqual(expect.arrayContaining(['connection=prom-eu', 'connection=prom-us']));
    expect(matches(eu, { search: '', facets: ['connection=prom-eu'], tiers: [] })).toBe(true);
    expect(matches(us, { search: '', facets: ['connection=prom-eu'], tiers: [] })).toBe(false);
  });
});
