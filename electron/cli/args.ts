import { parseArgs } from 'node:util';

export class UsageError extends Error {}

/** Parses flags for one subcommand; unknown flags are a usage error that names them. */
export function parseFlags<T extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>>(
  argv: string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function str(v: string | boolean | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The overall deadline of a one-shot command, in seconds (default 60): every request ends by then. */
export const DEFAULT_DEADLINE_SECONDS = 60;

export function parseDeadline(v: string | boolean | string[] | undefined): number {
  if (v === undefined) return DEFAULT_DEADLINE_SECONDS * 1000;
  const n = Number(typeof v === 'string' ? v.trim().replace(/s$/, '') : NaN);
  if (!Number.isFinite(n) || n < 1 || n > 3600)
    throw new UsageError(`--timeout must be a number of seconds from 1 to 3600, not "${String(v)}"`);
  return n * 1000;
}

/** A follow's own limit: none unless asked (a job runs as long as it runs), at most a week. */
export const FOLLOW_TIMEOUT_MAX_SECONDS = 7 * 24 * 3600;

export function parseFollowTimeout(v: string | boolean | string[] | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(typeof v === 'string' ? v.trim().replace(/s$/, '') : NaN);
  if (!Number.isFinite(n) || n < 1 || n > FOLLOW_TIMEOUT_MAX_SECONDS)
    throw new UsageError(`--timeout must be a number of seconds from 1 to ${FOLLOW_TIMEOUT_MAX_SECONDS}, not "${String(v)}"`);
  return n * 1000;
}
