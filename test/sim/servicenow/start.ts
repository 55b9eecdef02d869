// CLI: node --import tsx test/sim/servicenow/start.ts [--port N] [--incidents N] [--seed N] [--history N]
//        [--users N] [--time-zone TZ] [--date-format FMT] [--token-ttl SECONDS]
// Prints one JSON line {"url","username","password","clientId","clientSecret"} once listening, then serves
// until SIGTERM/SIGINT, until its stdin (when a pipe) closes, or until its parent process goes away —
// so a crashed test runner never leaves a simulator behind.
import { fstatSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultCredentials, startServiceNowSim } from './server';
import { DATE_FORMATS } from './time-format';
import type { DateFormat } from './time-format';

// Captured before anything slow runs, so a parent that dies during start-up is still noticed.
const parent = process.ppid;

function intOption(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

function isDateFormat(v: string): v is DateFormat {
  return (DATE_FORMATS as readonly string[]).includes(v);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      incidents: { type: 'string' },
      history: { type: 'string' },
      seed: { type: 'string' },
      users: { type: 'string' },
      'time-zone': { type: 'string' },
      'date-format': { type: 'string' },
      'token-ttl': { type: 'string' },
    },
    strict: true,
  });
  const dateFormat = values['date-format'];
  if (dateFormat !== undefined && !isDateFormat(dateFormat)) throw new Error(`--date-format must be one of ${DATE_FORMATS.join(', ')}`);
  const tokenTtl = intOption(values['token-ttl'], 'token-ttl');
  const port = intOption(values.port, 'port');
  const incidents = intOption(values.incidents, 'incidents');
  const history = intOption(values.history, 'history');
  const seed = intOption(values.seed, 'seed');
  const users = intOption(values.users, 'users');

  const defaults = defaultCredentials();
  const sim = await startServiceNowSim({
    ...(port !== undefined ? { port } : {}),
    ...(incidents !== undefined ? { incidents } : {}),
    ...(history !== undefined ? { historyIncidents: history } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(users !== undefined ? { users } : {}),
    ...(values['time-zone'] !== undefined ? { timeZone: values['time-zone'] } : {}),
    ...(dateFormat !== undefined ? { dateFormat } : {}),
    ...(tokenTtl !== undefined
      ? { oauth: { clientId: defaults.clientId, clientSecret: defaults.clientSecret, tokenTtlSeconds: tokenTtl } }
      : {}),
  });
  const { username, password, clientId, clientSecret } = sim.credentials;
  process.stdout.write(`${JSON.stringify({ url: sim.url, username, password, clientId, clientSecret })}\n`);

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGHUP', shutdown);

  // Only a pipe or socket on stdin means "a parent holds the other end"; /dev/null or a TTY would end
  // (or never end) for unrelated reasons.
  const stdin = fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket()) {
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
    process.stdin.on('error', shutdown);
    process.stdin.resume();
  }

  const watchdog = setInterval(() => {
    let alive = process.ppid === parent;
    if (alive) {
      try {
        process.kill(parent, 0);
      } catch (err) {
        // EPERM means it exists but belongs to someone else; only ESRCH means gone.
        alive = (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (!alive) shutdown();
  }, 1000);
  watchdog.unref();
}

main().catch((err: unknown) => {
  process.stderr.write(`servicenow sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
