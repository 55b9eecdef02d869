// The viewer's log model: chunks accepted only in sequence (a replay after a reconnect is harmless), resume
// from the last whole event, filters and folds, search, and ANSI colours as classes.
import { describe, expect, it } from 'vitest';
import type { JobStreamItem } from '@shared/jobs/model';
import { LogModel } from '../../../renderer/src/features/jobs/log/log-model';
import { ansiSpans, carryAfter } from '../../../renderer/src/features/jobs/log/ansi';

type Lines = Extract<JobStreamItem, { kind: 'lines' }>;
const chunk = (counter: number, lines: string[], o: Partial<Lines> = {}): Lines => ({
  kind: 'lines',
  counter,
  event: 'runner_on_ok',
  offset: 0,
  total: lines.length,
  line: 0,
  lines,
  failed: false,
  changed: false,
  host: 'localhost',
  play: 'P',
  playId: 'p1',
  task: 'T',
  taskId: 't1',
  ...o,
});

const G = '\u001b[0;32m';
const R = '\u001b[0m';

function sample(): JobStreamItem[] {
  return [
    chunk(2, ['', 'PLAY [P] ****'], { event: 'playbook_on_play_start', taskId: '' }),
    chunk(3, ['', 'TASK [one] ****'], { event: 'playbook_on_task_start', task: 'one', taskId: 't1' }),
    chunk(5, [`${G}ok: [web1]${R}`], { taskId: 't1' }),
    chunk(6, ['\u001b[0;31mfatal: [web2]: FAILED!\u001b[0m'], { taskId: 't1', failed: true }),
    chunk(7, ['', 'TASK [two] ****'], { event: 'playbook_on_task_start', task: 'two', taskId: 't2' }),
    chunk(9, ['\u001b[0;33mchanged: [web1]\u001b[0m'], { taskId: 't2', changed: true }),
    chunk(10, ['', 'PLAY RECAP ****', 'web1 : ok=2'], { event: 'playbook_on_stats', playId: '', taskId: '' }),
  ];
}

describe('LogModel', () => {
  it('takes chunks in sequence, ignores replays and chunks out of place', () => {
    const m = new LogModel();
    m.apply([chunk(1, ['a', 'b', 'c'], { total: 5 })]);
    m.apply([chunk(1, ['a', 'b', 'c'], { total: 5 })]); // replay of the first chunk
    m.apply([chunk(2, ['x'])]); // the next event before the first one is whole
    m.apply([chunk(1, ['d', 'e'], { total: 5, offset: 3 })]);
    m.apply([chunk(1, ['d', 'e'], { total: 5, offset: 3 })]);
    m.apply([chunk(2, ['x'])]);
    expect(m.lines()).toEqual(['a', 'b', 'c', 'd', 'e', 'x']);
    expect(m.lastCounter).toBe(2);
    expect(m.text()).toBe('a\nb\nc\nd\ne\nx\n');
  });

  it('resumes after the last whole event, dropping a half-received one', () => {
    const m = new LogModel();
    m.apply([chunk(1, ['a']), chunk(3, ['b', 'c'], { total: 4 })]);
    expect(m.resumeCounter()).toBe(2);
    expect(m.lines()).toEqual(['a']);
    m.apply([chunk(3, ['b', 'c', 'd', 'e'])]);
    expect(m.lines()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(m.resumeCounter()).toBe(4);
  });

  it('filters to failed or changed lines with their task and play headers, and always the recap', () => {
    const m = new LogModel();
    m.apply(sample());
    const none = { failedOnly: false, changedOnly: false, collapsedPlays: new Set<number>(), collapsedTasks: new Set<number>() };
    expect(m.visible(none)).toBeNull();
    const failed = m.visible({ ...none, failedOnly: true });
    expect(Array.from(failed ?? []).map((i) => m.lineText(i))).toEqual([
      '',
      'PLAY [P] ****',
      '',
      'TASK [one] ****',
      m.lineText(5),
      '',
      'PLAY RECAP ****',
      'web1 : ok=2',
    ]);
    const changed = m.visible({ ...none, changedOnly: true });
    expect(Array.from(changed ?? []).map((i) => m.lineText(i))).toEqual([
      '',
      'PLAY [P] ****',
      '',
      'TASK [two] ****',
      m.lineText(8),
      '',
      'PLAY RECAP ****',
      'web1 : ok=2',
    ]);
  });

  it('folds a task (its header stays) and a play (everything under it)', () => {
    const m = new LogModel();
    m.apply(sample());
    const o = { failedOnly: false, changedOnly: false, collapsedPlays: new Set<number>(), collapsedTasks: new Set([0]) };
    expect(Array.from(m.visible(o) ?? [])).toEqual([0, 1, 2, 3, 6, 7, 8, 9, 10, 11]);
    const p = m.visible({ ...o, collapsedTasks: new Set<number>(), collapsedPlays: new Set([0]) });
    expect(Array.from(p ?? [])).toEqual([0, 1, 9, 10, 11]);
    expect(m.taskSections.map((s) => [s.name, s.first, s.play])).toEqual([
      ['one', 2, 0],
      ['two', 6, 0],
    ]);
  });

  it('searches without colour codes, case-insensitively, within what is shown', () => {
    const m = new LogModel();
    m.apply(sample());
    expect(m.search('WEB1', null)).toEqual([4, 8, 11]);
    expect(m.search('32m', null)).toEqual([]);
    const failed = m.visible({ failedOnly: true, changedOnly: false, collapsedPlays: new Set(), collapsedTasks: new Set() });
    expect(m.search('web', failed)).toEqual([4, 7]);
    // Incremental: only lines from `from` are searched.
    expect(m.search('web', null, 6)).toEqual([8, 11]);
  });

  it('keeps the job, stats, notices, the end and fatal errors', () => {
    const m = new LogModel();
    m.apply([{ kind: 'stats', hosts: [{ host: 'web1', ok: 1, changed: 0, failures: 0, dark: 0, skipped: 0, rescued: 0, ignored: 0 }] }]);
    m.apply([{ kind: 'notice', level: 'warn', message: 'polling' }]);
    m.apply([{ kind: 'end', status: 'failed', complete: true, lastCounter: 9, lineCount: 0, message: 'done' }]);
    m.apply([{ kind: 'error', fatal: true, error: { code: 'not_found', message: 'gone' } }]);
    expect(m.stats?.[0]?.host).toBe('web1');
    expect(m.notice).toEqual({ level: 'warn', message: 'polling' });
    expect(m.end?.status).toBe('failed');
    expect(m.error?.code).toBe('not_found');
  });
});

describe('ANSI colour as classes', () => {
  it('maps basic, bright, 256 and true colours to the 16 theme classes', () => {
    expect(ansiSpans('plain')).toEqual([{ text: 'plain', cls: '' }]);
    expect(ansiSpans(`${G}ok: [localhost]${R} done`)).toEqual([
      { text: 'ok: [localhost]', cls: 'ansi-fg-green' },
      { text: ' done', cls: '' },
    ]);
    expect(ansiSpans('\u001b[1;31mfatal\u001b[0m')).toEqual([{ text: 'fatal', cls: 'ansi-fg-red ansi-bold' }]);
    expect(ansiSpans('\u001b[92mB\u001b[0m\u001b[38;5;196mP\u001b[0m\u001b[38;2;250;250;0mT\u001b[0m\u001b[44mbg\u001b[0m')).toEqual([
      { text: 'B', cls: 'ansi-fg-bright-green' },
      { text: 'P', cls: 'ansi-fg-bright-red' },
      { text: 'T', cls: 'ansi-fg-bright-yellow' },
      { text: 'bg', cls: 'ansi-bg-blue' },
    ]);
  });

  it('carries a colour opened on one line into the next lines of the same event', () => {
    const m = new LogModel();
    m.apply([chunk(1, [`${G}ok: [localhost] => {`, '    "msg": "hi"', `}${R}`]), chunk(2, ['after'])]);
    expect([0, 1, 2, 3].map((i) => m.carryAt(i))).toEqual(['', G, G, '']);
    expect(ansiSpans(m.lineText(1), m.carryAt(1))).toEqual([{ text: '    "msg": "hi"', cls: 'ansi-fg-green' }]);
    expect(carryAfter(`}${R}`, G)).toBe('');
    expect(carryAfter('no codes', G)).toBe(G);
    // An event boundary resets the colour.
    expect(m.carryAt(3)).toBe('');
  });
});

describe('gaps: events AWX never saved', () => {
  it('are kept where they belong, once, and move the resume point past them', () => {
    const m = new LogModel();
    m.apply([chunk(1, ['a']), { kind: 'gap', from: 2, to: 3, lines: 4 }, chunk(4, ['b', 'c'])]);
    expect(m.lines()).toEqual(['a', 'b', 'c']);
    expect(m.gaps).toEqual([{ at: 1, from: 2, to: 3, lines: 4 }]);
    expect(m.gapBefore.get(1)).toMatchObject({ from: 2, to: 3 });
    // A replay after a reconnect repeats the gap: it is not added twice.
    m.apply([{ kind: 'gap', from: 2, to: 3, lines: 4 }]);
    expect(m.gaps).toHaveLength(1);
    m.apply([{ kind: 'gap', from: 5, to: 5, lines: null }]);
    expect(m.gaps.at(-1)).toEqual({ at: 3, from: 5, to: 5, lines: null });
    expect(m.resumeCounter()).toBe(6);
    // The text is still AWX's (which lacks those events too).
    expect(m.text()).toBe('a\nb\nc\n');
  });
});
