// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { WallBanner } from '../../../renderer/src/features/wall/WallView';

// The wall's banner says which system does not answer and why, naming the system once: the core's messages
// name their system themselves ("Demo Prometheus answered with an HTML page …"), the banner already did.

afterEach(cleanup);

const NOW = Date.UTC(2026, 11, 7, 4, 30);

describe('wall banner', () => {
  it('one line per system, the system named once, the reason in the system’s own words', () => {
    render(
      <WallBanner
        linkDown={false}
        now={NOW}
        down={[
          {
            system: 'Demo Prometheus',
            reason: 'Demo Prometheus answered with an HTML page where JSON was expected.',
            lastGoodAt: NOW - 90_000,
          },
          {
            system: 'Demo ServiceNow',
            reason: 'Demo ServiceNow: nothing is listening at 127.0.0.1:47003 (connection refused).',
            lastGoodAt: null,
          },
          {
            system: 'Demo ServiceNow',
            reason: 'Demo ServiceNow: nothing is listening at 127.0.0.1:47003 (connection refused).',
            lastGoodAt: null,
          },
          { system: 'Demo AWX', reason: 'HTTP 403 from the proxy: "Forbidden"', lastGoodAt: null },
        ]}
      />,
    );
    const lines = screen.getAllByTestId('wall-banner-system').map((l) => l.textContent ?? '');
    expect(lines).toEqual([
      'Demo Prometheus unreachable — answered with an HTML page where JSON was expected. · last good data 1 min ago',
      'Demo ServiceNow unreachable — nothing is listening at 127.0.0.1:47003 (connection refused).',
      'Demo AWX unreachable — HTTP 403 from the proxy: "Forbidden"',
    ]);
  });
});
