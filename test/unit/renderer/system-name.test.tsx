// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { sentence, withoutSystemName } from '../../../renderer/src/app/format/system-name';
import { SloTile } from '../../../renderer/src/features/slo/SloTile';
import { sloStatusFixture } from '../../helpers/slo-status';

// A card whose footer names its Prometheus connection names it once, also when its numbers are stale or the
// connection is down: the core's message ("Demo Prometheus: nothing is listening …") loses its own mention.

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
afterEach(cleanup);

const NAME = 'Demo Prometheus';
const REFUSED = `${NAME}: nothing is listening at 127.0.0.1:47002 (connection refused).`;
const count = (hay: string, needle: string): number => hay.split(needle).length - 1;

describe('the system named once', () => {
  it('takes the name out of a message that carries it, and nothing else', () => {
    expect(withoutSystemName(REFUSED, NAME)).toBe('nothing is listening at 127.0.0.1:47002 (connection refused).');
    expect(sentence(withoutSystemName(REFUSED, NAME))).toBe('Nothing is listening at 127.0.0.1:47002 (connection refused).');
    expect(withoutSystemName(`${NAME} answered with an HTML page where JSON was expected.`, NAME)).toBe(
      'answered with an HTML page where JSON was expected.',
    );
    expect(withoutSystemName(`offline copy synced 3 min ago — ${REFUSED}`, NAME)).toBe(
      'offline copy synced 3 min ago — nothing is listening at 127.0.0.1:47002 (connection refused).',
    );
    // Another system's name, a name only as a prefix of a longer word, or no name: unchanged.
    expect(withoutSystemName('Thanos: store gateway timed out', NAME)).toBe('Thanos: store gateway timed out');
    expect(withoutSystemName('Demo Prometheus2: refused', NAME)).toBe('Demo Prometheus2: refused');
    expect(withoutSystemName(REFUSED, '')).toBe(REFUSED);
  });

  it('a stale card with its connection in the footer names the connection once', () => {
    const s = sloStatusFixture({ id: 'x', stale: true, staleReason: REFUSED, policy: 'caution', connectionId: 'demo-prometheus' });
    render(<SloTile s={s} refreshMs={60_000} conn={{ ok: false, name: NAME, error: REFUSED }} connectionName={NAME} />);
    const text = screen.getByTestId('slo-tile').textContent ?? '';
    expect(count(text, NAME)).toBe(1);
    expect(screen.getByTestId('slo-age').textContent).toBe('stale — nothing is listening at 127.0.0.1:47002 (connection refused).');
  });

  it('an unreachable card with its connection in the footer names the connection once', () => {
    const s = sloStatusFixture({
      id: 'x',
      status: 'error',
      error: REFUSED,
      policy: 'no-data',
      errorBudgetRemaining: null,
      connectionId: 'demo-prometheus',
    });
    render(<SloTile s={s} refreshMs={60_000} conn={{ ok: false, name: NAME, error: REFUSED }} connectionName={NAME} />);
    const text = screen.getByTestId('slo-tile').textContent ?? '';
    expect(count(text, NAME)).toBe(1);
    expect(screen.getByTestId('slo-problem').textContent).toBe('Nothing is listening at 127.0.0.1:47002 (connection refused).');
  });
});
