// The keys the "?" overlay lists. Features add theirs when they register (their index.ts), so the list is whole
// before any view's chunk has loaded. This file imports nothing: every view may use it without a cycle.

export interface ShortcutHelpEntry {
  keys: string[];
  description: string;
}

/** The shell's own keys; registered features append theirs. */
export const SHORTCUTS: ShortcutHelpEntry[] = [
  { keys: ['Ctrl/⌘', 'K'], description: 'Command palette: find SLOs, incidents, runbooks, jobs and actions' },
  { keys: ['?'], description: 'Show or hide this list of shortcuts' },
  { keys: ['Esc'], description: 'Close this list' },
  { keys: ['Tab'], description: 'Move between controls (the focused one has a ring)' },
  { keys: ['Esc'], description: 'Wall display opened from the workstation: back to the workstation' },
  { keys: ['Ctrl/⌘', 'Shift', 'D'], description: 'Desktop app: wall mode on or off (fullscreen, read-only)' },
];

/** Adds a feature's keys once (registering twice, as hot reload and tests do, lists them once). */
export function registerShortcuts(entries: readonly ShortcutHelpEntry[]): void {
  for (const k of entries) if (!SHORTCUTS.some((s) => s.description === k.description)) SHORTCUTS.push(k);
}

/** Typing "?" in a field means a question mark, not "show help". */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}
