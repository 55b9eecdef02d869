import type { ContractError } from '@shared/kernel/result';
import { DEFAULT_MAX_RETRY_AFTER_SECONDS } from '../core/kernel/http/http-client';
import { terminalSafe } from './terminal-safe';
import type { TerminalSafeOptions } from './terminal-safe';

// The CLI's only way to the terminal: every line goes through terminalSafe, because most of what the CLI prints
// quotes a remote system. A test fails if a file under electron/cli writes to process.stdout/stderr directly.

export interface Writer {
  write(chunk: string): unknown;
}

/** A writer that makes text terminal-safe before handing it on (looked up at write time, so tests can spy). */
export function safeWriter(target: () => Writer, opts: TerminalSafeOptions = {}): Writer {
  return { write: (chunk: string) => target().write(terminalSafe(chunk, opts)) };
}

/** The process's streams, for wrapping in safeWriter only. */
export const rawStdout = (): Writer => process.stdout;
export const rawStderr = (): Writer => process.stderr;
export const stdoutIsTerminal = (): boolean => process.stdout.isTTY === true;

export const stdout: Writer = safeWriter(() => process.stdout);
export const stderr: Writer = safeWriter(() => process.stderr);
/** Standard output for job logs that keep their colours (`--ansi`, or a terminal). */
export const colourStdout: Writer = safeWriter(() => process.stdout, { keepSgr: true });

export interface Problem {
  file: string;
  line?: number | undefined;
  field?: string | undefined;
  message: string;
}

/** `workspace: FILE:LINE FIELD: MESSAGE`, one line per problem, the way every command reports them. */
export function printProblems(prefix: string, problems: readonly Problem[], to: Writer = stderr): void {
  for (const p of problems) to.write(`${prefix}: ${p.file}${p.line ? `:${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}\n`);
}

// Codes where nothing came back from the remote system: quoting "X said" would blame it for our network.
const NOT_FROM_THE_REMOTE = new Set(['unreachable', 'dns', 'tls', 'timeout', 'cancelled', 'offline']);

/**
 * An error as the CLI prints it: the message, the remote system's own words when it said something we did not
 * already quote, and — for a 429 whose Retry-After is longer than toc waits by itself — when to try again.
 */
export function cliErrorText(
  e: Pick<ContractError, 'code' | 'message'> & { detail?: ContractError['detail'] | undefined },
  system: string,
  now: number = Date.now(),
): string {
  let text = e.message;
  const remote = e.detail?.remoteMessage;
  if (remote && !text.includes(remote) && !NOT_FROM_THE_REMOTE.has(e.code) && e.detail?.status !== undefined)
    text += ` (${system} said: ${remote})`;
  const wait = e.detail?.retryAfter;
  if (e.code === 'rate_limited' && wait !== undefined && wait > 0) {
    const at = new Date(now + wait * 1000).toISOString().slice(11, 19);
    const longer = wait > DEFAULT_MAX_RETRY_AFTER_SECONDS ? ', longer than toc waits on its own' : '';
    text += ` ${system} asked to wait ${wait} s (Retry-After)${longer}; try again after ${at} UTC.`;
  }
  return text;
}

// The CLI's other edge: every byte the command writes to stdout and stderr passes one redaction pass that knows
// the secrets this process has used. Commands print remote words in many places (a table cell, a job's output, a
// warning, an error); wrapping the two streams once means a new print cannot forget it.

type Write = typeof process.stdout.write;

/**
 * Wraps the streams' write so each chunk is scrubbed; returns a function that puts the originals back. A
 * secret split across two writes is not caught: every command writes whole lines.
 */
export function redactStreams(
  redact: (text: string) => string,
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): () => void {
  const originals = streams.map((s) => s.write);
  streams.forEach((stream, i) => {
    const original = originals[i] as Write;
    const wrapped = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      let out = chunk;
      if (typeof chunk === 'string') out = redact(chunk);
      else if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
        const scrubbed = redact(text);
        if (scrubbed !== text) out = scrubbed;
      }
      return (original as (...a: unknown[]) => boolean).call(this, out, ...rest);
    };
    stream.write = wrapped as Write;
  });
  return () =>
    streams.forEach((stream, i) => {
      stream.write = originals[i] as Write;
    });
}
