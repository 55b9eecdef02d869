import type { Resumed } from '@shared/app/contract';
import type { WallConfig, WallPageKind, WallPageView } from '@shared/wall/contract';
import type { ConnectionKind } from '@shared/connections/model';
import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';
import type { WallPage } from '../../kernel/workspace/schema';

// The wall's configuration (from the workspace file, or five sensible pages when it names none) and the wake-up
// notice: the desktop shell reports sleep/resume and screen unlock here, and every page reads its data again.

export interface ModesFeature {
  resume(reason: Resumed['reason']): void;
}

const DEFAULT_PAGES: { title: string; kind: WallPageKind; needs: ConnectionKind[] }[] = [
  { title: 'Service level objectives', kind: 'slos', needs: ['prometheus'] },
  { title: 'Incidents', kind: 'incidents', needs: ['servicenow'] },
  { title: 'Firing alerts', kind: 'alerts', needs: ['alertmanager', 'prometheus'] },
  { title: 'Running jobs', kind: 'jobs', needs: ['awx'] },
  { title: 'Changes in flight', kind: 'changes', needs: ['servicenow'] },
];

/** Workspace filters take a value or a list; the wall always gets lists. */
export function normalisePage(p: WallPage): WallPageView {
  const filter: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(p.filter ?? {})) filter[k] = (Array.isArray(v) ? v : [v]).map(String).filter((x) => x !== '');
  return { title: p.title, kind: p.kind, filter };
}

export function wallConfigOf(
  ws: { name: string; wall: { interval: number; refresh: number; pages: WallPage[] } },
  kinds: ReadonlySet<ConnectionKind>,
  hasSloFiles: boolean,
): WallConfig {
  const fromWorkspace = ws.wall.pages.length > 0;
  const pages = fromWorkspace
    ? ws.wall.pages.map(normalisePage)
    : DEFAULT_PAGES.filter((p) => p.needs.some((k) => kinds.has(k)) || (p.kind === 'slos' && hasSloFiles)).map((p) => ({
        title: p.title,
        kind: p.kind,
        filter: {},
      }));
  return { interval: ws.wall.interval, refresh: ws.wall.refresh, pages, fromWorkspace, workspace: ws.name };
}

export function registerModesFeature(registry: Registry, s: CoreServices): ModesFeature {
  const listeners = new Set<(r: Resumed) => void>();
  registry.handle('wall.config', () => {
    const ws = s.workspace();
    const kinds = new Set(s.connections.all().map((c) => c.spec.kind));
    return wallConfigOf(ws, kinds, ws.slos.files.length > 0);
  });
  registry.source('app.resumed', (_a, emit) => {
    listeners.add(emit);
    return () => listeners.delete(emit);
  });
  return {
    resume: (reason) => {
      const r: Resumed = { at: new Date().toISOString(), reason };
      for (const l of listeners) l(r);
    },
  };
}
