import { useEffect } from 'react';
import { useSettings } from '../api/app-queries';
import { useUiStore } from '../state/ui';

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
