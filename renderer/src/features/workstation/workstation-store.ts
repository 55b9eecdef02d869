import { create } from 'zustand';

// UI state of the workstation layer: the command palette and the runbook being printed.

interface WorkstationState {
  paletteOpen: boolean;
  /** The runbook shown in print layout (null: none). */
  printRunbook: string | null;
  setPaletteOpen: (open: boolean) => void;
  setPrintRunbook: (id: string | null) => void;
}

export const useWorkstation = create<WorkstationState>()((set) => ({
  paletteOpen: false,
  printRunbook: null,
  setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
  setPrintRunbook: (printRunbook) => set({ printRunbook }),
}));

/** Opens the print layout of a runbook (a button in the runbook view, the palette's "Print …"). */
export const printRunbook = (id: string): void => useWorkstation.getState().setPrintRunbook(id);
