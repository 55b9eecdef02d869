import type { ComponentType, LazyExoticComponent } from 'react';
import type { Route, ViewId } from './state/route';
import type { Icon } from './components/icons';
import { registerShortcuts } from './shortcuts';
import type { ShortcutHelpEntry } from './shortcuts';

/** What every view receives: the parsed route (the view reads its own sub-path: an id, a tab). */
export interface ViewProps {
  route: Route;
}

export interface ViewDef {
  id: ViewId;
  label: string;
  icon: Icon;
  /** Where the view shows in the left navigation: main list, below the line, or not at all. */
  nav: 'main' | 'secondary' | 'hidden';
  /** Ctrl/Cmd + this key opens the view. */
  shortcut?: string;
  /** 'bare' hides navigation and header (the wall display owns the screen). */
  chrome: 'full' | 'bare';
  /** Position in the navigation (and the "?" list): smaller first. */
  order: number;
  /** Each view is its own chunk: only the shell is in the initial bundle, and recharts only where it charts. */
  component: LazyExoticComponent<ComponentType<ViewProps>>;
}

/**
 * The views, in navigation order, as the features registered them (each feature's index.ts; app/features.ts
 * imports them all). The registry imports no feature, so a view may import the shell without a cycle.
 */
export const VIEWS: ViewDef[] = [];

export function registerView(def: ViewDef, shortcuts: readonly ShortcutHelpEntry[] = []): void {
  registerShortcuts(shortcuts);
  if (VIEWS.some((v) => v.id === def.id)) return;
  VIEWS.push(def);
  VIEWS.sort((x, y) => x.order - y.order);
}

export function viewDef(id: ViewId): ViewDef {
  const v = VIEWS.find((x) => x.id === id);
  if (!v) throw new Error(`view "${id}" is not in the registry`);
  return v;
}
