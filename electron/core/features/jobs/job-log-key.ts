// What the job list's copy and the job log's copy share: where a log is kept, and how keeping one for the
// offline sync ended. Its own module, so the two copies need not import each other.

/** The key of a job's log in the copy. */
export const jobLogKey = (connectionId: string | undefined, jobId: number): string => `${connectionId ?? ''}:${jobId}`;

/** How a follow for the offline sync ended: the log is kept, it is over the per-log cap, or AWX did not give it. */
export type SyncedLog = 'kept' | 'too-big' | 'unavailable';
