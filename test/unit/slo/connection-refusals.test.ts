import { describe, expect, it } from 'vitest';
import type { ContractError } from '@shared/kernel/result';
import { ConnectionRefusals } from '../../../electron/core/features/slo/connection-refusals';
import { reportRefusal, watchRefusals } from '../../../electron/core/kernel/http/refusal-watch';

// A shared fleet refresh tells an SLO detail waiting on it of its own Prometheus's refusal, at once, and never
// of another's: the detail would otherwise show its copy, "refused", while its Prometheus answers.

const refused = (conn: string): ContractError => ({ code: 'unreachable', message: `${conn}: nothing is listening (connection refused).` });
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe('refusals of a shared refresh, per connection', () => {
  it("a detail joined to its connection hears that connection's refusal and not another's", async () => {
    const r = new ConnectionRefusals();
    r.reset();
    const heardB: string[] = [];
    const heardA: string[] = [];
    // Two details wait (each in its own call), one on each Prometheus.
    await watchRefusals(
      (e) => heardB.push(e.message),
      async () => r.join('b'),
    );
    await watchRefusals(
      (e) => heardA.push(e.message),
      async () => r.join('a'),
    );
    // The refresh, started by nobody in particular, reads both; only A refuses.
    await r.shielded(() =>
      Promise.all([
        r.run('a', async () => {
          await tick();
          reportRefusal(refused('A'));
        }),
        r.run('b', async () => tick()),
      ]),
    );
    expect(heardA).toEqual(['A: nothing is listening (connection refused).']);
    expect(heardB).toEqual([]);
  });

  it('a detail that joins after the refusal hears of it at once; after a new refresh starts, it does not', async () => {
    const r = new ConnectionRefusals();
    r.reset();
    await r.run('a', async () => reportRefusal(refused('A')));
    const late: string[] = [];
    await watchRefusals(
      (e) => late.push(e.message),
      async () => r.join('a'),
    );
    expect(late).toHaveLength(1);
    r.reset();
    const next: string[] = [];
    await watchRefusals(
      (e) => next.push(e.message),
      async () => r.join('a'),
    );
    expect(next).toEqual([]);
  });

  it('the call that starts a shared refresh does not hear its refusals directly, only through its connection', async () => {
    const r = new ConnectionRefusals();
    r.reset();
    const heard: string[] = [];
    await watchRefusals(
      (e) => heard.push(e.message),
      () => r.shielded(() => r.run('a', async () => reportRefusal(refused('A')))),
    );
    expect(heard).toEqual([]);
  });
});
