import { ACTIVE_JOB_STATUSES, TERMINAL_JOB_STATUSES } from './model';

// Small pure facts about AWX jobs both sides need: which statuses are final, how a job's log text is built from
// its events (exactly as AWX's `stdout?format=txt` builds it), and which target a production launch names.

export const isActiveStatus = (s: string): boolean => (ACTIVE_JOB_STATUSES as readonly string[]).includes(s);
export const isTerminalStatus = (s: string): boolean => (TERMINAL_JOB_STATUSES as readonly string[]).includes(s);

/** `toc job follow` exit code: 0 successful, 1 failed/error/canceled. */
export const exitCodeForStatus = (s: string): 0 | 1 => (s === 'successful' ? 0 : 1);

const ESC = String.fromCharCode(27);
const ANY_SGR = new RegExp(`${ESC}\\[[^m]*m`, 'g');

/** Removes colour codes the way AWX's txt format does (every `ESC[…m`). */
export function stripAnsi(text: string): string {
  return text.indexOf(ESC) === -1 ? text : text.replace(ANY_SGR, '');
}

/** An event's stdout as lines: AWX separates lines with `\r\n`; an event without output has none. */
export function eventLines(stdout: string): string[] {
  return stdout === '' ? [] : stdout.split('\r\n');
}

/** The job's text from its lines, as AWX's txt/txt_download joins them: every line followed by `\n`. */
export function logText(lines: readonly string[], ansi = false): string {
  let out = '';
  for (const l of lines) out += `${ansi ? l : stripAnsi(l)}\n`;
  return out;
}

/** Variables that name the host a runbook acts on, in the order they are looked for. */
export const TARGET_VARIABLES = ['target_host', 'target', 'host', 'hostname'] as const;

/**
 * What the engineer types to confirm a production launch: the limit when there is one, else the first target
 * variable that has a value, else the template's name.
 */
export function productionTarget(input: { limit?: string | undefined; vars?: Record<string, unknown>; templateName: string }): string {
  const limit = input.limit?.trim();
  if (limit) return limit;
  for (const name of TARGET_VARIABLES) {
    const v = input.vars?.[name];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number') return String(v);
  }
  return input.templateName;
}

/** The production target of a launch: what it sends on top of the template's own limit and variables. */
export function launchTarget(
  defaults: { vars: Record<string, unknown>; limit: string },
  templateName: string,
  launch: { limit?: string | undefined; vars?: Record<string, unknown> },
): string {
  return productionTarget({
    limit: launch.limit?.trim() || defaults.limit,
    vars: { ...defaults.vars, ...(launch.vars ?? {}) },
    templateName,
  });
}

/** Elapsed seconds as "4.2 s", "3 min 05 s", "1 h 02 min". */
export function formatElapsed(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.floor(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
