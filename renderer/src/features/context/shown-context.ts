import { create } from 'zustand';
import type { ContextSubject } from '@shared/context/model';

// Which subject the screen is showing context for (an SLO, an incident, a job, an alert), so the command palette
// can offer the same related items. Every context panel registers its subject while mounted; the one mounted
// last (the detail the user opened most recently) is the one the palette uses.

interface Shown {
  token: number;
  subject: ContextSubject;
  /** What the panel calls it, e.g. "Related to this SLO". */
  title: string;
}

interface ShownContextState {
  stack: Shown[];
  show: (subject: ContextSubject, title: string) => () => void;
}

let next = 0;

export const useShownContext = create<ShownContextState>()((set, get) => ({
  stack: [],
  show: (subject, title) => {
    const token = ++next;
    set({ stack: [...get().stack, { token, subject, title }] });
    return () => set({ stack: get().stack.filter((s) => s.token !== token) });
  },
}));

/** The subject shown most recently, or null when no view shows a context. */
export const currentShown = (s: ShownContextState): Shown | null => s.stack[s.stack.length - 1] ?? null;
