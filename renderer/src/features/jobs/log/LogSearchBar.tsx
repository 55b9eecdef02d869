import type { KeyboardEvent as ReactKeyboardEvent, ReactNode, RefObject } from 'react';

// The log's search field: the query, "n of m" (or "no match"), and previous/next. Enter and Shift+Enter step
// through the matches, Escape clears the search.

export interface LogSearchBarProps {
  inputRef: RefObject<HTMLInputElement | null>;
  query: string;
  /** Whether a query is in effect (the count shows only then). */
  active: boolean;
  /** Every line has been searched (until then the count is not final: "searching…"). */
  done: boolean;
  matchCount: number;
  currentMatch: number;
  onQuery: (q: string) => void;
  /** Steps to the match `delta` away from the current one (wrapping). */
  onStep: (delta: number) => void;
}

export function LogSearchBar(props: LogSearchBarProps): ReactNode {
  const { active, done, matchCount, currentMatch, onStep } = props;
  const onKey = (e: ReactKeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onStep(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      props.onQuery('');
    }
  };
  return (
    <span className="log-search">
      <input
        ref={props.inputRef}
        type="search"
        placeholder="Search the log (/)"
        aria-label="Search the log"
        value={props.query}
        onChange={(e) => props.onQuery(e.target.value)}
        onKeyDown={onKey}
        data-testid="job-search"
      />
      <span
        className="log-search-count muted"
        aria-live="polite"
        data-testid="job-search-count"
        data-count={active && done ? matchCount : ''}
      >
        {active ? (!done ? 'searching…' : matchCount ? `${currentMatch + 1} of ${matchCount}` : 'no match') : ''}
      </span>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => onStep(-1)}
        disabled={matchCount === 0}
        aria-label="Previous match"
        data-testid="job-search-prev"
      >
        ↑
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => onStep(1)}
        disabled={matchCount === 0}
        aria-label="Next match"
        data-testid="job-search-next"
      >
        ↓
      </button>
    </span>
  );
}
