import { AsyncLocalStorage } from 'node:async_hooks';
import type { ContractError } from '@shared/kernel/result';

// A refused connection is known in milliseconds, but the HTTP client tries a refused read again (twice, with
// back-off: about a second in all) because a system being restarted refuses for a moment. A caller that has
// something better to show than a wait — a detail read with an offline copy — watches its reads: the first
// refusal of any read it started is reported to it at once, while the retries go on (and their answer, if one
// comes, still lands). Callers that do not watch are unaffected, and writes are never reported: they are not
// retried and their outcome is the writer's to decide.

type Watcher = (error: ContractError) => void;

const watchers = new AsyncLocalStorage<Watcher>();

/** Runs `fn`; `onRefused` hears of the first refused read that `fn` (or anything it starts) makes. */
export function watchRefusals<T>(onRefused: Watcher, fn: () => Promise<T>): Promise<T> {
  let told = false;
  return watchers.run((error) => {
    if (told) return;
    told = true;
    onRefused(error);
  }, fn);
}

/** Called by the HTTP client when a read's connection was refused (before any retry). */
export function reportRefusal(error: ContractError): void {
  watchers.getStore()?.(error);
}

/** The current call's watcher, if it watches: handed to work it joins but another call started (a shared refresh). */
export function currentWatcher(): Watcher | undefined {
  return watchers.getStore();
}
