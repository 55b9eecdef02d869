import { useEffect } from 'react';
import { VIEWS } from '../views';
import { navigate } from '../state/route';
import { useUiStore } from '../state/ui';
import { RUNBOOK_JOB_SHORTCUTS } from '../../features/jobs/shortcuts';

export interface ShortcutHelpEntry {
  keys: string[];
  description: string;
}

/** What the "?" overlay lists. Feature views add their own lines here when they add keys. */
export const SHORTCUTS: ShortcutHelpEntry[] = [
  ...VIEWS.filter((v) => v.shortcut).map((v) => ({ keys: ['Ctrl/⌘', v.shortcut ?? ''], description: `Go to ${v.label}` })),
  { keys: ['Ctrl/⌘', 'K'], description: 'Command palette: find SLOs, incidents, runbooks, jobs and actions' },
  { keys: ['?'], description: 'Show or hide this list of shortcuts' },
  { keys: ['Esc'], description: 'Close this list' },
  { keys: ['Tab'], description: 'Move between controls (the focused one has a ring)' },
  { keys: ['Esc'], description: 'Wall display opened from the workstation: back to the workstation' },
  { keys: ['Ctrl/⌘', 'Shift', 'D'], description: 'Desktop app: wall mode on or off (fullscreen, read-only)' },
  ...RUNBOOK_JOB_SHORTCUTS,
];

/** Typing "?" in a field means a question mark, not "show help". */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

export function handleGlobalKey(e: KeyboardEvent): void {
  if (e.defaultPrevented) return;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && !e.shiftKey) {
    const view = VIEWS.find((v) => v.shortcut === e.key);
    if (view) {
      e.preventDefault();
      navigate({ view: view.id, path: [] });
    }
    return;
  }
  if (e.key === '?' && !e.altKey && !isTypingTarget(e.target)) {
    e.preventDefault();
    const ui = useUiStore.getState();
    ui.setHelpOpen(!ui.helpOpen);
  }
}

/** Ctrl/Cmd+1..5 and Ctrl/Cmd+, switch views; "?" toggles the shortcut overlay. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    window.addEventListener('keydown', handleGlobalKey);
    return () => window.removeEventListener('keydown', handleGlobalKey);
  }, []);
}
