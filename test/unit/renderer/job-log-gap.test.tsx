// @vitest-environment jsdom
// The log viewer marks a gap (events AWX never saved) on the line where it is, names it in the footer, and
// "Go to gap" scrolls there with the keyboard or the mouse.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { JobStreamItem } from '@shared/jobs/model';
import { LogModel } from '../../../renderer/src/features/jobs/log/log-model';
import { LogViewer } from '../../../renderer/src/features/jobs/log/LogViewer';

afterEach(cleanup);

// jsdom lays nothing out: give the scroll box a size so the virtualised list renders its rows.
const sizes = { clientHeight: 600, clientWidth: 1000, offsetHeight: 600, offsetWidth: 1000 };
const saved = Object.fromEntries(
  Object.keys(sizes).map((k) => [
    k,
    Object.getOwnPropertyDescriptor(k.startsWith('client') ? Element.prototype : HTMLElement.prototype, k),
  ]),
);
beforeAll(() => {
  for (const [k, v] of Object.entries(sizes))
    Object.defineProperty(k.startsWith('client') ? Element.prototype : HTMLElement.prototype, k, { configurable: true, get: () => v });
});
afterAll(() => {
  for (const [k, d] of Object.entries(saved))
    if (d) Object.defineProperty(k.startsWith('client') ? Element.prototype : HTMLElement.prototype, k, d);
});

const lines = (counter: number, text: string[]): JobStreamItem => ({
  kind: 'lines',
  counter,
  event: 'runner_on_ok',
  offset: 0,
  total: text.length,
  line: 0,
  lines: text,
  failed: false,
  changed: false,
  host: 'web1',
  play: 'P',
  playId: 'p',
  task: 'T',
  taskId: 't',
});

describe('log viewer gaps', () => {
  it('marks the line after the missing events and lists every gap in the footer', () => {
    const model = new LogModel();
    model.apply([
      lines(1, ['first', 'second']),
      { kind: 'gap', from: 2, to: 4, lines: 5 },
      lines(5, ['after the gap']),
      { kind: 'gap', from: 6, to: 6, lines: null },
      { kind: 'end', status: 'successful', complete: false, lastCounter: 6, lineCount: 3, message: 'incomplete', missing: [] },
    ]);
    render(<LogViewer model={model} version={model.version} onDownload={() => undefined} />);
    const marks = screen.getAllByTestId('job-log-gap');
    expect(marks).toHaveLength(1);
    const row = marks[0]?.closest('[data-testid=job-log-line]') as HTMLElement;
    expect(row.getAttribute('data-line')).toBe('3');
    expect(row.className).toContain('log-gap-before');
    expect(within(row).getByText('after the gap')).toBeTruthy();
    expect(marks[0]?.textContent).toBe('⚠ missing above: AWX never saved events 2–4 (5 lines)');
    const summary = screen.getByTestId('job-log-gaps');
    expect(summary.textContent).toContain('2 gaps: AWX never saved events 2–4 (5 lines), event 6 (the last after the final line)');
    const go = screen.getByTestId('job-log-next-gap');
    expect(go.tagName).toBe('BUTTON');
    expect(screen.queryByTestId('job-follow-resume')).toBeNull();
    fireEvent.click(go);
    // Going to the gap leaves follow mode, as any scroll away from the end does.
    expect(screen.getByTestId('job-follow-resume')).toBeTruthy();
  });

  it('a complete log shows no gap', () => {
    const model = new LogModel();
    model.apply([lines(1, ['only'])]);
    render(<LogViewer model={model} version={model.version} onDownload={() => undefined} />);
    expect(screen.queryByTestId('job-log-gap')).toBeNull();
    expect(screen.queryByTestId('job-log-gaps')).toBeNull();
  });
});
