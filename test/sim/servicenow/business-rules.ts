import { isActiveChoice } from './choices';
import { CHANGE_TRANSITION_RULE, CHANGE_TRANSITION_RULE_ID, snErrors } from './errors';
import type { SnError } from './errors';
import type { Row } from './table-store';
import { formatDurationValue, parseGlideDateTime } from './time-format';

// Server-side logic an out-of-box instance runs on every API write: the priority data lookup, the
// resolve/close data policies, incident state side effects and the change model's state transitions.

export interface SessionUser {
  readonly sysId: string;
  readonly userName: string;
  readonly name: string;
}

/** Out-of-box priority lookup: impact (rows) × urgency (columns). */
export const PRIORITY_MATRIX: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '1': { '1': '1', '2': '2', '3': '3' },
  '2': { '1': '2', '2': '3', '3': '4' },
  '3': { '1': '3', '2': '4', '3': '5' },
};

export function priorityFor(impact: string, urgency: string): string | undefined {
  return PRIORITY_MATRIX[impact]?.[urgency];
}

export const INCIDENT_STATE = { NEW: '1', IN_PROGRESS: '2', ON_HOLD: '3', RESOLVED: '6', CLOSED: '7', CANCELED: '8' } as const;
export const CHANGE_STATE = {
  NEW: '-5',
  ASSESS: '-4',
  AUTHORIZE: '-3',
  SCHEDULED: '-2',
  IMPLEMENT: '-1',
  REVIEW: '0',
  CLOSED: '3',
  CANCELED: '4',
} as const;

/** Allowed next states per change type (Canceled from anything up to Implement; revert to New early on). */
export const CHANGE_TRANSITIONS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  normal: {
    '-5': ['-4', '4'],
    '-4': ['-3', '-5', '4'],
    '-3': ['-2', '4'],
    '-2': ['-1', '4'],
    '-1': ['0', '4'],
    '0': ['3'],
    '3': [],
    '4': [],
  },
  emergency: { '-5': ['-3', '4'], '-3': ['-2', '-5', '4'], '-2': ['-1', '4'], '-1': ['0', '4'], '0': ['3'], '3': [], '4': [] },
  standard: { '-5': ['-2', '4'], '-2': ['-1', '4'], '-1': ['0', '4'], '0': ['3'], '3': [], '4': [] },
};

export interface RuleInput {
  readonly tableName: string;
  readonly previous: Row | undefined;
  /** The record as it will be saved; rules may change it. */
  readonly draft: Record<string, string>;
  /** Fields the client sent. */
  readonly touched: ReadonlySet<string>;
  readonly user: SessionUser;
  /** UTC glide date-time of this write. */
  readonly now: string;
}

export function runBusinessRules(input: RuleInput): SnError | undefined {
  if (input.tableName === 'incident') return incidentRules(input);
  if (input.tableName === 'change_request') return changeRules(input);
  return undefined;
}

function incidentRules({ previous, draft, touched, user, now }: RuleInput): SnError | undefined {
  const get = (f: string): string => draft[f] ?? '';
  const stateChanged = previous === undefined || previous.state !== draft.state;

  if (previous === undefined || touched.has('impact') || touched.has('urgency')) {
    const p = priorityFor(get('impact'), get('urgency'));
    if (p !== undefined) draft.priority = p;
  }
  if (stateChanged) draft.incident_state = get('state');
  if (stateChanged && get('state') !== INCIDENT_STATE.ON_HOLD) draft.hold_reason = '';

  const state = get('state');
  if (state === INCIDENT_STATE.RESOLVED || state === INCIDENT_STATE.CLOSED) {
    // A close_code that is not an active choice is treated as empty, so the message says "mandatory".
    const missing: string[] = [];
    if (!isActiveChoice('incident', 'close_code', get('close_code'))) missing.push('Resolution code');
    if (get('close_notes').trim() === '') missing.push('Close notes');
    if (missing.length > 0) return snErrors.dataPolicy(missing);
  }

  if (stateChanged) {
    const wasDone = previous !== undefined && (previous.state === INCIDENT_STATE.RESOLVED || previous.state === INCIDENT_STATE.CLOSED);
    if (state === INCIDENT_STATE.RESOLVED || (state === INCIDENT_STATE.CLOSED && get('resolved_at') === '')) {
      if (!touched.has('resolved_at')) draft.resolved_at = now;
      if (!touched.has('resolved_by') || get('resolved_by') === '') draft.resolved_by = user.sysId;
      const opened = parseGlideDateTime(get('opened_at'));
      const resolved = parseGlideDateTime(get('resolved_at'));
      if (opened !== undefined && resolved !== undefined) draft.calendar_duration = formatDurationValue((resolved - opened) / 1000);
    }
    if (state === INCIDENT_STATE.CLOSED) {
      if (!touched.has('closed_at')) draft.closed_at = now;
      if (!touched.has('closed_by') || get('closed_by') === '') draft.closed_by = user.sysId;
      draft.active = 'false';
    } else if (state === INCIDENT_STATE.CANCELED) {
      draft.active = 'false';
    } else if (wasDone) {
      draft.reopen_count = String(Number(get('reopen_count') || '0') + 1);
      draft.resolved_at = '';
      draft.resolved_by = '';
      draft.calendar_duration = '';
      draft.active = 'true';
    } else {
      draft.active = 'true';
    }
  }

  if (previous !== undefined && (previous.assignment_group ?? '') !== '' && previous.assignment_group !== get('assignment_group')) {
    draft.reassignment_count = String(Number(get('reassignment_count') || '0') + 1);
  }
  return undefined;
}

function changeRules({ previous, draft, user, now }: RuleInput): SnError | undefined {
  const get = (f: string): string => draft[f] ?? '';
  const state = get('state');
  const abort = (): SnError => snErrors.businessRuleAbort('change_request', CHANGE_TRANSITION_RULE, CHANGE_TRANSITION_RULE_ID);

  if (previous === undefined) {
    if (state !== CHANGE_STATE.NEW) return abort();
  } else if (previous.state !== state) {
    const allowed = CHANGE_TRANSITIONS[get('type')]?.[previous.state ?? ''] ?? [];
    if (!allowed.includes(state)) return abort();
  }

  if (state === CHANGE_STATE.CLOSED) {
    const missing: string[] = [];
    if (!isActiveChoice('change_request', 'close_code', get('close_code'))) missing.push('Close code');
    if (get('close_notes').trim() === '') missing.push('Close notes');
    if (missing.length > 0) return snErrors.dataPolicy(missing);
  }

  if (previous !== undefined && previous.state !== state) {
    if (state === CHANGE_STATE.AUTHORIZE) draft.approval = 'requested';
    if (state === CHANGE_STATE.SCHEDULED) draft.approval = 'approved';
    if (state === CHANGE_STATE.IMPLEMENT && get('work_start') === '') draft.work_start = now;
    if (state === CHANGE_STATE.REVIEW && get('work_end') === '') draft.work_end = now;
    if (state === CHANGE_STATE.CLOSED || state === CHANGE_STATE.CANCELED) {
      draft.closed_at = now;
      draft.closed_by = user.sysId;
      draft.active = 'false';
    }
  }
  return undefined;
}
