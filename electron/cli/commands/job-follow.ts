import type { Core } from '../../core/core';
import type { JobDetail, JobStreamItem } from '@shared/jobs/model';
import { exitCodeForStatus, stripAnsi } from '@shared/jobs/jobs';
import { parseFlags, parseFollowTimeout, str, UsageError } from '../args';
import { openRuntime } from '../runtime';
import { printProblems, rawStderr, rawStdout, safeWriter, stdoutIsTerminal } from '../output';
import type { Writer } from '../output';

export const jobFollowHelp = `toc job follow ID --config FILE [--connection ID] [--ansi] [--timeout SECONDS]
  Prints an AWX job's output as it runs — every line, in order, as AWX has it (colours only with --ansi or on
  a terminal). Exit 0 successful, 1 failed/error/canceled, 2 when the job cannot be followed, 3 when the log
  is incomplete (AWX never saved some events; their counter ranges are named on stderr), 4 when --timeout
  passed first (following stops; the job goes on in AWX).`;

/** Exit code of a follow whose log AWX left incomplete (whatever the job's status). */
export const EXIT_INCOMPLETE = 3;
/** Exit code of a follow stopped by its --timeout before the job ended (the job itself is left running). */
export const EXIT_STOPPED = 4;

export interface FollowOptions {
  connectionId?: string;
  jobId: number;
  ansi: boolean;
  /** Stop following after this long (a pipeline's own limit); the job is not cancelled. None: to the end. */
  timeoutMs?: number;
  out?: Writer;
  err?: Writer;
}

/** Follows a job through the contract (the same follower the app uses) and returns the exit code. */
export function followJob(core: Core, opts: FollowOptions): Promise<number> {
  // Job output and AWX's own messages are remote text: terminal-safe, with AWX's colours kept only on request.
  const out = safeWriter(() => opts.out ?? rawStdout(), { keepSgr: opts.ansi });
  const err = safeWriter(() => opts.err ?? rawStderr());
  let connectionId = opts.connectionId;
  if (!connectionId) {
    const first = core.services.connections.byKind('awx')[0];
    if (!first) {
      err.write('toc job follow: no AWX connection is configured in the workspace.\n');
      return Promise.resolve(2);
    }
    connectionId = first.id;
  }
  const deadline = opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs;
  return printFinished(core, connectionId, opts, out, err, deadline).then(
    (code) => code ?? follow(core, connectionId, opts, out, err, deadline),
  );
}

/** What a follow stopped by its deadline says: that the job goes on, and how to pick it up again. */
function stoppedText(opts: FollowOptions, status: string): string {
  const s = (opts.timeoutMs ?? 0) / 1000;
  return (
    `toc job follow: stopped following after ${s} s (--timeout); AWX job #${opts.jobId} is ${status ? `still ${status}` : 'not finished'} ` +
    `and goes on. Follow it again with: toc job follow ${opts.jobId}\n`
  );
}

/**
 * A job that has finished prints through one download request when that is provably the same text (see
 * `jobs.finishedLog`); null means follow its events instead (still running, or a gap to name).
 */
async function printFinished(
  core: Core,
  connectionId: string,
  opts: FollowOptions,
  out: Writer,
  err: Writer,
  deadline: number | undefined,
): Promise<number | null> {
  const signal = deadline === undefined ? new AbortController().signal : AbortSignal.timeout(Math.max(0, deadline - Date.now()));
  const r = await core.dispatcher.call(
    'jobs.finishedLog',
    { connectionId, jobId: opts.jobId, ansi: opts.ansi },
    { transport: 'direct', signal },
  );
  if (!r.ok || r.data === null) return null;
  const { job, text } = r.data as { job: JobDetail; text: string };
  err.write(`AWX job #${job.id} (${job.name}): ${job.status}\n`);
  if (job.resultTraceback && job.status === 'error') err.write(`${job.resultTraceback.trimEnd()}\n`);
  if (job.jobExplanation) err.write(`AWX: ${job.jobExplanation}\n`);
  out.write(text);
  err.write(`Job finished: ${job.status}.\n`);
  return exitCodeForStatus(job.status);
}

function follow(
  core: Core,
  connectionId: string,
  opts: FollowOptions,
  out: Writer,
  err: Writer,
  deadline: number | undefined,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let status = '';
    let stop: (() => void) | null = null;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (code: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      queueMicrotask(() => stop?.());
      resolve(code);
    };
    if (deadline !== undefined) {
      const stopFollowing = (): void => {
        if (settled) return;
        err.write(stoppedText(opts, status));
        finish(EXIT_STOPPED);
      };
      // The download attempt may have used the whole budget already.
      if (deadline <= Date.now()) {
        stopFollowing();
        return;
      }
      timer = setTimeout(stopFollowing, deadline - Date.now());
    }
    const onItem = (item: JobStreamItem): void => {
      switch (item.kind) {
        case 'lines': {
          let text = '';
          for (const l of item.lines) text += `${opts.ansi ? l : stripAnsi(l)}\n`;
          out.write(text);
          return;
        }
        case 'job':
          if (item.job.status !== status) {
            status = item.job.status;
            err.write(`AWX job #${item.job.id} (${item.job.name}): ${status}\n`);
          }
          if (item.job.resultTraceback && item.job.status === 'error') err.write(`${item.job.resultTraceback.trimEnd()}\n`);
          if (item.job.jobExplanation && status !== 'running') err.write(`AWX: ${item.job.jobExplanation}\n`);
          return;
        case 'notice':
          if (item.level === 'warn') err.write(`${item.message}\n`);
          return;
        case 'stats':
          return;
        case 'gap':
          // stdout stays AWX's text (which lacks these events too); the reader learns where lines are missing.
          err.write(
            `toc job follow: AWX never saved events ${item.from === item.to ? item.from : `${item.from}–${item.to}`}${item.lines !== null ? ` (${item.lines} lines)` : ''}; they are missing here.\n`,
          );
          return;
        case 'end':
          err.write(`Job finished: ${item.status}.\n`);
          if (!item.complete) {
            const ranges = (item.missing ?? []).map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',');
            err.write(`toc job follow: the log is incomplete: ${item.message}\n`);
            if (ranges) err.write(`missing counters: ${ranges}\n`);
            finish(EXIT_INCOMPLETE);
            return;
          }
          finish(exitCodeForStatus(item.status));
          return;
        case 'error':
          err.write(`toc job follow: ${item.error.message}\n`);
          if (item.fatal) finish(2);
          return;
      }
    };
    const sub = core.dispatcher.subscribe('jobs.events', { connectionId, jobId: opts.jobId }, (p) => onItem(p as JobStreamItem));
    if (!sub.ok) {
      err.write(`toc job follow: ${sub.error.message}\n`);
      finish(2);
      return;
    }
    stop = () => sub.data.stop();
  });
}

export async function jobFollowCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    connection: { type: 'string' },
    ansi: { type: 'boolean' },
    timeout: { type: 'string' },
  });
  const timeoutMs = parseFollowTimeout(values.timeout);
  const id = positionals[0];
  if (!id || positionals.length > 1 || !/^\d+$/.test(id) || Number(id) < 1) throw new UsageError('give one job id (a positive number)');
  const config = str(values.config);
  const core = await openRuntime({ ...(config ? { config } : {}), transport: 'direct', keychain: false });
  try {
    printProblems('workspace', core.services.workspaceProblems());
    const connection = str(values.connection);
    return await followJob(core, {
      ...(connection ? { connectionId: connection } : {}),
      jobId: Number(id),
      ansi: values.ansi === true || stdoutIsTerminal(),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
  } finally {
    await core.dispose();
  }
}
