import type { ReactNode } from 'react';
import type { Span } from './ansi';
import { gapLabel } from './log-model';
import type { Gap } from './log-model';

// One row of the log: the gutter (line number, and a fold toggle on play and task headers), the marker of a gap
// right above it (events AWX never saved), and the line's text as coloured spans.

export interface LogGutterProps {
  /** 1-based line number. */
  line: number;
  /** Play or task header: it folds. */
  header: boolean;
  folded: boolean;
  onToggle: () => void;
}

export function LogGutter(props: LogGutterProps): ReactNode {
  return (
    <>
      <span className="log-num" aria-hidden="true">
        {props.line}
      </span>
      {props.header ? (
        <button
          type="button"
          className="log-fold"
          onClick={props.onToggle}
          aria-expanded={!props.folded}
          aria-label={props.folded ? 'Expand' : 'Collapse'}
          data-testid="job-log-fold"
        >
          {props.folded ? '▸' : '▾'}
        </button>
      ) : (
        <span className="log-fold-space" />
      )}
    </>
  );
}

export interface LogRowProps extends LogGutterProps {
  top: number;
  failed: boolean;
  match: boolean;
  current: boolean;
  gap: Gap | undefined;
  spans: Span[];
}

export function LogRow(props: LogRowProps): ReactNode {
  const { gap } = props;
  const cls = `log-line${props.failed ? ' log-failed' : ''}${props.header ? ' log-header' : ''}${props.match ? ' log-match' : ''}${props.current ? ' log-current' : ''}${gap ? ' log-gap-before' : ''}`;
  return (
    <div className={cls} style={{ transform: `translateY(${props.top}px)` }} data-testid="job-log-line" data-line={props.line}>
      <LogGutter line={props.line} header={props.header} folded={props.folded} onToggle={props.onToggle} />
      {gap ? (
        <span className="log-gap" role="note" data-testid="job-log-gap" data-from={gap.from} data-to={gap.to}>
          ⚠ missing above: AWX never saved {gapLabel(gap)}
        </span>
      ) : null}
      <span className="log-text">
        {props.spans.map((s, k) =>
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
}
