// A private, throw-away Secret Service for tests: its own D-Bus session bus and gnome-keyring-daemon, with HOME and
// the XDG directories in a temp dir, so the real user's keyring is never touched.
//
// One bash supervisor owns every process. Its stdin is a pipe from this process: commands arrive on it, and when
// this process exits or dies (even by SIGKILL) the pipe closes, the supervisor kills the daemon and the bus and
// removes the temp dir. A time limit (default 30 min) covers a parent that hangs instead of dying.
//
// libsecret and process.env (checked with keytar 7.9 / libsecret 0.20 / gnome-keyring 42):
// - A DBUS_SESSION_BUS_ADDRESS assigned to process.env before keytar's first call IS used (Node's setenv reaches
//   the C environment GDBus reads), and a first call that fails for want of a bus does not stop a later one.
// - Once a call has connected, GDBus keeps that bus for the life of the process: changing the variable later
//   has no effect, and after the daemon restarts libsecret keeps naming the dead one (":1.1"), even on a bus
//   that has a new daemon. So each process gets one keyring; scenarios that need another bus, no bus, or a
//   fresh start run in a child process (runKeychainChild).
// - A call the store stopped waiting for still occupies a libuv thread, and Node joins its thread pool on exit:
//   a process with a hung call exits only when libsecret gives up (25 s). runKeychainChild kills such a child.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * - `unlocked`: a daemon with an unlocked login keyring (the normal desktop).
 * - `locked`: the same, locked right after start (what a screen lock or a fresh login without PAM leaves).
 * - `no-daemon`: a bus with no Secret Service on it ("…was not provided by any .service files").
 * - `hang`: a bus on which org.freedesktop.secrets is activatable but never appears, so every call hangs until
 *   libsecret's own D-Bus call gives up (GDBus's default 25 s; the bus's activation timeout is set far longer):
 *   a real hanging keychain.
 */
export type KeyringMode = 'unlocked' | 'locked' | 'no-daemon' | 'hang';

export interface TestKeyringOptions {
  mode?: KeyringMode;
  /** The supervisor tears everything down after this long even if the test process is still alive. */
  ttlSeconds?: number;
  /** How long the bus waits for an activatable service (mode `hang`). */
  activationTimeoutMs?: number;
}

export interface TestKeyring {
  /** Root of everything the keyring writes (HOME, XDG dirs, the bus socket); removed by stop(). */
  dir: string;
  busAddress: string;
  /**
   * Environment for a process that should use this keyring: the current one without any desktop session
   * (no DISPLAY, WAYLAND_DISPLAY or other bus), plus the private bus and HOME/XDG dirs inside `dir`.
   */
  env: NodeJS.ProcessEnv;
  /** Starts (or restarts) the daemon on this bus with the keyring's password; resolves once it owns its name. */
  startDaemon(): Promise<void>;
  /** Kills the daemon and waits until its name is gone from the bus. */
  stopDaemon(): Promise<void>;
  /** Locks the login collection through the Secret Service API. */
  lock(): Promise<void>;
  /** Unlocks the login collection through gnome-keyring's control socket (what pam_gnome_keyring does). */
  unlock(): Promise<void>;
  stop(): Promise<void>;
}

const TOOLS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon', 'bash'] as const;

/** Whether this machine can run the real-keychain tests (Linux with D-Bus and gnome-keyring installed). */
export function keyringToolsAvailable(): boolean {
  if (process.platform !== 'linux') return false;
  return TOOLS.every((t) => spawnSync('bash', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status === 0);
}

const SESSION_VARS = [
  'DBUS_SESSION_BUS_ADDRESS',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'GNOME_KEYRING_CONTROL',
  'XDG_SESSION_TYPE',
  'XDG_CURRENT_DESKTOP',
];

/** The current environment minus everything that would lead libsecret to a desktop session's bus or keyring. */
export function envWithoutSessionBus(base: NodeJS.ProcessEnv = process.env, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of SESSION_VARS) delete env[k];
  return { ...env, ...extra };
}

/** HOME, TMPDIR and the XDG directories all inside `root`, so anything a process writes lands where a test can scan it. */
export function sandboxDirsEnv(root: string): NodeJS.ProcessEnv {
  return {
    HOME: path.join(root, 'home'),
    TMPDIR: path.join(root, 'tmp'),
    XDG_DATA_HOME: path.join(root, 'data'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    XDG_CACHE_HOME: path.join(root, 'cache'),
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
  };
}

// Runs as `bash -c SCRIPT supervisor DIR MODE TTL ACTIVATION_MS`; the keyring password is the first stdin line
// (kept out of argv and the environment, where other processes could read it).
const SUPERVISOR = String.raw`
set -u
dir=$1; mode=$2; ttl=$3; activation_ms=$4
bus_pid=; gk_pid=; addr=
IFS= read -r pw || exit 1

cleanup() {
  [ -n "$gk_pid" ] && kill "$gk_pid" 2>/dev/null
  [ -f "$dir/hang.pid" ] && kill "$(cat "$dir/hang.pid")" 2>/dev/null
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf -- "$dir"
}
# PIPE: a parent that died while we answered it. EXIT runs cleanup on every way out, including set -u errors.
trap 'exit 0' TERM INT HUP PIPE
trap cleanup EXIT

mkdir -p "$dir/home" "$dir/tmp" "$dir/data" "$dir/config" "$dir/cache" "$dir/state" "$dir/run" "$dir/services"
chmod 700 "$dir/run"
export HOME="$dir/home" TMPDIR="$dir/tmp" XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" \
  XDG_CACHE_HOME="$dir/cache" XDG_STATE_HOME="$dir/state" XDG_RUNTIME_DIR="$dir/run"
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL DBUS_SESSION_BUS_ADDRESS
if [ "$mode" = hang ]; then
  # Activatable, but the "daemon" only records its pid and sleeps: callers wait for the bus's activation timeout.
  # (A script file, because dbus-daemon rejects service files whose Exec line needs shell escapes.)
  printf '#!/bin/sh\necho $$ > "%s/hang.pid"\nexec sleep %s\n' "$dir" "$ttl" > "$dir/hang.sh"
  printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/sh %s/hang.sh\n' "$dir" > "$dir/services/org.freedesktop.secrets.service"
fi
cat > "$dir/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/run/bus</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$dir/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="service_start_timeout">$activation_ms</limit>
</busconfig>
EOF

dbus-daemon --config-file="$dir/bus.conf" --nofork --print-address=1 > "$dir/bus.address" 2> "$dir/bus.log" &
bus_pid=$!
for _ in $(seq 1 200); do [ -s "$dir/bus.address" ] && break; sleep 0.05; done
if [ ! -s "$dir/bus.address" ]; then echo "error start dbus-daemon did not start: $(tail -n 3 "$dir/bus.log" | tr '\n' ' ')"; exit 1; fi
addr=$(head -n 1 "$dir/bus.address")

secrets_owned() {
  dbus-send --bus="$addr" --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}

start_daemon() {
  [ -n "$gk_pid" ] && kill -0 "$gk_pid" 2>/dev/null && return 0
  printf '%s' "$pw" | DBUS_SESSION_BUS_ADDRESS="$addr" gnome-keyring-daemon --unlock --components=secrets --foreground >> "$dir/keyring.log" 2>&1 &
  gk_pid=$!
  for _ in $(seq 1 200); do
    secrets_owned && return 0
    kill -0 "$gk_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "gnome-keyring-daemon did not start: $(tail -n 3 "$dir/keyring.log" | tr '\n' ' ')"
  return 1
}

stop_daemon() {
  [ -n "$gk_pid" ] && kill "$gk_pid" 2>/dev/null && wait "$gk_pid" 2>/dev/null
  gk_pid=
  for _ in $(seq 1 100); do secrets_owned || return 0; sleep 0.05; done
  echo "org.freedesktop.secrets is still owned"
  return 1
}

lock() {
  dbus-send --bus="$addr" --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login 2>&1 >/dev/null
}

`;

// The control loop, appended to the functions above. start_daemon must run in this shell (not in $( )) so the
// daemon's pid survives for stop_daemon and cleanup.
const SUPERVISOR_MAIN = String.raw`
start() {
  case $mode in
    unlocked) start_daemon > "$dir/start.out" || return 1 ;;
    locked) { start_daemon && lock; } > "$dir/start.out" || return 1 ;;
  esac
  return 0
}
if ! start; then echo "error start $(tr '\n' ' ' < "$dir/start.out")"; exit 1; fi
echo "ready $addr"

deadline=$((SECONDS + ttl))
while :; do
  left=$((deadline - SECONDS)); [ "$left" -le 0 ] && break
  IFS= read -r -t "$left" cmd || break
  case $cmd in
    start-daemon) if start_daemon > "$dir/cmd.out" 2>&1; then echo "ok $cmd"; else echo "error $cmd $(tr '\n' ' ' < "$dir/cmd.out")"; fi ;;
    stop-daemon) if stop_daemon > "$dir/cmd.out" 2>&1; then echo "ok $cmd"; else echo "error $cmd $(tr '\n' ' ' < "$dir/cmd.out")"; fi ;;
    lock) if lock > "$dir/cmd.out" 2>&1; then echo "ok $cmd"; else echo "error $cmd $(tr '\n' ' ' < "$dir/cmd.out")"; fi ;;
    quit) break ;;
    *) echo "error $cmd unknown command" ;;
  esac
done
`;

function script(): string {
  return SUPERVISOR + SUPERVISOR_MAIN;
}

function tempRoot(): string {
  // The bus socket path must fit in sun_path (108 bytes); a long TMPDIR falls back to /tmp.
  const base = os.tmpdir().length > 60 ? '/tmp' : os.tmpdir();
  return realpathSync(mkdtempSync(path.join(base, 'toc-keyring-')));
}

class Supervisor {
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly early: string[] = [];
  private exited = false;

  constructor(readonly child: ChildProcess) {
    const stdout = child.stdout;
    if (!stdout) throw new Error('supervisor has no stdout');
    createInterface({ input: stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.early.push(line);
      this.updateRef();
    });
    child.on('exit', () => {
      this.exited = true;
      for (const w of this.waiting.splice(0)) w('error exit supervisor exited');
    });
    this.updateRef();
  }

  /** Next line from the supervisor. */
  line(timeoutMs: number): Promise<string> {
    const ready = this.early.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.exited) return Promise.resolve('error exit supervisor exited');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(done);
        if (i >= 0) this.waiting.splice(i, 1);
        this.updateRef();
        reject(new Error(`keyring supervisor did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (line: string): void => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiting.push(done);
      this.updateRef();
    });
  }

  async command(cmd: string, timeoutMs = 20_000): Promise<void> {
    this.child.stdin?.write(`${cmd}\n`);
    const reply = await this.line(timeoutMs);
    if (reply !== `ok ${cmd}`) throw new Error(`keyring ${cmd} failed: ${reply}`);
  }

  // The supervisor must not keep a test process alive on its own, but must while we wait for an answer.
  private updateRef(): void {
    const busy = this.waiting.length > 0;
    for (const s of [this.child.stdout, this.child.stdin]) {
      if (s instanceof net.Socket) {
        if (busy) s.ref();
        else s.unref();
      }
    }
    if (busy) this.child.ref();
    else this.child.unref();
  }
}

export async function startKeyring(opts: TestKeyringOptions = {}): Promise<TestKeyring> {
  const mode = opts.mode ?? 'unlocked';
  const dir = tempRoot();
  const password = randomBytes(18).toString('hex');
  const child = spawn(
    'bash',
    ['-c', script(), 'toc-keyring-supervisor', dir, mode, String(opts.ttlSeconds ?? 1800), String(opts.activationTimeoutMs ?? 600_000)],
    // Its own stderr is dropped: the daemons log into files under dir, and "Failed to set fd limit" is noise.
    { stdio: ['pipe', 'pipe', 'ignore'], env: envWithoutSessionBus() },
  );
  const sup = new Supervisor(child);
  child.stdin?.write(`${password}\n`);
  const onExit = (): void => {
    // EOF on the pipe alone stops it; the signal only makes it quicker.
    child.kill('SIGTERM');
  };
  process.once('exit', onExit);

  const first = await sup.line(30_000);
  if (!first.startsWith('ready ')) {
    process.removeListener('exit', onExit);
    child.kill('SIGTERM');
    throw new Error(`could not start a test keyring (${mode}): ${first}`);
  }
  const busAddress = first.slice('ready '.length);
  const env = envWithoutSessionBus(process.env, { ...sandboxDirsEnv(dir), DBUS_SESSION_BUS_ADDRESS: busAddress });

  let stopped: Promise<void> | null = null;
  return {
    dir,
    busAddress,
    env,
    startDaemon: () => sup.command('start-daemon'),
    stopDaemon: () => sup.command('stop-daemon'),
    lock: () => sup.command('lock'),
    unlock: () => unlockViaControlSocket(path.join(dir, 'run', 'keyring', 'control'), password),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        process.removeListener('exit', onExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.ref();
        child.stdin?.end('quit\n');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
      return stopped;
    },
  };
}

/**
 * gnome-keyring's control protocol (daemon/control/gkd-control-*.c, as pam_gnome_keyring speaks it): one
 * credentials byte, then [u32 length][u32 op = 1 UNLOCK][u32 n][n bytes password], all big-endian; the answer
 * is [u32 8][u32 result] with 0 = OK, 1 = DENIED, 2 = FAILED, 3 = NO_DAEMON.
 */
async function unlockViaControlSocket(socketPath: string, password: string): Promise<void> {
  const pw = Buffer.from(password, 'utf8');
  const packet = Buffer.alloc(1 + 12 + pw.length);
  packet.writeUInt8(0, 0);
  packet.writeUInt32BE(12 + pw.length, 1);
  packet.writeUInt32BE(1, 5);
  packet.writeUInt32BE(pw.length, 9);
  pw.copy(packet, 13);
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(socketPath);
    sock.setTimeout(10_000, () => sock.destroy(new Error('no answer from the keyring control socket')));
    sock.on('connect', () => sock.write(packet));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      if (Buffer.concat(chunks).length >= 8) sock.end();
    });
    sock.on('close', () => resolve(Buffer.concat(chunks)));
    sock.on('error', reject);
  });
  const result = reply.length >= 8 ? reply.readUInt32BE(4) : -1;
  if (result !== 0) throw new Error(`gnome-keyring refused to unlock (control result ${result})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: a fresh process per scenario, because libsecret binds to the first bus it reaches.

export type ChildStep =
  | { op: 'set'; account: string; value: string }
  | { op: 'get'; account: string }
  | { op: 'has'; account: string }
  | { op: 'delete'; account: string }
  | { op: 'retry' }
  | { op: 'status' }
  /** Prints {"paused":true} and waits for a line on stdin (send it with ChildRun.resume()). */
  | { op: 'pause' }
  /** keytar.findCredentials(service): accounts only. Never on a locked keyring: keytar 7.9 segfaults there. */
  | { op: 'accounts' };

export interface ChildPlan {
  timeoutMs?: number;
  service?: string;
  steps: ChildStep[];
}

export interface ChildStepResult {
  op: ChildStep['op'];
  account?: string;
  ok: boolean;
  result?: unknown;
  error?: { name: string; code?: string; state?: string; message: string };
  status: {
    backend: string;
    state: string;
    reason?: string;
    remedy?: string;
    checkedAt: string;
  };
  ms: number;
}

export interface ChildOutcome {
  opened: ChildStepResult['status'];
  openMs: number;
  steps: ChildStepResult[];
  /** Status changes the store announced, in order. */
  events: ChildStepResult['status'][];
  /** Everything the store logged (names and failure classes only). */
  logs: unknown[];
  /** The plan ran to the end (the child said "done"). */
  completed: boolean;
  /**
   * The child finished its plan but had not exited a moment later, and was killed. That is what a keychain call
   * that timed out does: Node joins its thread pool on exit, so the process lingers until libsecret gives up
   * (GDBus's default 25 s), however early the store stopped waiting.
   */
  killedAfterDone: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface ChildRun {
  /** Resolves at each pause step. */
  paused(): Promise<void>;
  resume(): void;
  done: Promise<ChildOutcome>;
}

const EXIT_GRACE_MS = 1500;
const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD_SCRIPT = path.join(here, 'keychain-child.ts');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Runs a plan against openSecretStore in a new Node process with `env` and `cwd`. Secret values travel on
 * stdin, never in argv.
 */
export function runKeychainChild(plan: ChildPlan, env: NodeJS.ProcessEnv, cwd: string = os.tmpdir()): ChildRun {
  // The child runs outside the repository (cwd), where tsx would find no tsconfig and so no @shared/* paths.
  const childEnv = { ...env, TSX_TSCONFIG_PATH: path.join(here, '..', '..', 'tsconfig.json') };
  const child = spawn(process.execPath, ['--import', tsxLoader, CHILD_SCRIPT], { env: childEnv, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const pauses: (() => void)[] = [];
  let pendingPauses = 0;
  const outcome: ChildOutcome = {
    opened: { backend: '?', state: '?', checkedAt: '' },
    openMs: 0,
    steps: [],
    events: [],
    logs: [],
    completed: false,
    killedAfterDone: false,
    exitCode: null,
    signal: null,
    stderr: '',
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    outcome.stderr += d;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      outcome.stderr += `${line}\n`;
      return;
    }
    if (msg.kind === 'opened') {
      outcome.opened = msg.status as ChildStepResult['status'];
      outcome.openMs = Number(msg.ms);
    } else if (msg.kind === 'step') outcome.steps.push(msg.step as ChildStepResult);
    else if (msg.kind === 'event') outcome.events.push(msg.status as ChildStepResult['status']);
    else if (msg.kind === 'log') outcome.logs.push(msg.log);
    else if (msg.kind === 'done') {
      outcome.completed = true;
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) {
          outcome.killedAfterDone = true;
          child.kill('SIGKILL');
        }
      }, EXIT_GRACE_MS).unref();
    } else if (msg.kind === 'paused') {
      const w = pauses.shift();
      if (w) w();
      else pendingPauses++;
    }
  });
  child.stdin.write(`${JSON.stringify(plan)}\n`);
  const done = new Promise<ChildOutcome>((resolve) => {
    child.on('exit', (code, signal) => {
      outcome.exitCode = code;
      outcome.signal = signal;
      child.stdin.destroy();
      resolve(outcome);
    });
  });
  return {
    paused: () =>
      new Promise<void>((resolve) => {
        if (pendingPauses > 0) {
          pendingPauses--;
          resolve();
        } else pauses.push(resolve);
      }),
    resume: () => {
      child.stdin.write('resume\n');
    },
    done,
  };
}
