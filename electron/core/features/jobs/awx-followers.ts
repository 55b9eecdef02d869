import type { JobStreamItem } from '@shared/jobs/model';
import { JobFollower } from './job-follower';
import type { FollowTiming } from './job-follower';
import type { AwxPool } from './awx-pool';

// Job followers shared by every view, CLI and work-note watcher that follows the same job: one per job, kept a
// while after its last subscriber leaves (a view that comes back resumes without re-reading), at most fifty.

const LINGER_DONE_MS = 10 * 60_000;
const LINGER_RUNNING_MS = 2 * 60_000;
const LINGER_BIG_MS = 60_000;
const BIG_LOG_LINES = 50_000;
const MAX_FOLLOWERS = 50;

export class FollowerPool {
  private readonly followers = new Map<string, { follower: JobFollower; linger: ReturnType<typeof setTimeout> | null }>();

  constructor(
    private readonly pool: AwxPool,
    private readonly timing: Partial<FollowTiming> | undefined,
  ) {}

  follow(connectionId: string, jobId: number, fromCounter: number, emit: (item: JobStreamItem) => void): () => void {
    const id = this.pool.connectionId(connectionId);
    const follower = this.follower(id, jobId);
    const unsubscribe = follower.subscribe(fromCounter, emit);
    return () => {
      unsubscribe();
      this.release(follower);
    };
  }

  /** The job's follower, started if need be; pair with `release` when done with it. */
  follower(connectionId: string, jobId: number): JobFollower {
    const key = `${connectionId}:${jobId}`;
    const cur = this.followers.get(key);
    if (cur && !cur.follower.failed) {
      if (cur.linger) clearTimeout(cur.linger);
      cur.linger = null;
      return cur.follower;
    }
    cur?.follower.stop();
    const follower = new JobFollower(
      connectionId,
      jobId,
      () => this.pool.client(connectionId),
      this.pool.socket(connectionId),
      this.timing,
    );
    this.followers.set(key, { follower, linger: null });
    this.evict();
    follower.start();
    return follower;
  }

  release(follower: JobFollower): void {
    if (follower.subscriberCount > 0) return;
    const key = `${follower.connectionId}:${follower.jobId}`;
    const cur = this.followers.get(key);
    if (!cur || cur.follower !== follower) return;
    if (cur.linger) clearTimeout(cur.linger);
    // A big finished log (the 200,000-line job holds ~10 MB) is not kept long for a view that may not come back.
    const ms = follower.failed
      ? 0
      : follower.isDone
        ? follower.lineCount > BIG_LOG_LINES
          ? LINGER_BIG_MS
          : LINGER_DONE_MS
        : LINGER_RUNNING_MS;
    // Kept a while: a view that comes back (or a dropped link that resubscribes) resumes without re-reading.
    cur.linger = setTimeout(() => {
      if (follower.subscriberCount > 0) return;
      follower.stop();
      if (this.followers.get(key)?.follower === follower) this.followers.delete(key);
    }, ms);
    cur.linger.unref?.();
  }

  private evict(): void {
    if (this.followers.size <= MAX_FOLLOWERS) return;
    for (const [key, f] of this.followers) {
      if (this.followers.size <= MAX_FOLLOWERS) break;
      if (f.follower.subscriberCount === 0) {
        if (f.linger) clearTimeout(f.linger);
        f.follower.stop();
        this.followers.delete(key);
      }
    }
  }

  dispose(): void {
    for (const { follower, linger } of this.followers.values()) {
      if (linger) clearTimeout(linger);
      follower.stop();
    }
    this.followers.clear();
  }
}
