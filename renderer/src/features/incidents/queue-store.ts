import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { IncidentRow } from '@shared/incidents/model';
import { DEFAULT_SORT, EMPTY_FILTER, markDelta } from './queue-model';
import type { Mark, QueueFilter, QueueSort } from './queue-model';

// UI state of the incident queue. Filters, sort and saved views persist in localStorage (they are not
// secrets); marks of new/changed rows and the selection live for the session only.

export interface SavedView {
  name: string;
  filter: QueueFilter;
  sort: QueueSort;
}

interface QueuePrefs {
  filter: QueueFilter;
  sort: QueueSort;
  views: SavedView[];
  setFilter: (patch: Partial<QueueFilter>) => void;
  resetFilter: () => void;
  setSort: (sort: QueueSort) => void;
  saveView: (name: string) => void;
  applyView: (name: string) => void;
  deleteView: (name: string) => void;
}

export const useQueuePrefs = create<QueuePrefs>()(
  persist(
    (set, get) => ({
      filter: EMPTY_FILTER,
      sort: DEFAULT_SORT,
      views: [],
      setFilter: (patch) => set({ filter: { ...get().filter, ...patch } }),
      resetFilter: () => set({ filter: EMPTY_FILTER }),
      setSort: (sort) => set({ sort }),
      saveView: (name) => {
        const clean = name.trim().slice(0, 60);
        if (!clean) return;
        const view: SavedView = { name: clean, filter: get().filter, sort: get().sort };
        set({ views: [...get().views.filter((v) => v.name !== clean), view].sort((a, b) => a.name.localeCompare(b.name)) });
      },
      applyView: (name) => {
        const v = get().views.find((x) => x.name === name);
        if (v) set({ filter: { ...EMPTY_FILTER, ...v.filter }, sort: v.sort });
      },
      deleteView: (name) => set({ views: get().views.filter((v) => v.name !== name) }),
    }),
    {
      name: 'toc.incidents.queue',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ filter: s.filter, sort: s.sort, views: s.views }),
    },
  ),
);

interface QueueSession {
  marks: Record<string, Mark>;
  selected: string | null;
  applyDelta: (added: readonly IncidentRow[], changed: readonly IncidentRow[], removed: readonly string[]) => void;
  seen: (sysId: string) => void;
  clearMarks: () => void;
  select: (sysId: string | null) => void;
}

export const useQueueSession = create<QueueSession>()((set, get) => ({
  marks: {},
  selected: null,
  applyDelta: (added, changed, removed) => set({ marks: markDelta(get().marks, added, changed, removed) }),
  seen: (sysId) => {
    if (!(sysId in get().marks)) return;
    const { [sysId]: _seen, ...rest } = get().marks;
    set({ marks: rest });
  },
  clearMarks: () => set({ marks: {} }),
  select: (selected) => set({ selected }),
}));
