import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { logText } from '@shared/jobs/jobs';
import { ansiSpans } from './ansi';
import type { Span } from './ansi';
import { FLAG_FAILED, FLAG_PLAY, FLAG_TASK } from './log-model';
import type { LogModel } from './log-model';
import { useRowWindow } from './use-row-window';
import { sortedHas, useLogSearch } from './use-log-search';
import { useLogKeys } from './use-log-keys';
import { LogSearchBar } from './LogSearchBar';
import { LogRow } from './LogRow';
import { LogFooter } from './LogFooter';

// The live job log: only the rows on screen exist (use-row-window), ANSI colours as classes, line numbers, follow
// mode (pinned to the bottom while new lines arrive; scrolling up unpins; End re-pins), search with a match
// count and next/previous, filters to failed/changed lines, plays/tasks that fold, and gaps AWX left marked.

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

  const lineCount = model.lineCount;
  // `version` is the model's change counter: the model is mutated in place, so it is what invalidates these.
  const visible = useMemo(
    () => model.visible({ failedOnly, changedOnly, collapsedPlays, collapsedTasks }, version),
    [model, version, failedOnly, changedOnly, collapsedPlays, collapsedTasks],
  );
  const count = visible ? visible.length : lineCount;
  const search = useLogSearch(model, visible, count);
  const { q, matches, currentMatch, setCurrent } = search;
  const matchCount = matches.length;

  const rows = useRowWindow(scrollRef, count, LINE_HEIGHT, pinned);
  const { scrollToIndex, scrollToEnd, scrollToTop } = rows;

  const setPin = useCallback((on: boolean) => {
    pinnedRef.current = on;
    setPinned(on);
  }, []);

  // Follow mode: after every render that added lines, stay at the bottom.
  useLayoutEffect(() => {
    if (pinned) scrollToEnd();
  }, [pinned, count, version, scrollToEnd]);

  const onScroll = (): void => {
    const atBottom = rows.onScroll();
    if (atBottom !== pinnedRef.current) setPin(atBottom);
  };

  const goToMatch = useCallback(
    (next: number) => {
      if (matchCount === 0) return;
      const i = ((next % matchCount) + matchCount) % matchCount;
      setCurrent(i);
      setPin(false);
      scrollToIndex(matches[i] ?? 0);
    },
    [matchCount, matches, scrollToIndex, setPin, setCurrent],
  );
  const step = useCallback((delta: number) => goToMatch(currentMatch + delta), [goToMatch, currentMatch]);

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
    scrollToIndex(pos);
  }, [model, visible, scrollToIndex, setPin]);

  const follow = useCallback(() => {
    setPin(true);
    scrollToEnd();
  }, [setPin, scrollToEnd]);

  const top = useCallback(() => {
    setPin(false);
    scrollToTop();
  }, [setPin, scrollToTop]);

  useLogKeys({ searchRef, step, follow, top });

  const spansOf = (i: number): Span[] => {
    const cache = spanCache.current;
    let s = cache.get(i);
    if (!s) {
      s = ansiSpans(model.lineText(i), model.carryAt(i));
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
    const f = model.flagsAt(i);
    if (f & FLAG_PLAY) {
      const p = model.playAt(i);
      setCollapsedPlays((s) => toggled(s, p));
    } else if (f & FLAG_TASK) {
      const t = model.taskAt(i);
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
    for (let pos = 0; pos < count; pos++) lines.push(model.lineText(visible ? (visible[pos] ?? 0) : pos));
    await navigator.clipboard.writeText(logText(lines)).catch(() => undefined);
  };

  const shownRows: ReactNode[] = [];
  for (let row = rows.start; row < rows.end; row++) {
    const i = visible ? (visible[row] ?? 0) : row;
    const f = model.flagsAt(i);
    const header = (f & (FLAG_PLAY | FLAG_TASK)) !== 0 && model.lineText(i) !== '';
    const folded = header && (f & FLAG_PLAY ? collapsedPlays.has(model.playAt(i)) : collapsedTasks.has(model.taskAt(i)));
    shownRows.push(
      // Keyed by slot, not by line: while following, the same row elements take the next lines instead of being
      // torn down and rebuilt every frame.
      <LogRow
        key={row - rows.start}
        line={i + 1}
        top={row * LINE_HEIGHT}
        header={header}
        folded={folded}
        onToggle={() => toggleSection(i)}
        failed={(f & FLAG_FAILED) !== 0}
        match={sortedHas(matches, row)}
        current={currentMatch >= 0 && matches[currentMatch] === row}
        gap={model.gapBefore.get(i)}
        spans={spansOf(i)}
      />,
    );
  }

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
        <LogSearchBar
          inputRef={searchRef}
          query={search.query}
          active={q !== ''}
          done={search.done}
          matchCount={matchCount}
          currentMatch={currentMatch}
          onQuery={(text) => {
            search.setQuery(text);
            setCurrent(0);
          }}
          onStep={step}
        />
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
          <p
            className={`log-empty ${model.noLog !== null ? 'tone-warn-fg' : 'muted'}`}
            data-testid="job-log-empty"
            data-state={emptyState(model)}
          >
            {model.end
              ? failedOnly || changedOnly
                ? 'No line matches the filter.'
                : 'This job printed nothing.'
              : model.noLog !== null
                ? model.noLog
                : model.error
                  ? 'No output to show: the log could not be read (above).'
                  : 'Waiting for output…'}
          </p>
        ) : null}
        <div className="log-canvas" style={{ height: `${rows.totalHeight}px` }}>
          {shownRows}
        </div>
      </div>
      <LogFooter
        lineCount={lineCount}
        shown={visible ? count : null}
        gaps={model.gaps}
        pinned={pinned}
        onGoToGap={goToGap}
        onFollow={follow}
      />
    </div>
  );
}

/** Why the log is empty: it ended empty, it is not in the offline copy, it could not be read, or it is on its way. */
function emptyState(model: LogModel): string {
  if (model.end) return 'ended';
  if (model.noLog !== null) return 'not-in-copy';
  return model.error ? 'error' : 'waiting';
}

function toggled(s: ReadonlySet<number>, k: number): ReadonlySet<number> {
  if (k < 0) return s;
  const next = new Set(s);
  if (next.has(k)) next.delete(k);
  else next.add(k);
  return next;
}
