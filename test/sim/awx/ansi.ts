// ANSI handling exactly as AWX does it: `txt` output removes every `ESC[...m`, and list views cut long event
// stdout and close the colour codes left open.

const ESC = String.fromCharCode(27);
const ANY_SGR = new RegExp(`${ESC}\\[[^m]*m`, 'g');
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
const RESET = `${ESC}[0m`;

export function stripAnsi(text: string): string {
  return text.replace(ANY_SGR, '');
}

/** EVENT_STDOUT_MAX_BYTES_DISPLAY: first size-1 characters, an ellipsis, then resets for open colour codes. */
export function truncateEventStdout(stdout: string, size: number): string {
  if (size <= 0 || stdout.length <= size) return stdout;
  // Python counts code points; a slice of 2*size UTF-16 units always holds at least `size` of them.
  const points = Array.from(stdout.slice(0, size * 2));
  if (points.length <= size && stdout.length <= size * 2) return stdout;
  const cut = `${points.slice(0, size - 1).join('')}\u2026`;
  let sets = 0;
  let resets = 0;
  for (const match of cut.matchAll(SGR)) {
    if (match[0] === RESET) resets += 1;
    else sets += 1;
  }
  return cut + RESET.repeat(Math.max(0, sets - resets));
}
