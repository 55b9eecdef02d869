import { create } from 'zustand';
import type { IncidentRef, LaunchResult } from '@shared/jobs/model';

// What a launch said beyond "job #N started" (AWX's ignored_fields, the work note's fate), kept for the job
// page the console opens next, and the incident a job was launched for (its relaunch notes go there too).

export interface LaunchNote {
  warnings: string[];
  workNote: LaunchResult['workNote'];
  incident: IncidentRef | null;
  runbookTitle: string | null;
}

interface LaunchState {
  notes: Record<string, LaunchNote>;
  remember: (key: string, note: LaunchNote) => void;
  forget: (key: string) => void;
}

export const useLaunchStore = create<LaunchState>()((set) => ({
  notes: {},
  remember: (key, note) => set((s) => ({ notes: { ...s.notes, [key]: note } })),
  forget: (key) =>
    set((s) => {
      const next = { ...s.notes };
      delete next[key];
      return { notes: next };
    }),
}));
