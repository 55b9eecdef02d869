import { compareText } from './prng';
import type { Database, Row } from './table-store';
import type { UserLocale } from './time-format';

// Work notes and additional comments are not columns: each write appends a sys_journal_field row, and the
// record's display value is the rendered history, newest first.

export const JOURNAL_LABELS: Readonly<Record<string, string>> = {
  work_notes: 'Work notes',
  comments: 'Additional comments',
};

export function journalEntries(db: Database, tableName: string, sysId: string, elements: readonly string[]): Row[] {
  const journal = db.table('sys_journal_field');
  const rows = (journal.indexBy('element_id').get(sysId) ?? []).filter((r) => r.name === tableName && elements.includes(r.element ?? ''));
  return rows.sort((a, b) => {
    const byTime = compareText(b.sys_created_on, a.sys_created_on);
    return byTime !== 0 ? byTime : journal.sequenceOf(b.sys_id ?? '') - journal.sequenceOf(a.sys_id ?? '');
  });
}

/** "2017-10-30 22:31:49 - System Administrator (Work notes)\n<text>\n\n" per entry, newest first. */
export function renderJournal(db: Database, locale: UserLocale, tableName: string, sysId: string, elements: readonly string[]): string {
  const users = db.table('sys_user');
  let out = '';
  for (const entry of journalEntries(db, tableName, sysId, elements)) {
    const userName = entry.sys_created_by ?? '';
    const who = users.findBy('user_name', userName)?.name ?? userName;
    const label = JOURNAL_LABELS[entry.element ?? ''] ?? entry.element ?? '';
    out += `${locale.displayDateTime(entry.sys_created_on ?? '')} - ${who} (${label})\n${entry.value ?? ''}\n\n`;
  }
  return out;
}

export function journalRow(
  sysId: string,
  tableName: string,
  recordSysId: string,
  element: string,
  text: string,
  createdOn: string,
  createdBy: string,
): Row {
  return {
    sys_id: sysId,
    element_id: recordSysId,
    element,
    name: tableName,
    value: text,
    sys_created_on: createdOn,
    sys_created_by: createdBy,
  };
}
