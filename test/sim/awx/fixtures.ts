// The files each playbook works on, created fresh in the job's own temp directory before the run, so a
// job never touches anything outside it and every run starts from the same state.
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const DAY_MS = 24 * 60 * 60 * 1000;

async function writeAged(path: string, content: string, ageDays: number): Promise<void> {
  await writeFile(path, content);
  const when = new Date(Date.now() - ageDays * DAY_MS);
  await utimes(path, when, when);
}

async function diskCleanup(work: string): Promise<void> {
  const data = join(work, 'data');
  await mkdir(data, { recursive: true });
  for (const [name, age] of [
    ['app-2024-04-01.log', 45],
    ['app-2024-04-15.log', 30],
    ['worker-2024-04-20.log', 21],
    ['app-current.log', 0],
    ['worker-current.log', 1],
  ] as const) {
    await writeAged(join(data, name), `${name}\n`.repeat(200), age);
  }
  // Old, but not a *.log file: the cleanup must leave it alone.
  await writeAged(join(data, 'README.txt'), 'keep me\n', 90);
}

async function restartService(work: string, hosts: string[]): Promise<void> {
  for (const host of hosts) {
    const dir = join(work, 'service', host);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'state'), 'running\n');
  }
}

async function collectLogs(work: string): Promise<void> {
  const sources: Record<string, string[]> = {
    syslog: ['messages.log', 'kern.log'],
    app: ['storefront.log', 'checkout.log', 'search.log'],
    audit: ['audit.log'],
  };
  for (const [source, files] of Object.entries(sources)) {
    const dir = join(work, 'logs', source);
    await mkdir(dir, { recursive: true });
    for (const [i, file] of files.entries()) {
      const lines = Array.from({ length: 20 + i * 5 }, (_, n) => `2024-06-03T08:${String(n).padStart(2, '0')}:00Z ${source} entry ${n}`);
      await writeFile(join(dir, file), `${lines.join('\n')}\n`);
    }
  }
}

async function failOnOneHost(work: string): Promise<void> {
  const dir = join(work, 'checks');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'web1.ok'), 'ok\n');
}

const PREPARERS: Record<string, (work: string, hosts: string[]) => Promise<void>> = {
  'disk_cleanup.yml': diskCleanup,
  'restart_service.yml': restartService,
  'collect_logs.yml': collectLogs,
  'fail_on_one_host.yml': failOnOneHost,
};

export async function prepareWorkdir(playbook: string, work: string, hosts: string[]): Promise<void> {
  await mkdir(work, { recursive: true });
  await PREPARERS[playbook]?.(work, hosts);
}
