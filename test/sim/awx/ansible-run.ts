// Runs the real `ansible-playbook` for a job, inside a temp directory of its own, with the simulator's
// callback plugin writing one JSON record per event to file descriptor 3.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseRecord, type CallbackRecord } from './event-records';
import { prepareWorkdir } from './fixtures';
import type { Inventory, SimJob } from './types';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PLAYBOOK_DIR = join(HERE, 'playbooks');
export const CALLBACK_DIR = join(HERE, 'callback');

export interface RunHandlers {
  record(record: CallbackRecord): void;
  /** Output ansible wrote outside the callback plugin (e.g. errors before it loaded), one line at a time. */
  rawLine(text: string): void;
  closed(code: number | null, signal: NodeJS.Signals | null): void;
  spawnFailed(error: Error): void;
}

export interface AnsibleRun {
  readonly child: ChildProcess;
  readonly args: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Ask ansible to stop (SIGINT to ansible-playbook, as Ctrl-C would). */
  interrupt(): void;
  /** Kill the whole process group (ansible and its forks). */
  kill(): void;
  readonly closed: Promise<void>;
}

/** Splits a byte stream into lines without decoding partial UTF-8 sequences. */
function onLines(stream: Readable, handle: (line: string) => void, flushPartial: boolean): () => void {
  let pending: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl + 1));
      handle(Buffer.concat(pending).toString('utf8'));
      pending = [];
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  });
  return () => {
    if (flushPartial && pending.length > 0) handle(Buffer.concat(pending).toString('utf8'));
    pending = [];
  };
}

function inventoryText(inventory: Inventory): string {
  // Every host runs on this machine: the simulator never opens SSH connections.
  const hosts = inventory.hosts.map((h) => h.name).join('\n');
  return `[all]\n${hosts}\n\n[all:vars]\nansible_connection=local\nansible_python_interpreter=/usr/bin/python3\n`;
}

export interface RunSetup {
  rootDir: string;
  inventory: Inventory;
  apiUrl: string;
}

export async function startAnsibleRun(job: SimJob, setup: RunSetup, handlers: RunHandlers): Promise<AnsibleRun> {
  const jobDir = join(setup.rootDir, `job_${job.id}`);
  const projectDir = join(jobDir, 'project');
  const work = join(jobDir, 'work');
  const home = join(jobDir, 'home');
  const tmp = join(jobDir, 'tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  await cp(PLAYBOOK_DIR, projectDir, { recursive: true });
  await prepareWorkdir(
    job.playbook,
    work,
    setup.inventory.hosts.map((h) => h.name),
  );
  const inventoryFile = join(jobDir, 'inventory', 'hosts');
  await mkdir(dirname(inventoryFile), { recursive: true });
  await writeFile(inventoryFile, inventoryText(setup.inventory));
  const extraVarsFile = join(jobDir, 'env', 'extravars');
  await mkdir(dirname(extraVarsFile), { recursive: true });
  await writeFile(extraVarsFile, JSON.stringify(job.extraVars));
  // The simulator's own variables come last so launch-time variables cannot redirect the job outside its dir.
  const simVarsFile = join(jobDir, 'env', 'simvars');
  await writeFile(simVarsFile, JSON.stringify({ sim_workdir: work }));
  const configFile = join(jobDir, 'ansible.cfg');
  await writeFile(configFile, '[defaults]\n');

  const args = ['-i', inventoryFile, '-e', `@${extraVarsFile}`, '-e', `@${simVarsFile}`];
  if (job.limit) args.push('--limit', job.limit);
  if (job.jobTags) args.push('--tags', job.jobTags);
  if (job.skipTags) args.push('--skip-tags', job.skipTags);
  if (job.jobType === 'check') args.push('--check');
  if (job.diffMode) args.push('--diff');
  if (job.forks > 0) args.push('--forks', String(job.forks));
  if (job.verbosity > 0) args.push(`-${'v'.repeat(job.verbosity)}`);
  args.push(job.playbook);

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HOME: home,
    TMPDIR: tmp,
    PYTHONDONTWRITEBYTECODE: '1',
    ANSIBLE_CONFIG: configFile,
    ANSIBLE_FORCE_COLOR: '1',
    ANSIBLE_NOCOWS: '1',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_LOCAL_TEMP: join(tmp, 'local'),
    ANSIBLE_REMOTE_TEMP: join(tmp, 'remote'),
    ANSIBLE_CALLBACK_PLUGINS: CALLBACK_DIR,
    ANSIBLE_STDOUT_CALLBACK: 'awx_sim',
    AWX_SIM_EVENTS_FD: '3',
    JOB_ID: String(job.id),
    INVENTORY_ID: String(setup.inventory.id),
    AWX_HOST: setup.apiUrl,
  };

  const child = spawn('ansible-playbook', args, {
    cwd: projectDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    // Own process group, so cancel and stop reach the forks too.
    detached: true,
  });

  const flushes: (() => void)[] = [];
  const events = child.stdio[3] as Readable | null;
  if (events) {
    flushes.push(
      onLines(
        events,
        (line) => {
          const record = parseRecord(line);
          if (record) handlers.record(record);
        },
        false,
      ),
    );
  }
  if (child.stdout) flushes.push(onLines(child.stdout, handlers.rawLine, true));
  if (child.stderr) flushes.push(onLines(child.stderr, handlers.rawLine, true));

  const closed = new Promise<void>((resolve) => {
    let done = false;
    const finish = (report: () => void): void => {
      if (done) return;
      done = true;
      for (const flush of flushes) flush();
      report();
      resolve();
    };
    child.once('error', (error) => {
      // Only a failed spawn ends the run here; a running child always ends with 'close'.
      if (child.pid === undefined) finish(() => handlers.spawnFailed(error));
    });
    child.once('close', (code, signal) => finish(() => handlers.closed(code, signal)));
  });

  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };

  return {
    child,
    args: ['ansible-playbook', ...args],
    cwd: projectDir,
    env,
    interrupt: () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGINT');
        } catch {
          // Already gone.
        }
      }
    },
    kill: () => signalGroup('SIGKILL'),
    closed,
  };
}
