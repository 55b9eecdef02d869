// The log's line store and row window: whatever batches the lines arrive in (one-line events, chunks of a
// million-line event, colours, upper case that lower-cases to another length, empty lines), every line reads
// back as sent, search finds exactly the lines a per-line test finds, and truncation keeps exactly a prefix.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stripAnsi } from '@shared/jobs/jobs';
import type { JobStreamItem } from '@shared/jobs/model';
import { LineStore } from '../../../renderer/src/features/jobs/log/line-store';
import { LogModel } from '../../../renderer/src/features/jobs/log/log-model';
import { atEnd, centredOffset, rowWindow } from '../../../renderer/src/features/jobs/log/row-window';

const G = '\u001b[0;32m';
const R = '\u001b[0m';
const meta = { flags: 0, play: -1, task: -1, host: 'h' };

// Lines built from words that make searches hit at line starts, ends, twice in a line, across colour codes,
// with 'İ' (whose lower case is two characters long), and a bare newline inside a line (AWX splits on CRLF).
const word = fc.constantFrom('ok', 'OK', 'web1', 'fatal', 'İstanbul', 'ß', '', ' ', G, R, 'x', 'ok ok', 'bare\nnewline');
const line = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(''));
const batches = fc.array(fc.array(line, { minLength: 1, maxLength: 12 }), { maxLength: 25 });
const query = fc.constantFrom('ok', 'web', 'k o', 'i̇stanbul', 'ß', 'fatal', 'x', '0;32m', 'ok ok');

function fill(bs: string[][]): LineStore {
  const s = new LineStore();
  let carry = '';
  for (const b of bs) carry = s.append(b, meta, carry);
  return s;
}

describe('LineStore', () => {
  it('reads back every line as sent, and search agrees with a per-line test', () => {
    fc.assert(
      fc.property(batches, query, fc.nat(), (bs, q, fromSeed) => {
        const s = fill(bs);
        const all = bs.flat();
        expect(s.count).toBe(all.length);
        expect(s.lines()).toEqual(all);
        // Read out of order too (the lookup remembers the last segment).
        for (let i = all.length - 1; i >= 0; i -= 3) expect(s.text(i)).toBe(all[i]);
        for (let i = 0; i < all.length; i++) expect(s.plain(i)).toBe(stripAnsi(all[i] ?? '').toLowerCase());
        const from = all.length ? fromSeed % (all.length + 1) : 0;
        const want = all.flatMap((l, i) => (i >= from && stripAnsi(l).toLowerCase().includes(q) ? [i] : []));
        expect(s.search(q, from, [])).toEqual(want);
        // In slices with the deadline always past: every call makes progress, and together they find the same.
        const sliced: number[] = [];
        let at = from;
        let calls = 0;
        while (at < s.count) {
          const next = s.searchUntil(q, at, sliced, 0);
          expect(next).toBeGreaterThan(at);
          at = next;
          calls++;
        }
        expect(sliced).toEqual(want);
        expect(calls).toBeLessThanOrEqual(bs.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps exactly a prefix on truncation, and appends after it', () => {
    fc.assert(
      fc.property(batches, fc.nat(), (bs, seed) => {
        const s = fill(bs);
        const all = bs.flat();
        const n = all.length ? seed % (all.length + 1) : 0;
        s.truncate(n);
        expect(s.count).toBe(n);
        expect(s.lines()).toEqual(all.slice(0, n));
        s.append(['tail'], meta, '');
        expect(s.text(n)).toBe('tail');
        expect(s.search('tail', 0, [])).toEqual([n]);
      }),
      { numRuns: 200 },
    );
  });

  it('carries a colour across lines and batches of one event, and not past a reset', () => {
    const s = new LineStore();
    const open = s.append([`${G}ok: {`, '  "a": 1'], meta, '');
    expect(open).toBe(G);
    s.append([`}${R}`, 'plain'], meta, open);
    expect([0, 1, 2, 3].map((i) => s.carry(i))).toEqual(['', G, G, '']);
  });

  it('holds a million lines in a few hundred segments and finds every one', () => {
    const s = new LineStore();
    const chunk = 4000;
    for (let first = 0; first < 1_000_000; first += chunk) {
      const lines: string[] = [];
      for (let k = 0; k < chunk; k++) lines.push(`ok: line ${String(first + k).padStart(7, '0')} of the big output`);
      s.append(lines, meta, '');
    }
    expect(s.count).toBe(1_000_000);
    expect(s.search('of the big output', 0, []).length).toBe(1_000_000);
    expect(s.search('line 0999999 of', 0, [])).toEqual([999_999]);
    expect(s.text(500_000)).toBe('ok: line 0500000 of the big output');
  });
});

describe('the filtered view while the log grows', () => {
  type Kind = 'play' | 'task' | 'ok' | 'failed' | 'changed' | 'recap';
  const kind = fc.constantFrom<Kind>('play', 'task', 'ok', 'ok', 'failed', 'changed', 'recap');
  const events = fc.array(fc.tuple(kind, fc.integer({ min: 1, max: 3 })), { maxLength: 40 });

  function items(evs: [Kind, number][]): JobStreamItem[] {
    let play = 0;
    let task = 0;
    return evs.map(([k, n], i) => {
      if (k === 'play') play++;
      if (k === 'task') task++;
      const event =
        k === 'play'
          ? 'playbook_on_play_start'
          : k === 'task'
            ? 'playbook_on_task_start'
            : k === 'recap'
              ? 'playbook_on_stats'
              : 'runner_on_ok';
      return {
        kind: 'lines',
        counter: i + 1,
        event,
        offset: 0,
        total: n,
        line: 0,
        lines: Array.from({ length: n }, (_x, j) => `${k} ${i}.${j}`),
        failed: k === 'failed',
        changed: k === 'changed',
        host: 'h',
        play: `P${play}`,
        playId: k === 'recap' ? '' : `p${play}`,
        task: `T${task}`,
        taskId: k === 'recap' || k === 'play' ? '' : `t${play}.${task}`,
      };
    });
  }

  it('extended run by run, equals the view computed once over the whole log', () => {
    fc.assert(
      fc.property(
        events,
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(5), { maxLength: 3 }),
        fc.array(fc.nat(8), { maxLength: 3 }),
        (evs, f, c, plays, tasks) => {
          const o = { failedOnly: f, changedOnly: c, collapsedPlays: new Set(plays), collapsedTasks: new Set(tasks) };
          const growing = new LogModel();
          for (const item of items(evs)) {
            growing.apply([item]);
            growing.visible(o);
          }
          const whole = new LogModel();
          whole.apply(items(evs));
          const want = whole.visible({ ...o });
          const got = growing.visible(o);
          expect(got === null ? null : Array.from(got)).toEqual(want === null ? null : Array.from(want));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a filtered search in slices finds what a whole search finds', () => {
    fc.assert(
      fc.property(events, fc.constantFrom('ok', 'failed', 'changed', '1', '.2'), (evs, q) => {
        const m = new LogModel();
        m.apply(items(evs));
        const o = { failedOnly: true, changedOnly: false, collapsedPlays: new Set<number>(), collapsedTasks: new Set<number>() };
        const v = m.visible(o);
        const whole = m.search(q, v);
        const sliced: number[] = [];
        const count = v ? v.length : m.lineCount;
        let at = 0;
        while (at < count) at = m.searchUntil(q, v, at, sliced, 0);
        expect(sliced).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('a resume that drops a half-received event recomputes the view', () => {
    const m = new LogModel();
    const [a, b] = items([
      ['failed', 2],
      ['failed', 3],
    ]);
    if (!a || !b || a.kind !== 'lines' || b.kind !== 'lines') throw new Error('items');
    const o = { failedOnly: true, changedOnly: false, collapsedPlays: new Set<number>(), collapsedTasks: new Set<number>() };
    m.apply([a, { ...b, total: 5, lines: b.lines.slice(0, 2) }]);
    expect(Array.from(m.visible(o) ?? [])).toEqual([0, 1, 2, 3]);
    expect(m.resumeCounter()).toBe(2);
    expect(Array.from(m.visible(o) ?? [])).toEqual([0, 1]);
  });
});

describe('rowWindow', () => {
  const base = { rowHeight: 18, viewportHeight: 600, overscan: 10 };
  it('follows the end while pinned, whatever the last offset', () => {
    expect(rowWindow({ ...base, count: 1_000_000, topRow: 3, pinned: true })).toEqual({ start: 1_000_000 - 34 - 10, end: 1_000_000 });
    expect(rowWindow({ ...base, count: 5, topRow: 0, pinned: true })).toEqual({ start: 0, end: 5 });
    expect(rowWindow({ ...base, count: 0, topRow: 0, pinned: true })).toEqual({ start: 0, end: 0 });
  });

  it('shows the rows at the offset when not pinned, clamped to the list', () => {
    expect(rowWindow({ ...base, count: 1000, topRow: 500, pinned: false })).toEqual({ start: 490, end: 545 });
    expect(rowWindow({ ...base, count: 1000, topRow: 5000, pinned: false })).toEqual({ start: 989, end: 1000 });
    expect(rowWindow({ ...base, count: 1000, topRow: -4, pinned: false })).toEqual({ start: 0, end: 45 });
  });

  it('centres a row and knows the end', () => {
    expect(centredOffset(1000, 18, 600)).toBe(1000 * 18 - 291);
    expect(centredOffset(2, 18, 600)).toBe(0);
    expect(atEnd(1000 * 18 - 600, 1000, 18, 600)).toBe(true);
    expect(atEnd(1000 * 18 - 600 - 30, 1000, 18, 600)).toBe(false);
  });
});
