import { useEffect } from 'react';
import { VIEWS } from '../views';
import { navigate } from '../state/route';
import { useUiStore } from '../state/ui';
import { isTypingTarget, SHORTCUTS } from '../shortcuts';
import type { ShortcutHelpEntry } from '../shortcuts';

export { isTypingTarget } from '../shortcuts';
export type { ShortcutHelpEntry } from '../shortcuts';

/** What the "?" overlay lists: a "go to" line per registered view with a key, then every registered key. */
export function helpEntries(): ShortcutHelpEntry[] {
  return [
    ...VIEWS.filter((v) => v.shortcut).map((v) => ({ keys: ['Ctrl/⌘', v.shortcut ?? ''], description: `Go to ${v.label}` })),
    ...SHORTCUTS,
  ];
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

/** Ctrl/Cmd+1..6 and Ctrl/Cmd+, switch views; "?" toggles the shortcut overlay. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    window.addEventListener('keydown', handleGlobalKey);
    return () => window.removeEventListener('keydown', handleGlobalKey);
  }, []);
}
