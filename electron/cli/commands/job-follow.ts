import type { Core } from '../../core/core';
import type { JobStreamItem } from '@shared/jobs/model';
import { exitCodeForStatus, stripAnsi } from '@shared/jobs/jobs';
import { parseFlags, str, UsageError } from '../args';
import { openRuntime } from '../runtime';

export const jobFollowHelp = `toc job follow ID --config FILE [--connection ID] [--ansi]
  Prints an AWX job's output as it runs — every line, in order, as AWX has it (colours only with --ansi or on
  a terminal). Exit 0 successful, 1 failed/error/canceled, 2 when the job cannot be followed.`;

export interface Writer {
  write(chunk: string): unknown;
}

export interface FollowOptions {
  connectionId?: string;
  jobId: number;
  ansi: boolean;
  out?: Writer;
  err?: Writer;
}

/** Follows a job through the contract (the same follower the app uses) and returns the exit code. */
export function followJob(core: Core, opts: FollowOptions): Promise<number> {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  let connectionId = opts.connectionId;
  if (!connectionId) {
    const first = core.services.connections.byKind('awx')[0];
    if (!first) {
      err.write('toc job follow: no AWX connection is configured in the workspace.\n');
      return Promise.resolve(2);
    }
    connectionId = first.id;
  }
  return new Promise<number>((resolve) => {
    let status = '';
    let stop: (() => void) | null = null;
    let settled = false;
    const finish = (code: number): void => {
      if (settled) return;
      settled = true;
      queueMicrotask(() => stop?.());
      resolve(code);
    };
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
        case 'end':
          if (!item.complete) err.write(`warning: ${item.message}\n`);
          err.write(`Job finished: ${item.status}.\n`);
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
  });
  const id = positionals[0];
  if (!id || positionals.length > 1 || !/^\d+$/.test(id) || Number(id) < 1) throw new UsageError('give one job id (a positive number)');
  const config = str(values.config);
  const core = await openRuntime({ ...(config ? { config } : {}), transport: 'direct', keychain: false });
  try {
    for (const p of core.services.workspaceProblems())
      process.stderr.write(`workspace: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
    const connection = str(values.connection);
    return await followJob(core, {
      ...(connection ? { connectionId: connection } : {}),
      jobId: Number(id),
      ansi: values.ansi === true || process.stdout.isTTY === true,
    });
  } finally {
    await core.dispose();
  }
}
