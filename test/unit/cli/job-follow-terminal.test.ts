import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { followJob } from '../../../electron/cli/commands/job-follow';
import type { JobStreamItem } from '@shared/jobs/model';

// `toc job follow` prints AWX's output: with --ansi it keeps AWX's colours (SGR) and nothing else a terminal
// would act on; without it, no escape at all. AWX's own messages (explanations, errors) go through the same gate.

const ESC = '\u001b';
const hostileLines = [
  `${ESC}[0;32mok: [web-1]${ESC}[0m`,
  `${ESC}[2J${ESC}[Hcleared?`,
  `${ESC}]0;title from the playbook\u0007after title`,
  `bell\u0007 and \u009b31m C1 CSI`,
];

function fakeCore(items: JobStreamItem[]): Core {
  return {
    services: { connections: { byKind: () => [{ id: 'awx' }] } },
    dispatcher: {
      // No finished log to download: the job is followed through its events, where the hostile text is.
      call: () => Promise.resolve({ ok: true, data: null }),
      subscribe: (_t: string, _a: unknown, sink: (p: unknown) => void) => {
        queueMicrotask(() => {
          for (const i of items) sink(i);
        });
        return { ok: true, data: { stop: () => undefined } };
      },
    },
  } as unknown as Core;
}

const items: JobStreamItem[] = [
  {
    kind: 'lines',
    counter: 1,
    event: 'runner_on_ok',
    offset: 0,
    total: hostileLines.length,
    line: 0,
    lines: hostileLines,
    failed: false,
    changed: false,
    host: 'web-1',
    play: 'p',
    playId: 'p1',
    task: 't',
    taskId: 't1',
  },
  { kind: 'error', fatal: false, error: { code: 'remote_error', message: `AWX said ${ESC}]0;pwned\u0007 no` } },
  { kind: 'end', status: 'successful', complete: true, lastCounter: 1, lineCount: 4, message: '' },
];

async function follow(ansi: boolean): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const code = await followJob(fakeCore(items), {
    jobId: 7,
    ansi,
    out: { write: (c: string) => (out += c) },
    err: { write: (c: string) => (err += c) },
  });
  return { out, err, code };
}

describe('toc job follow output is terminal-safe', () => {
  it('--ansi keeps the colour codes and drops clear-screen, titles, bells and C1 controls', async () => {
    const r = await follow(true);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`${ESC}[0;32mok: [web-1]${ESC}[0m`);
    expect(r.out).toContain('cleared?');
    expect(r.out).toContain('after title');
    const withoutSgr = r.out.replace(/\u001b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex -- the test looks for control characters
    expect(withoutSgr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/); // eslint-disable-line no-control-regex -- the test looks for control characters
    expect(r.err).toContain('AWX said  no');
    expect(r.err).not.toContain(ESC);
  });

  it('without --ansi nothing but text, newlines and tabs reaches the terminal', async () => {
    const r = await follow(false);
    expect(r.out).toContain('ok: [web-1]');
    expect(r.out + r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/); // eslint-disable-line no-control-regex -- the test looks for control characters
  });
});
