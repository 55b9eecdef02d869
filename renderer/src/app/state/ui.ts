import { create } from 'zustand';
import type { UiSettings } from '@shared/settings/model';

export type Theme = UiSettings['theme'];

interface UiState {
  /** Mirror of settings.theme: applied at once on click, before main confirms, and reverted if it refuses. */
  theme: Theme;
  helpOpen: boolean;
  setTheme: (t: Theme) => void;
  setHelpOpen: (open: boolean) => void;
}

export const useUiStore = create<UiState>()((set) => ({
  theme: 'dark',
  helpOpen: false,
  setTheme: (theme) => set({ theme }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
}));
