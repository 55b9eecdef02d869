import Anser from 'anser';

// ANSI colour for log lines: anser parses the SGR codes, and every colour becomes a CSS class (the renderer's
// CSP allows no inline styles, and classes follow the theme). 256-colour and true-colour codes map to the
// nearest of the 16 basic colours. A line is parsed only when it scrolls into view.

export interface Span {
  text: string;
  /** Space-separated class names, '' for plain text. */
  cls: string;
}

const ESC = '\u001b';
const RESET = `${ESC}[0m`;
const SGR = new RegExp(`${ESC}\\[([0-9;]*)m`, 'g');

const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;
/** xterm's 16 colours, for mapping 256-colour and true-colour codes to the nearest class. */
const RGB16: readonly [number, number, number][] = [
  [0, 0, 0],
  [205, 0, 0],
  [0, 205, 0],
  [205, 205, 0],
  [0, 0, 238],
  [205, 0, 205],
  [0, 205, 205],
  [229, 229, 229],
  [127, 127, 127],
  [255, 0, 0],
  [0, 255, 0],
  [255, 255, 0],
  [92, 92, 255],
  [255, 0, 255],
  [0, 255, 255],
  [255, 255, 255],
];

function nameOf16(i: number): string {
  const base = BASIC[i % 8] ?? 'white';
  return i >= 8 ? `bright-${base}` : base;
}

function nearest16(r: number, g: number, b: number): string {
  let best = 0;
  let bestD = Infinity;
  RGB16.forEach(([R, G, B], i) => {
    const d = (r - R) ** 2 + (g - G) ** 2 + (b - B) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return nameOf16(best);
}

function palette(n: number): string {
  if (n < 16) return nameOf16(n);
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return nearest16(v, v, v);
  }
  const c = n - 16;
  const steps = [0, 95, 135, 175, 215, 255];
  return nearest16(steps[Math.floor(c / 36)] ?? 0, steps[Math.floor(c / 6) % 6] ?? 0, steps[c % 6] ?? 0);
}

function colourClass(kind: 'fg' | 'bg', anserClass: string | null, truecolor: string | null): string {
  if (!anserClass) return '';
  let name: string | null = null;
  if (anserClass === 'ansi-truecolor' && truecolor) {
    const [r = 0, g = 0, b = 0] = truecolor.split(',').map((x) => Number(x.trim()));
    name = nearest16(r, g, b);
  } else if (anserClass.startsWith('ansi-palette-')) name = palette(Number(anserClass.slice(13)));
  else if (anserClass.startsWith('ansi-')) name = anserClass.slice(5);
  return name ? `ansi-${kind}-${name}` : '';
}

/** Splits one line into styled spans; `carry` is the colour still open from the event's previous line. */
export function ansiSpans(line: string, carry = ''): Span[] {
  const text = carry + line;
  if (text.indexOf(ESC) === -1) return [{ text, cls: '' }];
  const out: Span[] = [];
  for (const e of Anser.ansiToJson(text, { use_classes: true, remove_empty: true })) {
    if (!e.content) continue;
    const cls = [
      colourClass('fg', e.fg, e.fg === 'ansi-truecolor' ? e.fg_truecolor : null),
      colourClass('bg', e.bg, e.bg === 'ansi-truecolor' ? e.bg_truecolor : null),
      ...e.decorations
        .filter((d) => d === 'bold' || d === 'dim' || d === 'italic' || d === 'underline' || d === 'strikethrough')
        .map((d) => `ansi-${d}`),
    ]
      .filter(Boolean)
      .join(' ');
    out.push({ text: e.content, cls });
  }
  return out;
}

/**
 * The SGR codes still in effect at the end of a line, given those open at its start: ansible colours a
 * multi-line result once, at its first line, and resets at its last.
 */
export function carryAfter(line: string, carry: string): string {
  if (line.indexOf(ESC) === -1) return carry;
  // Ansible colours line by line (each ends with a reset): nothing carries over. The common case, kept cheap.
  if (line.endsWith(RESET)) return '';
  let state = carry;
  for (const m of line.matchAll(SGR)) {
    const codes = m[1] ?? '';
    state = codes === '' || codes === '0' || codes.endsWith(';0') ? '' : state + m[0];
  }
  // Bound growth for lines that set colours repeatedly without resetting.
  return state.length > 64 ? state.slice(state.lastIndexOf(ESC)) : state;
}
