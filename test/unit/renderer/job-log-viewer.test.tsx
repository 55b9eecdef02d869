// @vitest-environment jsdom
// The log viewer over a million lines: only a screenful of rows exists, following shows the last line, a
// search (in slices, one per frame) finds a line far up and shows that row as current, Home goes to the first
// line and End follows again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { JobStreamItem } from '@shared/jobs/model';
import { LogModel } from '../../../renderer/src/features/jobs/log/log-model';
import { LogViewer } from '../../../renderer/src/features/jobs/log/LogViewer';

afterEach(cleanup);

// jsdom lays nothing out: the scroll box is given a height, and its scroll offset is kept as a browser keeps it.
const desc = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
const top = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTop');
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(Element.prototype, 'scrollTop', {
    configurable: true,
    get(this: { _top?: number }) {
      return this._top ?? 0;
    },
    set(this: { _top?: number }, v: number) {
      this._top = v;
    },
  });
});
afterAll(() => {
  if (desc) Object.defineProperty(Element.prototype, 'clientHeight', desc);
  if (top) Object.defineProperty(Element.prototype, 'scrollTop', top);
});

const N = 1_000_000;
const CHUNK = 4000;
const pad = (n: number): string => String(n).padStart(7, '0');

function bigModel(): LogModel {
  const m = new LogModel();
  for (let offset = 0; offset < N; offset += CHUNK) {
    const lines: string[] = [];
    for (let k = 0; k < CHUNK; k++) lines.push(`  - line ${pad(offset + k + 1)} of the big output`);
    const item: JobStreamItem = {
      kind: 'lines',
      counter: 1,
      event: 'runner_on_ok',
      offset,
      total: N,
      line: offset,
      lines,
      failed: false,
      changed: false,
      host: 'localhost',
      play: 'P',
      playId: 'p',
      task: 'T',
      taskId: 't',
    };
    m.apply([item]);
  }
  return m;
}

const rowNumbers = (): number[] => screen.getAllByTestId('job-log-line').map((r) => Number(r.getAttribute('data-line')));

describe('log viewer at a million lines', () => {
  it('renders a screenful, follows the end, finds a line far up, and goes home and back', async () => {
    const model = bigModel();
    expect(model.lineCount).toBe(N);
    render(<LogViewer model={model} version={model.version} onDownload={() => undefined} />);
    expect(screen.getByTestId('job-log').getAttribute('data-lines')).toBe(String(N));
    let shown = rowNumbers();
    // 600 px of 18 px rows plus the overscan: about 45 rows, never a million.
    expect(shown.length).toBeLessThan(80);
    expect(Math.max(...shown)).toBe(N);

    fireEvent.change(screen.getByTestId('job-search'), { target: { value: 'line 0000042 of' } });
    // The search runs a slice per frame; its count shows once every line is searched.
    await waitFor(() => expect(screen.getByTestId('job-search-count').textContent).toBe('1 of 1'), { timeout: 20_000 });
    const current = document.querySelector('[data-testid=job-log-line].log-current');
    expect(current?.getAttribute('data-line')).toBe('42');
    expect(current?.textContent).toContain('line 0000042 of the big output');
    // Going to a match leaves follow mode.
    expect(screen.getByTestId('job-follow-toggle').getAttribute('aria-pressed')).toBe('false');

    fireEvent.change(screen.getByTestId('job-search'), { target: { value: '' } });
    fireEvent.keyDown(window, { key: 'Home' });
    shown = rowNumbers();
    expect(Math.min(...shown)).toBe(1);
    fireEvent.keyDown(window, { key: 'End' });
    expect(screen.getByTestId('job-follow-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(Math.max(...rowNumbers())).toBe(N);
  });
});
