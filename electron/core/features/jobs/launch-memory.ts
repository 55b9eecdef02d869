// What this console remembers of the jobs it launched: whether the launch was production and from which runbook,
// so a relaunch asks for the same confirmation and a job's detail says "production" even when AWX does not.

export interface Launched {
  production: boolean;
  runbookTitle: string | null;
}

const MAX_REMEMBERED = 500;

export class LaunchMemory {
  private readonly launched = new Map<string, Launched>();

  get(connectionId: string, jobId: number): Launched | undefined {
    return this.launched.get(`${connectionId}:${jobId}`);
  }

  remember(connectionId: string, jobId: number, l: Launched): void {
    this.launched.set(`${connectionId}:${jobId}`, l);
    if (this.launched.size > MAX_REMEMBERED) this.launched.delete(this.launched.keys().next().value ?? '');
  }
}
