import { Fragment } from 'react';
import type { ReactNode } from 'react';
import type { RelatedEntry, RelatedSection } from '../context';

// The palette's list: first what the view on screen relates to (its own section, in the context's order), then
// the search results as the ranking gave them, without what the first section already lists.

/** One line of the list: an item related to what the view shows, or a search result. */
export interface PaletteLine {
  key: string;
  section: 'related' | 'search';
  kind: string;
  kindLabel: string;
  title: string;
  subtitle?: string | undefined;
  tone?: string | undefined;
  run: () => void;
}

interface SearchResult {
  id: string;
  kind: string;
  kindLabel: string;
  title: string;
  subtitle?: string | undefined;
  tone?: string | undefined;
  run: () => void;
}

export function paletteLines(related: readonly RelatedEntry[], ranked: readonly SearchResult[]): PaletteLine[] {
  const ids = new Set(related.map((e) => e.id));
  const line = (section: PaletteLine['section'], key: string, e: Omit<SearchResult, 'id'>): PaletteLine => ({
    key,
    section,
    kind: e.kind,
    kindLabel: e.kindLabel,
    title: e.title,
    subtitle: e.subtitle,
    tone: e.tone,
    run: e.run,
  });
  return [
    ...related.map((e) => line('related', `related:${e.id}`, e)),
    ...ranked.filter((r) => !ids.has(r.id)).map((r) => line('search', r.id, r)),
  ];
}

export function PaletteOptions(props: {
  lines: PaletteLine[];
  related: RelatedSection;
  query: string;
  active: number;
  onActive: (i: number) => void;
  onChoose: (i: number) => void;
}): ReactNode {
  const { lines, related } = props;
  const firstSearch = lines.findIndex((l) => l.section === 'search');
  return (
    <ul id="palette-list" className="palette-list" role="listbox" aria-label="Results" data-testid="palette-list">
      {related.title !== null && (related.entries.length > 0 || related.pending || related.error) ? (
        <li role="presentation" className="palette-section muted small" data-testid="palette-related-title">
          {related.title}
          {related.pending ? ' — reading…' : related.error ? ` — could not be read: ${related.error}` : ''}
        </li>
      ) : null}
      {lines.length === 0 ? (
        <li className="palette-empty muted" data-testid="palette-empty">
          Nothing matches “{props.query}”.
        </li>
      ) : (
        lines.map((item, i) => (
          <Fragment key={item.key}>
            {i === firstSearch && firstSearch > 0 ? (
              <li role="presentation" className="palette-section muted small">
                {props.query.trim() ? 'Everything else' : 'Go to and actions'}
              </li>
            ) : null}
            <li
              id={`palette-opt-${i}`}
              role="option"
              aria-selected={i === props.active}
              className={`palette-option${i === props.active ? ' active' : ''}`}
              // Moving the pointer picks an option; a pointer resting where the list opens does not take over the keys.
              onMouseMove={() => props.onActive(i)}
              onClick={() => props.onChoose(i)}
              data-testid="palette-option"
              data-kind={item.kind}
              data-id={item.key}
              data-section={item.section}
            >
              <span className={`palette-kind kind-${item.kind}${item.tone ? ` tone-${item.tone}` : ''}`}>{item.kindLabel}</span>
              <span className="palette-title">{item.title}</span>
              {item.subtitle ? <span className="palette-sub muted small">{item.subtitle}</span> : null}
            </li>
          </Fragment>
        ))
      )}
    </ul>
  );
}
