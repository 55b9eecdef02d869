import { UsageError } from './args';
import { serveCommand, serveHelp } from './commands/serve';
import { sloGateCommand, sloGateHelp, sloStatusCommand, sloStatusHelp } from './commands/slo';
import { incidentsListCommand, incidentsListHelp } from './commands/incidents';
import { jobFollowCommand, jobFollowHelp } from './commands/job-follow';
import { runbookLaunchCommand, runbookLaunchHelp } from './commands/runbook-launch';
import { redactStreams } from './redact-output';
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
};

export function usage(): string {
  return ['Usage: toc <command> [options]', '', ...Object.values(commands).map((c) => c.help), ''].join('\n');
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
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  // Two-word commands ("slo status") are keyed as "slo status".
  const two = rest[0] ? `${name} ${rest[0]}` : '';
  const cmd = commands[two] ?? commands[name];
  const args = commands[two] ? rest.slice(1) : rest;
  if (!cmd) {
    process.stderr.write(`toc: unknown command "${name}".\n${usage()}`);
    return 2;
  }
  try {
    return await cmd.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`toc ${name}: ${e.message}\n${cmd.help}\n`);
      return 2;
    }
    process.stderr.write(`toc ${name}: ${(e as Error).message}\n`);
    return 2;
  }
}
