/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago": short enough for a status bar and a wall tile. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** Data is stale when it is older than twice the interval it should refresh at. */
export function isStale(ageMs: number, refreshMs: number): boolean {
  return ageMs > 2 * refreshMs;
}

export function ageOf(iso: string | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : now - t;
}

const timeFmt = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatTimestamp(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : timeFmt.format(t);
}
