// Text from remote systems (error bodies, job output, incident fields) is printed by the CLI; a terminal acts on
// the control sequences in it: clear the screen, set the window title, write the clipboard (OSC 52), rewrite the
// line with CR. Everything a terminal would act on is removed or shown as a visible symbol, except line feeds and
// tabs, and — for job output that asked for colour — SGR colour codes.

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

// One pass, longest forms first: CSI (ESC [ or the one-byte 0x9B), string sequences (OSC, DCS, SOS, PM, APC —
// ESC ] P X ^ _ or their C1 forms) ended by BEL or ST, other two-byte escapes, then CRLF, then single controls.
const SEQUENCE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /(?:\u001b\[|\u009b)([0-?]*)([ -/]*)([@-~])|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)|\u001b[ -/]*[0-~]|\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const SGR_PARAMS = /^[0-9;:]*$/;

export interface TerminalSafeOptions {
  /** Keep SGR (colour and style) sequences: `toc job follow --ansi` shows AWX's colours. */
  keepSgr?: boolean;
  /** Keep CRLF line ends: CSV (RFC 4180) ends its records with them. A lone CR is still neutralised. */
  keepCrlf?: boolean;
}

export function terminalSafe(text: string, opts: TerminalSafeOptions = {}): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text.replace(SEQUENCE, (m: string, params: string | undefined, inter: string | undefined, final: string | undefined) => {
    if (final !== undefined) {
      return opts.keepSgr && m.startsWith('\u001b') && final === 'm' && inter === '' && SGR_PARAMS.test(params ?? '') ? m : '';
    }
    if (m === '\r\n') return opts.keepCrlf ? m : '\n';
    if (m.length > 1) return '';
    return visible(m.charCodeAt(0));
  });
}

/** A control character as something a reader can see: Unicode's Control Pictures for C0 and DEL. */
function visible(code: number): string {
  if (code === 0x0a || code === 0x09) return String.fromCharCode(code);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd'; // C1: no picture exists; the replacement character marks the spot
}
