import type { ReactNode } from 'react';
import type { WallPageView } from '@shared/wall/contract';
import type { SloStatusView } from '@shared/slo/contract';
import type { SloGroup, WallTone } from './wall-model';
import { TONE_WORD, burnEmphasis, filterSlos, freshness, gridColumns, groupSlos, sloTone, worstOf } from './wall-model';
import type { Source } from './use-wall-data';
import type { PageSummary } from './WallPages';
import { Age, NoSource, StaleNote, ToneMark, burn, pct } from './WallParts';

// The wall's SLO page: one grid of tiles for every group, each tile with its state, burn and the age of its
// data. A short last row keeps its empty cells: the big numbers scale with their tile, and on a wall a larger
// tile reads as a more important SLO.

const MAX_SLO_TILES = 24;

// ---- SLOs --------------------------------------------------------------------------------------------------

export function sloSummary(src: Source<SloStatusView[]> | null, page: WallPageView): PageSummary {
  if (!src) return { tone: 'unknown', red: false };
  const tone = worstOf(filterSlos(src.data, page.filter).map(sloTone), 'unknown');
  return { tone, red: tone === 'crit' };
}

export function SloPage(props: { src: Source<SloStatusView[]> | null; page: WallPageView; now: number }): ReactNode {
  const { src, page, now } = props;
  if (!src) return <NoSource what="No SLO source is configured." />;
  const list = filterSlos(src.data, page.filter);
  const pageFresh = freshness(src.fresh, now);
  if (list.length === 0) {
    return (
      <div className={`wall-empty${pageFresh.stale ? ' is-stale' : ''}`} data-testid="wall-slo-empty">
        {pageFresh.ageMs === null ? 'Waiting for the first SLO numbers…' : 'No SLO matches this page.'} <Age f={pageFresh} />
      </div>
    );
  }
  const by = page.filter.groupBy?.[0] === 'team' ? 'team' : 'service';
  // Worst first: when more SLOs match than the wall can show legibly, the healthy ones are the ones left out.
  const groups: SloGroup[] = [];
  let budget = MAX_SLO_TILES;
  const hiddenTones: WallTone[] = [];
  for (const g of groupSlos(list, by)) {
    const shown = g.items.slice(0, Math.max(0, budget));
    budget -= shown.length;
    for (const i of g.items.slice(shown.length)) hiddenTones.push(i.tone);
    if (shown.length) groups.push({ ...g, items: shown });
  }
  const hidden = hiddenTones.length;
  // One grid for every group, in group order, each tile naming its group: singleton groups (a service with one
  // SLO, the usual case) would otherwise spend a header row each and leave the screen half empty.
  const tiles = groups.flatMap((g) => g.items.map((i) => ({ ...i, group: g })));
  const cols = gridColumns(tiles.length);
  const rows = Math.ceil(tiles.length / cols);
  return (
    <div className="wall-slos" data-testid="wall-slos" data-count={list.length} data-cols={cols} data-rows={rows}>
      <StaleNote f={pageFresh} />
      <div
        className="wall-groups"
        style={{
          gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
          gridTemplateRows: `repeat(${rows}, minmax(min-content, 1fr))`,
        }}
        data-testid="wall-slo-grid"
      >
        {tiles.map(({ s, tone, group }) => (
          <SloTileView key={s.id} s={s} tone={tone} src={src} now={now} group={group} />
        ))}
      </div>
      {hidden > 0 ? (
        <p className="wall-more" data-testid="wall-slo-more">
          +{hidden} more SLO{hidden === 1 ? '' : 's'} ({TONE_WORD[worstOf(hiddenTones)]} at worst) on the SLO view
        </p>
      ) : null}
    </div>
  );
}

function SloTileView(props: { s: SloStatusView; tone: WallTone; src: Source<SloStatusView[]>; now: number; group: SloGroup }): ReactNode {
  const { s, tone, src, now, group } = props;
  const f = freshness(
    {
      at: s.fetchedAt ? Date.parse(s.fetchedAt) : null,
      refreshMs: src.fresh.refreshMs,
      failing: s.stale || src.fresh.failing,
      ...(s.staleReason ? { reason: s.staleReason } : src.fresh.reason ? { reason: src.fresh.reason } : {}),
    },
    now,
  );
  const b = burnEmphasis(s);
  return (
    <article
      className={`wall-tile wall-slo wt-${tone}${f.stale ? ' is-stale' : ''}${b.level === 'page' ? ' is-paging' : ''}`}
      data-testid="wall-slo-tile"
      data-slo-id={s.id}
      data-tone={tone}
      data-stale={f.stale}
      data-burn={b.level}
    >
      <div className="wall-tile-group" data-testid="wall-slo-group" data-group={group.key}>
        {group.title}
      </div>
      <div className="wall-tile-name">{s.displayName ?? s.name}</div>
      <div className={`wall-big${pct(s.errorBudgetRemaining).length > 4 ? ' is-long' : ''}`} data-testid="wall-slo-budget">
        {pct(s.errorBudgetRemaining)}
        <span className="wall-big-unit"> left</span>
      </div>
      {b.level === 'none' ? (
        <div className="wall-burn burn-none" data-testid="wall-slo-burn">
          1 h burn {burn(b.rate)}
        </div>
      ) : (
        <div className={`wall-burn burn-${b.level}`} data-testid="wall-slo-burn">
          {b.level === 'page' ? 'PAGE' : 'TICKET'} · {burn(b.rate)} burn
        </div>
      )}
      <div className="wall-tile-foot">
        <ToneMark tone={tone} />
        <Age f={f} />
      </div>
    </article>
  );
}
