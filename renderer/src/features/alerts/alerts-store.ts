import { create } from 'zustand';

// UI-only state of the Alerts view: what the user chose to see, and the last thing done (a flash line).

interface AlertsUiState {
  connectionId: string | null;
  showSuppressed: boolean;
  filter: string;
  flash: string | null;
  setConnection: (id: string) => void;
  setShowSuppressed: (on: boolean) => void;
  setFilter: (text: string) => void;
  setFlash: (text: string | null) => void;
}

export const useAlertsUi = create<AlertsUiState>()((set) => ({
  connectionId: null,
  showSuppressed: true,
  filter: '',
  flash: null,
  setConnection: (connectionId) => set({ connectionId }),
  setShowSuppressed: (showSuppressed) => set({ showSuppressed }),
  setFilter: (filter) => set({ filter }),
  setFlash: (flash) => set({ flash }),
}));
