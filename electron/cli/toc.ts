import { UsageError } from './args';
import { stderr, stdout } from './output';
import { packageVersion } from './paths';
import { serveCommand, serveHelp } from './commands/serve';
import { sloGateCommand, sloGateHelp, sloStatusCommand, sloStatusHelp } from './commands/slo';
import { incidentsListCommand, incidentsListHelp } from './commands/incidents';
import { jobFollowCommand, jobFollowHelp } from './commands/job-follow';
import { runbookLaunchCommand, runbookLaunchHelp } from './commands/runbook-launch';
import { reportCommand, reportHelp } from './commands/report';
import { redactStreams } from './output';
import { secretRegistry } from '../core/kernel/secrets/redact';

// `toc`: the same core as the desktop app, for pipelines, jump hosts and walls without the desktop app.
// Exit codes: 0 ok, 1 the answer is "no" (gate closed, job failed), 2 cannot tell (usage, config, unreachable).

type Command = { run: (argv: string[]) => Promise<number>; help: string };

export const commands: Record<string, Command> = {
  serve: { run: serveCommand, help: serveHelp },
  'slo status': { run: sloStatusCommand, help: sloStatusHelp },
  'slo gate': { run: sloGateCommand, help: sloGateHelp },
  'incidents list': { run: incidentsListCommand, help: incidentsListHelp },
  'job follow': { run: jobFollowCommand, help: jobFollowHelp },
  'runbook launch': { run: runbookLaunchCommand, help: runbookLaunchHelp },
  report: { run: reportCommand, help: reportHelp },
};

export function usage(): string {
  return [
    'Usage: toc <command> [options]',
    '',
    ...Object.values(commands).map((c) => c.help),
    '',
    'toc <command> --help   usage of one command',
    'toc --version          the version of toc',
    '',
  ].join('\n');
}

const HELP_FLAGS = new Set(['--help', '-h']);

/** Whether the arguments ask for help: a help flag before any `--` (after it, words are data). */
function asksForHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (HELP_FLAGS.has(a)) return true;
  }
  return false;
}

export async function main(argv: string[]): Promise<number> {
  // Every line the command prints goes through the redaction pass of the secrets this process has used.
  const restore = redactStreams((t) => secretRegistry.redact(t));
  try {
    return await run(argv);
  } finally {
    restore();
  }
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    stdout.write(usage());
    return 2;
  }
  if (HELP_FLAGS.has(name) || name === 'help') {
    stdout.write(usage());
    return 0;
  }
  if (name === '--version' || name === '-V') {
    stdout.write(`toc ${packageVersion()}\n`);
    return 0;
  }
  // Two-word commands ("slo status") are keyed as "slo status".
  const two = rest[0] ? `${name} ${rest[0]}` : '';
  const cmd = commands[two] ?? commands[name];
  const args = commands[two] ? rest.slice(1) : rest;
  if (!cmd) {
    // A group word alone ("toc slo") or with --help lists the group's commands.
    const group = Object.entries(commands).filter(([k]) => k.startsWith(`${name} `));
    if (group.length > 0 && (rest.length === 0 || asksForHelp(rest))) {
      const text = `${group.map(([, c]) => c.help).join('\n')}\n`;
      (rest.length === 0 ? stderr : stdout).write(text);
      return rest.length === 0 ? 2 : 0;
    }
    stderr.write(`toc: unknown command "${[name, ...(group.length ? rest.slice(0, 1) : [])].join(' ')}".\n${usage()}`);
    return 2;
  }
  if (asksForHelp(args)) {
    stdout.write(`${cmd.help}\n`);
    return 0;
  }
  const label = commands[two] ? two : name;
  try {
    return await cmd.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      stderr.write(`toc ${label}: ${e.message}\n${cmd.help}\n`);
      return 2;
    }
    stderr.write(`toc ${label}: ${(e as Error).message}\n`);
    return 2;
  }
}
