import { useMemo } from 'react';
import { useCall, useClient } from '../../app/api/hooks';
import { navigate } from '../../app/state/route';
import { RELATED_KIND_LABEL, filterRelated, relatedItems } from './related-items';
import type { RelatedItem } from './related-items';
import { currentShown, useShownContext } from './shown-context';

// The command palette's "related" section: what the view on screen shows as its context (its alerts,
// incidents, runbooks, jobs, Grafana and Prometheus links), filtered by what is typed, each ready to open.
// The read is the panel's own `context.of` call, so the palette mostly answers from the cache.

export interface RelatedEntry extends RelatedItem {
  kindLabel: string;
  run: () => void;
}

export interface RelatedSection {
  /** "Related to this SLO"; null when no view shows a context. */
  title: string | null;
  entries: RelatedEntry[];
  /** The context is still being read. */
  pending: boolean;
  /** Why it could not be read, in the system's words. */
  error: string | null;
}

export function useRelatedEntries(open: boolean, query: string): RelatedSection {
  const shown = useShownContext(currentShown);
  const client = useClient();
  const ctx = useCall(
    'context.of',
    { subject: shown?.subject ?? { kind: 'service', name: '-' } },
    {
      enabled: open && shown !== null,
      staleTime: 15_000,
    },
  );
  const items = useMemo(() => (ctx.data && shown ? relatedItems(ctx.data, shown.subject) : []), [ctx.data, shown]);
  return useMemo(() => {
    if (!open || !shown) return { title: null, entries: [], pending: false, error: null };
    const entries = filterRelated(items, query).map((it): RelatedEntry => ({
      ...it,
      kindLabel: RELATED_KIND_LABEL[it.kind],
      run:
        'route' in it.target
          ? (
              (route) => () =>
                navigate(route)
            )(it.target.route)
          : ((url) => () => {
              // As an external link does: main's shell.openExternal in the app, a new tab under `toc serve`.
              if (client.transport === 'ipc') void client.call('app.openExternal', { url }).catch(() => undefined);
              else window.open(url, '_blank', 'noopener,noreferrer');
            })(it.target.url),
    }));
    return { title: shown.title, entries, pending: ctx.isPending, error: ctx.isError ? ctx.error.message : null };
  }, [open, shown, items, query, client, ctx.isPending, ctx.isError, ctx.error]);
}
