import type { ReactNode } from 'react';
import type { FreshnessView, WallTone } from './wall-model';
import { TONE_WORD, ageText } from './wall-model';

// The parts every wall page is built from: a tile's age (or STALE and how old), its tone in a word and a shape,
// a big-number tile, the note that says why data is not current, and the number formats of the big figures.

export function Age(props: { f: FreshnessView; testId?: string }): ReactNode {
  const { f } = props;
  return (
    <span className={`wall-age${f.stale ? ' is-stale' : ''}`} data-testid={props.testId ?? 'wall-age'} data-stale={f.stale}>
      {f.stale ? `STALE · ${f.ageMs === null ? 'no data' : `${ageText(f.ageMs)} old`}` : `${ageText(f.ageMs)} ago`}
    </span>
  );
}

export function ToneMark(props: { tone: WallTone }): ReactNode {
  // The shape says it too: ● fine, ▲ attention, ■ act now, ? unknown.
  const glyph = { ok: '●', warn: '▲', crit: '■', unknown: '?' }[props.tone];
  return (
    <span className="wall-tone-word">
      <span className="wall-glyph">{glyph}</span> {TONE_WORD[props.tone]}
    </span>
  );
}

export function Stat(props: { label: string; value: number | string; tone: WallTone; f: FreshnessView; testId: string }): ReactNode {
  return (
    <div
      className={`wall-tile wall-stat wt-${props.tone}${props.f.stale ? ' is-stale' : ''}`}
      data-testid={props.testId}
      data-tone={props.tone}
      data-stale={props.f.stale}
    >
      <div className="wall-stat-label">{props.label}</div>
      <div className="wall-big">{props.value}</div>
      <div className="wall-tile-foot">
        <ToneMark tone={props.tone} />
        <Age f={props.f} />
      </div>
    </div>
  );
}

export function StaleNote(props: { f: FreshnessView }): ReactNode {
  if (!props.f.stale || !props.f.why) return null;
  return (
    <p className="wall-stale-note" data-testid="wall-stale-note">
      Not current: {props.f.why}
    </p>
  );
}

export function NoSource(props: { what: string }): ReactNode {
  return (
    <div className="wall-empty" data-testid="wall-no-source">
      {props.what}
    </div>
  );
}

/** Budget left, big: whole percent from 10 % up (and overspent), one decimal below; a real minus sign. */
export const pct = (x: number | null): string => {
  if (x === null || !Number.isFinite(x)) return '—';
  const p = x * 100;
  const text = Math.abs(p) >= 10 ? String(Math.round(Math.abs(p))) : Math.abs(p).toFixed(1);
  return `${p < 0 ? '−' : ''}${text}%`;
};
export const burn = (x: number | null): string => (x === null || !Number.isFinite(x) ? '—' : `${x < 10 ? x.toFixed(1) : Math.round(x)}×`);
