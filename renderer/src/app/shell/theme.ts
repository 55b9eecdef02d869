import { useEffect } from 'react';
import { useSettings } from '../api/app-queries';
import { useUiStore } from '../state/ui';
import { setZoneMode } from '../format/time';

/** Follows settings.theme (from settings.get and settings.changed) and puts it on <html data-theme>. */
export function useThemeSync(): void {
  const theme = useSettings().data?.theme;
  const setTheme = useUiStore((s) => s.setTheme);
  const mirror = useUiStore((s) => s.theme);
  useEffect(() => {
    if (theme) setTheme(theme);
  }, [theme, setTheme]);
  useEffect(() => {
    document.documentElement.dataset['theme'] = mirror;
  }, [mirror]);
}

/**
 * Follows settings.timeZone: every formatter reads the mode, so it is set during render (before any child
 * formats a time) — the clock re-renders every view that shows a time within a second of the change.
 */
export function useTimeZoneSync(): void {
  setZoneMode(useSettings().data?.timeZone ?? 'local');
}
