import type { MethodArgs, MethodName, MethodOutput, TopicName } from '@shared/contract';
import type { OfflineEntry, OfflineKind } from '@shared/offline/contract';
import type { ConnectionKind } from '@shared/connections/model';
import type { ContractError } from '@shared/kernel/result';
import type { CallContext, Handler, Source } from './handler-types';
import { formatSeconds } from '../http/http-client';

// A feature says how its reads behave offline where it registers them: what to keep (kind and key), how to
// answer from the copy, and what the background sync reads. The offline feature runs these policies against
// its store; it knows no feature's methods. Policies only get this store's interface, so a feature needs no
// import of the offline feature, and a console without it (none installed) just runs the handlers bare.

/** What a policy may do with the offline copy; given by the policy runner (features/offline). */
export interface OfflineStore {
  get<T>(kind: OfflineKind, key: string): Promise<{ data: T; syncedAt: string } | null>;
  /** Stores a live answer (throttled to one write per key and interval, except while a sync runs). */
  put(kind: OfflineKind, key: string, data: unknown, syncedAt?: string): void;
  /** Waits for the write of this entry (not throttled) and returns once it is on disk. */
  putNow(kind: OfflineKind, key: string, data: unknown): Promise<void>;
  entries(): Promise<OfflineEntry[]>;
  prune(kind: OfflineKind, keep: (key: string) => boolean): Promise<number>;
  /** A read answered from the copy (listed by `offline.status`; the shell's banner names it). */
  noteServed(method: string, key: string, syncedAt: string, error: ContractError): void;
  clearServed(method: string, key: string): void;
  wasServed(method: string, key?: string): boolean;
  /** False in the command line: copies are kept but never answer (a deploy gate must see the outage). */
  readonly serveCopies: boolean;
  /** Whether this failure may be answered from a copy (serving is on, and the error says "system away"). */
  canServe(error: ContractError): boolean;
  connections(kind: ConnectionKind): { id: string; name: string }[];
  /** "ServiceNow (prod)" for messages that name the system that did not answer. */
  connectionName(kind: 'servicenow' | 'awx' | 'prometheus', id: string | undefined): string;
  /** How long a read with a copy waits for its system before the copy answers (see features/offline/offline-detail.ts). */
  readonly detailBudgetMs: number;
}

/** The reason a copy answers when its system ran over the budget: "AWX (prod) did not answer within 2.5 s." */
export function overBudgetError(system: string, budgetMs: number): ContractError {
  return { code: 'timeout', message: `${system} did not answer within ${formatSeconds(budgetMs)}.` };
}

type Copy<M extends MethodName> = { out: MethodOutput<M>; syncedAt: string; key: string } | null;

/**
 * `copy`: live first; when the live read throws for want of its system, the copy (restore says how).
 * `detail`: one record, live within the runner's short budget, else the copy (a hung system is not waited for).
 * `wrap`: a read whose answer lists several connections, some from a copy; it gets the live handler and the store.
 */
export type CallPolicy<M extends MethodName> =
  | {
      kind: 'copy';
      key: (a: MethodArgs<M>, store: OfflineStore) => string | null;
      save: (out: MethodOutput<M>, a: MethodArgs<M>, store: OfflineStore) => void;
      restore: (a: MethodArgs<M>, error: ContractError, store: OfflineStore) => Promise<Copy<M>>;
    }
  | {
      kind: 'detail';
      /** Names the system in "… did not answer within 2.5 s". */
      system: (a: MethodArgs<M>, store: OfflineStore) => string;
      key: (a: MethodArgs<M>, store: OfflineStore) => string;
      save: (out: MethodOutput<M>, a: MethodArgs<M>, store: OfflineStore) => void;
      restore: (a: MethodArgs<M>, error: ContractError, store: OfflineStore) => Promise<{ out: MethodOutput<M>; syncedAt: string } | null>;
    }
  | { kind: 'wrap'; wrap: (inner: Handler<M>, store: OfflineStore) => Handler<M> };

export interface SourcePolicy<T extends TopicName> {
  wrap: (inner: Source<T>, store: OfflineStore) => Source<T>;
}

/** What one step of the background sync gets: reads through the registered (policy-wrapped) handlers. */
export interface SyncContext {
  store: OfflineStore;
  /** Problems of this sync so far, in the words shown by `offline.status` ("Runbooks: …"). */
  errors: string[];
  /** One read; a failure is added to `errors` under `label` and answers null. */
  read<M extends MethodName>(method: M, args: MethodArgs<M>, label: string): Promise<MethodOutput<M> | null>;
  ctx: CallContext;
}

/** A part of the background sync, run in `order` (lowest first) with the other features' steps. */
export interface SyncStep {
  name: string;
  order: number;
  run: (sync: SyncContext) => Promise<void>;
}

/** The offline feature, as the registry sees it: it wraps each handler and source that declares a policy. */
export interface PolicyRunner {
  wrapCall<M extends MethodName>(method: M, policy: CallPolicy<M>, inner: Handler<M>): Handler<M>;
  wrapSource<T extends TopicName>(topic: T, policy: SourcePolicy<T>, inner: Source<T>): Source<T>;
}

/** "synced 3 h ago (2026-05-01 10:00 UTC)" for messages. */
export function syncedText(syncedAt: string, now: number): string {
  const ms = now - Date.parse(syncedAt);
  const m = Math.max(0, Math.round(ms / 60_000));
  const age =
    m < 1
      ? 'less than a minute ago'
      : m < 90
        ? `${m} min ago`
        : m < 48 * 60
          ? `${Math.round(m / 60)} h ago`
          : `${Math.round(m / 1440)} d ago`;
  return `synced ${age} (${syncedAt.slice(0, 16).replace('T', ' ')} UTC)`;
}
