import { z } from 'zod';
import { method } from '../kernel/define';

// The offline cache: what it holds, what was served from it, a sync now. Neither is an action: they change
// nothing in any remote system, so a read-only wall may use them.

const None = z.object({}).strict();

export const OFFLINE_KINDS = [
  'runbooks',
  'runbook',
  'templates',
  'launchForm',
  'sloFleet',
  'incidents',
  'jobs',
  'changes',
  'jobLog',
  // Detail copies: one entry per incident, SLO or job read; these are what the disk bound evicts first.
  'incident',
  'sloDetail',
  'job',
] as const;
/** Kinds with one entry per record read (not per connection): evicted first, oldest first, when the cache is full. */
export const OFFLINE_DETAIL_KINDS: readonly OfflineKind[] = ['incident', 'sloDetail', 'job'];
export const OfflineKind = z.enum(OFFLINE_KINDS);
export type OfflineKind = z.infer<typeof OfflineKind>;

/** On a read answered from the offline copy: when the copy was read from its system, and why live was not used. */
export const OfflineMark = z.object({
  syncedAt: z.string(),
  /** The system's own words (refused, timed out), or that it did not answer within the detail budget. */
  reason: z.string(),
  /** What the copy lacks (charts, work notes), when it was built from a list rather than a detail read. */
  missing: z.string().optional(),
});
export type OfflineMark = z.infer<typeof OfflineMark>;

export const OfflineEntry = z.object({
  kind: OfflineKind,
  key: z.string(),
  /** When the data was read from its system (ISO). */
  syncedAt: z.string(),
  bytes: z.number().int(),
});
export type OfflineEntry = z.infer<typeof OfflineEntry>;

/** A read that failed live and was answered from the offline cache instead. */
export const OfflineServed = z.object({
  method: z.string(),
  key: z.string(),
  syncedAt: z.string(),
  /** Why the live read failed, in the system's words. */
  reason: z.string(),
  /** When the cached copy was served (ISO). */
  at: z.string(),
});
export type OfflineServed = z.infer<typeof OfflineServed>;

export const OfflineSyncReport = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Entries written by this sync. */
  saved: z.number().int(),
  /** What could not be read (the cached copy of it, if any, is kept). */
  errors: z.array(z.string()),
});
export type OfflineSyncReport = z.infer<typeof OfflineSyncReport>;

export const OfflineStatus = z.object({
  entries: z.array(OfflineEntry),
  /** Newest first, at most a few dozen. */
  served: z.array(OfflineServed),
  lastSync: OfflineSyncReport.nullable(),
  syncing: z.boolean(),
});
export type OfflineStatus = z.infer<typeof OfflineStatus>;

export const offlineMethods = {
  /** What the offline cache holds, what was served from it lately, and the last sync. */
  'offline.status': method(None, OfflineStatus),
  /** Reads runbooks, templates with their forms, the SLO fleet, incident queues, jobs and changes into the cache now. */
  'offline.sync': method(None, OfflineSyncReport),
};
