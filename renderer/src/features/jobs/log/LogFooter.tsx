import type { ReactNode } from 'react';
import { gapLabel } from './log-model';
import type { Gap } from './log-model';

// Under the log: how many lines (and how many shown through a filter), every gap AWX left with a way to go to
// them, and the way back to follow mode when it is off.

export interface LogFooterProps {
  lineCount: number;
  /** Lines shown when a filter or fold is on; null when every line is. */
  shown: number | null;
  gaps: readonly Gap[];
  pinned: boolean;
  onGoToGap: () => void;
  onFollow: () => void;
}

export function LogFooter(props: LogFooterProps): ReactNode {
  const { lineCount, gaps } = props;
  const endGap = gaps.find((g) => g.at >= lineCount) ?? null;
  return (
    <div className="log-footer muted small">
      <span data-testid="job-log-count">
        {lineCount.toLocaleString()} line{lineCount === 1 ? '' : 's'}
        {props.shown !== null ? ` · ${props.shown.toLocaleString()} shown` : ''}
      </span>
      {gaps.length > 0 ? (
        <span className="log-gap-summary tone-warn-fg" data-testid="job-log-gaps">
          {gaps.length === 1 ? 'One gap' : `${gaps.length} gaps`}: AWX never saved {gaps.map(gapLabel).join(', ')}
          {endGap ? ' (the last after the final line)' : ''}
          {gaps.length > (endGap ? 1 : 0) ? (
            <>
              {' · '}
              <button type="button" className="btn-link" onClick={props.onGoToGap} data-testid="job-log-next-gap">
                Go to gap
              </button>
            </>
          ) : null}
        </span>
      ) : null}
      {!props.pinned ? (
        <button type="button" className="btn-link" onClick={props.onFollow} data-testid="job-follow-resume">
          Not following — press End to follow
        </button>
      ) : null}
    </div>
  );
}
