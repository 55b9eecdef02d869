import type { MatchOperator, Matcher, MatcherProblem } from '@shared/alerts/matchers';
import type { MethodInput } from '@shared/contract';
import { fromOperator, matchersFromLabels, operatorOf, silenceMatcherProblems } from '@shared/alerts/matchers';
import { fromInputValue, toInputValue } from '../../app/format/time';

// The create-silence form as plain data: what the user typed (kept as typed, even when the server refuses it),
// how it becomes the contract call, and what is missing before it can be sent.

export interface MatcherRow {
  /** Stable React key (rows can be removed from the middle). */
  key: string;
  name: string;
  op: MatchOperator;
  value: string;
}

export const DURATIONS = [
  { id: '30m', label: '30 minutes', ms: 30 * 60_000 },
  { id: '1h', label: '1 hour', ms: 3_600_000 },
  { id: '2h', label: '2 hours', ms: 2 * 3_600_000 },
  { id: '4h', label: '4 hours', ms: 4 * 3_600_000 },
  { id: '8h', label: '8 hours', ms: 8 * 3_600_000 },
  { id: '1d', label: '1 day', ms: 24 * 3_600_000 },
  { id: '3d', label: '3 days', ms: 3 * 24 * 3_600_000 },
] as const;
export type DurationId = (typeof DURATIONS)[number]['id'] | 'custom';

export interface SilenceDraft {
  matchers: MatcherRow[];
  duration: DurationId;
  /** `<input type="datetime-local">` value (local time) when duration is custom. */
  customEnd: string;
  createdBy: string;
  comment: string;
}

let seq = 0;
export const rowKey = (): string => `m${++seq}`;

export const rowOf = (m: Matcher): MatcherRow => ({ key: rowKey(), name: m.name, op: operatorOf(m), value: m.value });

export const emptyRow = (): MatcherRow => ({ key: rowKey(), name: '', op: '=', value: '' });

export function emptyDraft(createdBy: string): SilenceDraft {
  return { matchers: [emptyRow()], duration: '2h', customEnd: '', createdBy, comment: '' };
}

/** "Silence this alert": one equality matcher per label, alertname first. */
export function draftFromLabels(labels: Record<string, string>, createdBy: string): SilenceDraft {
  return { ...emptyDraft(createdBy), matchers: matchersFromLabels(labels).map(rowOf) };
}

export function draftFromMatchers(matchers: readonly Matcher[], createdBy: string, comment = ''): SilenceDraft {
  return { ...emptyDraft(createdBy), matchers: matchers.map(rowOf), comment };
}

/** Rows with a name become matchers; a row left completely empty is ignored. */
export function matchersOf(d: SilenceDraft): Matcher[] {
  return d.matchers
    .filter((r) => r.name.trim() !== '' || r.value !== '')
    .map((r) => ({ name: r.name.trim(), value: r.value, ...fromOperator(r.op) }));
}

export function endsAtOf(d: SilenceDraft, now: number): string | null {
  if (d.duration === 'custom') {
    const t = fromInputValue(d.customEnd);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  const choice = DURATIONS.find((x) => x.id === d.duration);
  return choice ? new Date(now + choice.ms).toISOString() : null;
}

export interface DraftCheck {
  /** Field → what is missing (createdBy, comment, end, matchers): these stop the form from sending. */
  fields: Partial<Record<'createdBy' | 'comment' | 'end' | 'matchers', string>>;
  /**
   * What Alertmanager would refuse in the matchers, by index in matchersOf(). Shown as warnings while typing
   * but not a reason to hold the form back: Alertmanager is the judge, and its answer is shown in its words.
   */
  matchers: MatcherProblem[];
  ok: boolean;
}

export function checkDraft(d: SilenceDraft, now: number): DraftCheck {
  const fields: DraftCheck['fields'] = {};
  const ms = matchersOf(d);
  if (ms.length === 0) fields.matchers = 'Add at least one matcher.';
  else if (ms.some((m) => m.name === '')) fields.matchers = 'Every matcher needs a label name.';
  if (!d.createdBy.trim()) fields.createdBy = 'Say who creates the silence.';
  if (!d.comment.trim()) fields.comment = 'A comment is required: why, and a ticket if there is one.';
  const end = endsAtOf(d, now);
  if (!end) fields.end = 'Choose when the silence ends.';
  else if (Date.parse(end) <= now) fields.end = 'The end is in the past.';
  const matchers = ms.length === 0 ? [] : silenceMatcherProblems(ms);
  return { fields, matchers, ok: Object.keys(fields).length === 0 };
}

export function createArgs(d: SilenceDraft, now: number, connectionId: string): MethodInput<'alerts.createSilence'> {
  return {
    connectionId,
    matchers: matchersOf(d),
    endsAt: endsAtOf(d, now) ?? new Date(now).toISOString(),
    createdBy: d.createdBy,
    comment: d.comment,
  };
}

/** `2026-03-01T14:05` for the end's datetime-local input, in the zone the console shows (Settings → Time zone). */
export function toLocalInput(ms: number): string {
  return toInputValue(ms);
}

/** "in 1 h 20 min", "2 d ago": for silence ends and starts. */
export function formatRelative(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = t - now;
  const abs = Math.abs(diff);
  const m = Math.round(abs / 60_000);
  let text: string;
  if (m < 1) text = 'less than a minute';
  else if (m < 60) text = `${m} min`;
  else if (m < 48 * 60) text = `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  else text = `${Math.floor(m / 1440)} d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}
