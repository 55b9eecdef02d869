import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { logText } from '@shared/jobs/jobs';
import { isTypingTarget } from '../../../app/shell/keyboard';
import { ansiSpans } from './ansi';
import type { Span } from './ansi';
import { FLAG_FAILED, FLAG_PLAY, FLAG_TASK, gapLabel } from './log-model';
import type { LogModel } from './log-model';
import { useDebounced } from '../../../app/use-debounced';

// The live job log: virtualised (only the rows on screen exist), ANSI colours as classes, line numbers, follow
// mode (pinned to the bottom while new lines arrive; scrolling up unpins; End re-pins), search with a match
// count and next/previous, filters to failed/changed lines, and plays/tasks that fold.
// Over 400 lines while the search bar and the gutter are still part of it (their split is listed in docs/architecture.md).

export const LINE_HEIGHT = 18;
const SPAN_CACHE_MAX = 4000;

export interface LogViewerProps {
  model: LogModel;
  version: number;
  /** The text a download or copy should use for the whole job. */
  onDownload: () => void;
}

export function LogViewer(props: LogViewerProps): ReactNode {
  const { model, version } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const spanCache = useRef(new Map<number, Span[]>());
  const [pinned, setPinned] = useState(true);
  const pinnedRef = useRef(true);
  const [failedOnly, setFailedOnly] = useState(false);
  const [changedOnly, setChangedOnly] = useState(false);
  const [collapsedPlays, setCollapsedPlays] = useState<ReadonlySet<number>>(() => new Set());
  const [collapsedTasks, setCollapsedTasks] = useState<ReadonlySet<number>>(() => new Set());
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 150);
  const [current, setCurrent] = useState(0);

  const lineCount = model.lineCount;
  // `version` is the model's change counter: the model is mutated in place, so it is what invalidates these.
  const visible = useMemo(
    () => model.visible({ failedOnly, changedOnly, collapsedPlays, collapsedTasks }, version),
    [model, version, failedOnly, changedOnly, collapsedPlays, collapsedTasks],
  );
  const count = visible ? visible.length : lineCount;

  // Search results grow with the log: while nothing is filtered, only new lines are searched.
  const searchState = useRef<{ q: string; visible: Int32Array | null; searched: number; matches: number[] }>({
    q: '',
    visible: null,
    searched: 0,
    matches: [],
  });
  const matches = useMemo(() => {
    const s = searchState.current;
    if (!q) {
      searchState.current = { q: '', visible: null, searched: 0, matches: [] };
      return searchState.current.matches;
    }
    if (s.q === q && s.visible === null && visible === null && count >= s.searched) {
      model.search(q, null, s.searched, s.matches);
      s.searched = count;
      return s.matches;
    }
    const fresh = { q, visible, searched: count, matches: model.search(q, visible) };
    searchState.current = fresh;
    return fresh.matches;
  }, [q, visible, count, model]);
  const matchCount = matches.length;
  const currentMatch = matchCount > 0 ? Math.min(current, matchCount - 1) : -1;
  const matchSet = useMemo(() => (matchCount > 0 && matchCount <= 50_000 ? new Set(matches) : null), [matches, matchCount]);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 10,
    initialRect: { width: 1000, height: 600 },
  });

  const setPin = useCallback((on: boolean) => {
    pinnedRef.current = on;
    setPinned(on);
  }, []);

  // Follow mode: after every render that added lines, stay at the bottom.
  useLayoutEffect(() => {
    if (!pinned) return;
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [pinned, count, version]);

  const onScroll = (): void => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT * 1.5;
    if (atBottom !== pinnedRef.current) setPin(atBottom);
  };

  const goToMatch = useCallback(
    (next: number) => {
      if (matchCount === 0) return;
      const i = ((next % matchCount) + matchCount) % matchCount;
      setCurrent(i);
      setPin(false);
      virtualizer.scrollToIndex(matches[i] ?? 0, { align: 'center' });
    },
    [matchCount, matches, virtualizer, setPin],
  );

  // A new search shows its first match, as a browser's find does.
  const jumpedFor = useRef('');
  useEffect(() => {
    if (!q) jumpedFor.current = '';
    else if (jumpedFor.current !== q && matchCount > 0) {
      jumpedFor.current = q;
      goToMatch(0);
    }
  }, [q, matchCount, goToMatch]);

  // Gaps (events AWX never saved): the next one after the last visited, in the lines shown.
  const gapIndex = useRef(-1);
  const goToGap = useCallback(() => {
    const gaps = model.gaps.filter((g) => g.at < model.lineCount);
    if (gaps.length === 0) return;
    gapIndex.current = (gapIndex.current + 1) % gaps.length;
    const at = gaps[gapIndex.current]?.at ?? 0;
    let pos = at;
    if (visible) {
      pos = visible.findIndex((i) => i >= at);
      if (pos < 0) pos = visible.length - 1;
    }
    setPin(false);
    virtualizer.scrollToIndex(pos, { align: 'center' });
  }, [model, visible, virtualizer, setPin]);
  const endGap = model.gaps.find((g) => g.at >= lineCount) ?? null;

  const follow = useCallback(() => {
    setPin(true);
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [setPin]);

  const top = useCallback(() => {
    setPin(false);
    const el = scrollRef.current;
    if (el) el.scrollTop = 0;
  }, [setPin]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.altKey) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (e.key === 'F3') {
        e.preventDefault();
        goToMatch(currentMatch + (e.shiftKey ? -1 : 1));
        return;
      }
      if (isTypingTarget(e.target) || mod) return;
      if (e.key === 'End') {
        e.preventDefault();
        follow();
      } else if (e.key === 'Home') {
        e.preventDefault();
        top();
      } else if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [follow, top, goToMatch, currentMatch]);

  const onSearchKey = (e: ReactKeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault();
      goToMatch(currentMatch + (e.shiftKey ? -1 : 1));
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setQuery('');
      setCurrent(0);
    }
  };

  const spansOf = (i: number): Span[] => {
    const cache = spanCache.current;
    let s = cache.get(i);
    if (!s) {
      s = ansiSpans(model.texts[i] ?? '', model.carries[i] ?? '');
      if (cache.size >= SPAN_CACHE_MAX) cache.clear();
      cache.set(i, s);
    }
    return s;
  };
  // A truncated model (resume after a drop) reuses indexes: forget their cached spans.
  const lastCount = useRef(lineCount);
  if (lineCount < lastCount.current) spanCache.current.clear();
  lastCount.current = lineCount;

  const toggleSection = (i: number): void => {
    const f = model.flags[i] ?? 0;
    if (f & FLAG_PLAY) {
      const p = model.plays[i] ?? -1;
      setCollapsedPlays((s) => toggled(s, p));
    } else if (f & FLAG_TASK) {
      const t = model.tasks[i] ?? -1;
      setCollapsedTasks((s) => toggled(s, t));
    }
  };
  const allCollapsed = model.taskSections.length > 0 && collapsedTasks.size >= model.taskSections.length;
  const collapseAll = (): void => {
    setCollapsedTasks(allCollapsed ? new Set() : new Set(model.taskSections.map((_s, k) => k)));
    setCollapsedPlays(new Set());
  };

  const copyVisible = async (): Promise<void> => {
    const lines: string[] = [];
    for (let pos = 0; pos < count; pos++) lines.push(model.texts[visible ? (visible[pos] ?? 0) : pos] ?? '');
    await navigator.clipboard.writeText(logText(lines)).catch(() => undefined);
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div
      className="log"
      data-testid="job-log"
      data-lines={lineCount}
      data-visible={count}
      data-complete={model.end ? String(model.end.complete) : 'running'}
    >
      <div className="log-toolbar" role="toolbar" aria-label="Log tools">
        <button
          type="button"
          className={`btn btn-small${pinned ? ' btn-on' : ''}`}
          aria-pressed={pinned}
          onClick={() => (pinned ? setPin(false) : follow())}
          data-testid="job-follow-toggle"
          title="Follow new lines (End)"
        >
          {pinned ? 'Following' : 'Follow'}
        </button>
        <label className="checkbox log-check">
          <input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} data-testid="job-filter-failed" />
          Failed only
        </label>
        <label className="checkbox log-check">
          <input
            type="checkbox"
            checked={changedOnly}
            onChange={(e) => setChangedOnly(e.target.checked)}
            data-testid="job-filter-changed"
          />
          Changed only
        </label>
        <button
          type="button"
          className="btn btn-small"
          onClick={collapseAll}
          disabled={model.taskSections.length === 0}
          data-testid="job-collapse-all"
        >
          {allCollapsed ? 'Expand tasks' : 'Collapse tasks'}
        </button>
        <span className="log-search">
          <input
            ref={searchRef}
            type="search"
            placeholder="Search the log (/)"
            aria-label="Search the log"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setCurrent(0);
            }}
            onKeyDown={onSearchKey}
            data-testid="job-search"
          />
          <span className="log-search-count muted" aria-live="polite" data-testid="job-search-count" data-count={q ? matchCount : ''}>
            {q ? (matchCount ? `${currentMatch + 1} of ${matchCount}` : 'no match') : ''}
          </span>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => goToMatch(currentMatch - 1)}
            disabled={matchCount === 0}
            aria-label="Previous match"
            data-testid="job-search-prev"
          >
            ↑
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => goToMatch(currentMatch + 1)}
            disabled={matchCount === 0}
            aria-label="Next match"
            data-testid="job-search-next"
          >
            ↓
          </button>
        </span>
        <span className="log-toolbar-end">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void copyVisible()}
            disabled={count === 0}
            data-testid="job-copy"
            title="Copy the lines shown"
          >
            Copy
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={props.onDownload}
            disabled={lineCount === 0 && !model.end}
            data-testid="job-download"
          >
            Download
          </button>
        </span>
      </div>
      <div
        className="log-scroll"
        ref={scrollRef}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-label="Job output"
        aria-live="off"
        data-testid="job-log-scroll"
      >
        {count === 0 ? (
          <p className="log-empty muted" data-testid="job-log-empty">
            {model.end ? (failedOnly || changedOnly ? 'No line matches the filter.' : 'This job printed nothing.') : 'Waiting for output…'}
          </p>
        ) : null}
        <div className="log-canvas" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {items.map((vi, slot) => {
            const i = visible ? (visible[vi.index] ?? 0) : vi.index;
            const f = model.flags[i] ?? 0;
            const text = model.texts[i] ?? '';
            const header = (f & (FLAG_PLAY | FLAG_TASK)) !== 0 && text !== '';
            const folded = header && (f & FLAG_PLAY ? collapsedPlays.has(model.plays[i] ?? -1) : collapsedTasks.has(model.tasks[i] ?? -1));
            const isMatch = matchSet ? matchSet.has(vi.index) : false;
            const isCurrent = currentMatch >= 0 && matches[currentMatch] === vi.index;
            const gap = model.gapBefore.get(i);
            const cls = `log-line${f & FLAG_FAILED ? ' log-failed' : ''}${header ? ' log-header' : ''}${isMatch ? ' log-match' : ''}${isCurrent ? ' log-current' : ''}${gap ? ' log-gap-before' : ''}`;
            return (
              // Keyed by slot, not by line: while following, the same row elements take the next lines
              // instead of being torn down and rebuilt every frame.
              <div
                key={slot}
                className={cls}
                style={{ transform: `translateY(${vi.start}px)` }}
                data-testid="job-log-line"
                data-line={i + 1}
              >
                <span className="log-num" aria-hidden="true">
                  {i + 1}
                </span>
                {header ? (
                  <button
                    type="button"
                    className="log-fold"
                    onClick={() => toggleSection(i)}
                    aria-expanded={!folded}
                    aria-label={folded ? 'Expand' : 'Collapse'}
                    data-testid="job-log-fold"
                  >
                    {folded ? '▸' : '▾'}
                  </button>
                ) : (
                  <span className="log-fold-space" />
                )}
                {gap ? (
                  <span className="log-gap" role="note" data-testid="job-log-gap" data-from={gap.from} data-to={gap.to}>
                    ⚠ missing above: AWX never saved {gapLabel(gap)}
                  </span>
                ) : null}
                <span className="log-text">
                  {spansOf(i).map((s, k) =>
                    s.cls ? (
                      <span key={k} className={s.cls}>
                        {s.text}
                      </span>
                    ) : (
                      s.text
                    ),
                  )}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <div className="log-footer muted small">
        <span data-testid="job-log-count">
          {lineCount.toLocaleString()} line{lineCount === 1 ? '' : 's'}
          {visible ? ` · ${count.toLocaleString()} shown` : ''}
        </span>
        {model.gaps.length > 0 ? (
          <span className="log-gap-summary tone-warn-fg" data-testid="job-log-gaps">
            {model.gaps.length === 1 ? 'One gap' : `${model.gaps.length} gaps`}: AWX never saved {model.gaps.map(gapLabel).join(', ')}
            {endGap ? ' (the last after the final line)' : ''}
            {model.gaps.length > (endGap ? 1 : 0) ? (
              <>
                {' · '}
                <button type="button" className="btn-link" onClick={goToGap} data-testid="job-log-next-gap">
                  Go to gap
                </button>
              </>
            ) : null}
          </span>
        ) : null}
        {!pinned ? (
          <button type="button" className="btn-link" onClick={follow} data-testid="job-follow-resume">
            Not following — press End to follow
          </button>
        ) : null}
      </div>
    </div>
  );
}

function toggled(s: ReadonlySet<number>, k: number): ReadonlySet<number> {
  if (k < 0) return s;
  const next = new Set(s);
  if (next.has(k)) next.delete(k);
  else next.add(k);
  return next;
}
