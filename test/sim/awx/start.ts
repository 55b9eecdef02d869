// CLI: `node --import tsx test/sim/awx/start.ts [--port N] [--base /api/controller/v2/] [--ws-mode lossy] [--seed N]`
// Prints one JSON line {"url","token","username","password",...} and runs until SIGTERM/SIGINT, until its
// stdin (when it is a pipe) closes, or until the process that started it goes away, so no simulator
// outlives a test run.
import { fstatSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startAwxSim } from './server';
import { defaultUsers } from './state';
import type { ApiBasePath, WsMode } from './types';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    base: { type: 'string' },
    'ws-mode': { type: 'string' },
    seed: { type: 'string' },
  },
});

const base = values.base ?? '/api/v2/';
if (base !== '/api/v2/' && base !== '/api/controller/v2/') {
  process.stderr.write(`awx-sim: --base must be /api/v2/ or /api/controller/v2/\n`);
  process.exit(2);
}
const wsMode = values['ws-mode'] ?? 'faithful';
if (!['faithful', 'lossy', 'drop', 'off'].includes(wsMode)) {
  process.stderr.write(`awx-sim: --ws-mode must be faithful, lossy, drop or off\n`);
  process.exit(2);
}

const username = process.env.AWX_SIM_USER || 'admin';
const password = process.env.AWX_SIM_PASSWORD || 'password';
const users = defaultUsers(password).map((u, i) => (i === 0 ? { ...u, username } : u));

// Handlers first: a signal that arrives while the simulator starts must still stop it cleanly.
let stopping = false;
const starting = startAwxSim({
  port: values.port ? Number(values.port) : 0,
  apiBasePath: base as ApiBasePath,
  users,
  wsMode: wsMode as WsMode,
  seed: values.seed ? Number(values.seed) : 1,
  ...(process.env.AWX_SIM_TOKEN ? { token: process.env.AWX_SIM_TOKEN } : {}),
});
const shutdown = (code: number): void => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(code), 10_000);
  force.unref();
  starting
    .then((sim) => sim.stop())
    .then(
      () => process.exit(code),
      () => process.exit(1),
    );
};

process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
process.on('SIGHUP', () => shutdown(0));

// A parent that talks to us through a pipe ends us by closing it (or by dying, which closes it too).
const stdinIsPipe = (() => {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
})();
if (stdinIsPipe) {
  process.stdin.on('end', () => shutdown(0));
  process.stdin.on('close', () => shutdown(0));
  process.stdin.on('error', () => shutdown(0));
  process.stdin.resume();
}

// Re-parented (the starter died without closing anything): stop as well.
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid !== parent) shutdown(0);
}, 1000);
watch.unref();

const sim = await starting;
if (!stopping) {
  process.stdout.write(
    `${JSON.stringify({
      url: sim.url,
      token: sim.token,
      username: sim.username,
      password: sim.password,
      apiBase: sim.apiBase,
      websocketUrl: sim.websocketUrl,
      pid: process.pid,
    })}\n`,
  );
}
