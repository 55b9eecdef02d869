import type { ReactNode } from 'react';
import { ErrorIcon, OkIcon, SpinnerIcon, UnknownIcon, WarnIcon } from './icons';

/**
 * The status vocabulary of the whole console. Colours come from the Okabe–Ito palette (blue for good,
 * orange/vermillion for trouble) and every state also has its own shape and word.
 */
export type Tone = 'ok' | 'warn' | 'error' | 'unknown' | 'busy';

const ICON = { ok: OkIcon, warn: WarnIcon, error: ErrorIcon, unknown: UnknownIcon, busy: SpinnerIcon } as const;

export function StatusBadge(props: { tone: Tone; children: ReactNode; testId?: string; title?: string }): ReactNode {
  const Icon = ICON[props.tone];
  return (
    <span className={`badge tone-${props.tone}`} data-testid={props.testId} data-tone={props.tone} title={props.title}>
      <Icon className={props.tone === 'busy' ? 'icon spin' : 'icon'} />
      <span>{props.children}</span>
    </span>
  );
}
