import type { ConnectionHealth } from '@shared/connections/model';
import type { Tone } from '../components/StatusBadge';
import { ageOf, formatAge, isStale } from './time';

/** How often a connection's health is refreshed when ConnectionHealth does not say (refreshMs). */
export const HEALTH_REFRESH_MS = 60_000;

export interface HealthView {
  tone: Tone;
  /** One word for the state, shown next to the icon. */
  word: string;
  /** Data age text, e.g. "12 s ago" (from the last good answer). */
  age: string | null;
  stale: boolean;
}

/** The status-bar reading of one connection at a given time (pure, so ages and staleness are testable). */
export function describeHealth(h: ConnectionHealth, now: number, refreshMs = h.refreshMs ?? HEALTH_REFRESH_MS): HealthView {
  const okAge = ageOf(h.lastOkAt, now);
  const stale = okAge !== null && isStale(okAge, refreshMs);
  const age = okAge !== null ? formatAge(okAge) : null;
  switch (h.state) {
    case 'ok':
      return stale ? { tone: 'warn', word: 'stale', age, stale } : { tone: 'ok', word: 'ok', age, stale };
    case 'error':
      return { tone: 'error', word: 'error', age, stale };
    case 'checking':
      return { tone: 'busy', word: 'checking', age, stale };
    case 'unknown':
      return { tone: 'unknown', word: 'not checked yet', age, stale };
  }
}
