// Runs several `toc` commands one after another in one process (one start-up instead of one per command):
//   node --import tsx test/helpers/run-toc-each.ts [--unredacted] '[["slo","status"],["incidents","list"]]'
// Before each command the secret registry is emptied, so a command is only protected by what it used itself.
// Each command's output is preceded by "@@toc <args>" on stdout and stderr; a command still running after
// TOC_EACH_LIMIT_MS (default 15 s) is abandoned and reported as "@@hung". --unredacted runs the commands
// without the output redaction pass (to prove the leak check can fail).
import { commands, main } from '../../electron/cli/toc';
import { secretRegistry } from '../../electron/core/kernel/secrets/redact';

const args = process.argv.slice(2);
const unredacted = args[0] === '--unredacted';
const list = JSON.parse(args[unredacted ? 1 : 0] ?? '[]') as string[][];
const limit = Number(process.env.TOC_EACH_LIMIT_MS ?? 15_000);

async function runOne(argv: string[]): Promise<number> {
  if (!unredacted) return main(argv);
  const [a = '', b = '', ...rest] = argv;
  const two = commands[`${a} ${b}`];
  const cmd = two ?? commands[a];
  if (!cmd) throw new Error(`no command ${a} ${b}`);
  return cmd.run(two ? rest : [b, ...rest]);
}

for (const argv of list) {
  secretRegistry.clear();
  const marker = `\n@@toc ${argv.join(' ')}\n`;
  process.stdout.write(marker);
  process.stderr.write(marker);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const code = await Promise.race([
    runOne(argv).catch((e: unknown) => {
      process.stderr.write(`@@threw ${String(e)}\n`);
      return -1;
    }),
    new Promise<string>((r) => (timer = setTimeout(() => r('hung'), limit))),
  ]);
  clearTimeout(timer);
  process.stdout.write(`\n@@${code === 'hung' ? 'hung' : `exit ${code}`}\n`);
}
process.exit(0);
