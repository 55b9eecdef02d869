import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { terminalSafe } from '../../../electron/cli/terminal-safe';

// Remote text (error bodies, job output, incident fields) reaches the terminal through one function. What a
// terminal would act on — clear the screen, set the title, move the cursor, ring the bell, switch character
// sets — must arrive inert.

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminalSafe', () => {
  it('leaves ordinary text, newlines, tabs and non-ASCII text alone', () => {
    const t = 'INC0010001\tDisk full on db-7 — 監視 ✓\nnext line\n';
    expect(terminalSafe(t)).toBe(t);
  });

  it('removes clear-screen, cursor moves and colour (CSI) sequences', () => {
    expect(terminalSafe('a\u001b[2Jb\u001b[1;1Hc\u001b[31mred\u001b[0m')).toBe('abcred');
    expect(terminalSafe('x\u001b[?1049hy')).toBe('xy');
  });

  it('removes OSC (window title, hyperlinks, clipboard) whether ended by BEL or ST', () => {
    expect(terminalSafe('before\u001b]0;pwned title\u0007after')).toBe('beforeafter');
    expect(terminalSafe('a\u001b]52;c;ZWNobyBoaQ==\u001b\\b')).toBe('ab');
    expect(terminalSafe('a\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007b')).toBe('alinkb');
  });

  it('neutralises C1 controls, including the one-byte CSI and OSC', () => {
    const r = terminalSafe('a\u009b2Jb\u009d0;title\u009cc\u0085d');
    expect(r).not.toMatch(CONTROL);
    expect(r).toContain('a');
    expect(r).toContain('d');
  });

  it('shows other C0 controls and DEL as visible symbols instead of sending them', () => {
    const r = terminalSafe('bell\u0007 back\u0008 cr\rover nul\u0000 del\u007f so\u000e');
    expect(r).not.toMatch(CONTROL);
    expect(r).toBe('bell␇ back␈ cr␍over nul␀ del␡ so␎');
  });

  it('keeps CRLF line ends as line ends', () => {
    expect(terminalSafe('one\r\ntwo\r\n')).toBe('one\ntwo\n');
  });

  it('an escape sequence cut off at the end of the text is still inert', () => {
    expect(terminalSafe('a\u001b')).not.toMatch(CONTROL);
    expect(terminalSafe('a\u001b[')).not.toMatch(CONTROL);
    expect(terminalSafe('a\u001b]0;no end')).not.toMatch(CONTROL);
  });

  it('with keepSgr, keeps colour codes (what AWX sends) and nothing else', () => {
    const awx = '\u001b[0;32mok: [web-1]\u001b[0m\u001b[2J\u001b]0;t\u0007 \u001b[1;31mfatal\u001b[0m';
    expect(terminalSafe(awx, { keepSgr: true })).toBe('\u001b[0;32mok: [web-1]\u001b[0m \u001b[1;31mfatal\u001b[0m');
    expect(terminalSafe('\u001b[38;5;196mx\u001b[38:2:1:2:3my', { keepSgr: true })).toBe('\u001b[38;5;196mx\u001b[38:2:1:2:3my');
    // A cursor move dressed up with an "m" elsewhere is not colour.
    expect(terminalSafe('\u001b[?25l\u001b[5A', { keepSgr: true })).toBe('');
  });

  it('fuzz: whatever bytes come in, no control character but \\n and \\t goes out', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = [
      '\u001b',
      '[',
      ']',
      '\u0007',
      '\\',
      'm',
      ';',
      '0',
      '2',
      'J',
      'P',
      '_',
      '^',
      'X',
      '\u009b',
      '\u009c',
      '\u009d',
      '\r',
      '\n',
      '\t',
      'a',
      '\u0000',
      '\u007f',
    ];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let j = 0; j < 40; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      for (const keepSgr of [false, true]) {
        const out = terminalSafe(s, { keepSgr });
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        const withoutSgr = keepSgr ? out.replace(/\u001b\[[0-9;:]*m/g, '') : out;
        expect(withoutSgr, JSON.stringify(s)).not.toMatch(CONTROL);
      }
    }
  });
});

describe('every CLI writer goes through it', () => {
  it('no file under electron/cli writes to process.stdout or process.stderr directly, except the output module', () => {
    const root = path.resolve(import.meta.dirname, '../../../electron/cli');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = path.join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && path.basename(p) !== 'output.ts') {
          const text = readFileSync(p, 'utf8');
          if (
            /process\.(stdout|stderr)\.write|console\.(log|error|warn|info)\(|(err|out):\s*process\.std(err|out)\b|\?\?\s*process\.std(out|err)\b/.test(
              text,
            )
          )
            offenders.push(path.relative(root, p));
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
