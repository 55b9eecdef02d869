// Keys of the runbook and job views, for the shell's "?" overlay. Kept apart from the views so the shell's
// initial bundle does not pull in the log viewer.
export const RUNBOOK_JOB_SHORTCUTS: { keys: string[]; description: string }[] = [
  { keys: ['End'], description: 'Job log: follow new lines (pin to the bottom)' },
  { keys: ['Home'], description: 'Job log: go to the first line (stops following)' },
  { keys: ['/'], description: 'Runbooks or job log: search (in the log also Ctrl/⌘ + F)' },
  { keys: ['Enter'], description: 'Job log search: next match (Shift + Enter: previous)' },
  { keys: ['F3'], description: 'Job log: next match (Shift + F3: previous)' },
  { keys: ['Esc'], description: 'Job log search: clear the search' },
];
