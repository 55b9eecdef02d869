import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A source file over 400 lines says why in its first comment ("Over 400 lines because …"), or is split. The
// check reads every tracked source file of the app trees, so a new long file fails here, not in review.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LIMIT = 400;
const SOURCE = /^(shared|electron|renderer)\/.*\.(ts|tsx|mts|css)$/;

/** The file's first comment: a run of `//` lines or one block comment, wherever it starts. */
function firstComment(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t.startsWith('//')) {
      const run: string[] = [];
      for (let j = i; j < lines.length && (lines[j] ?? '').trim().startsWith('//'); j++) run.push((lines[j] ?? '').trim().slice(2));
      return run.join(' ');
    }
    const open = t.indexOf('/*');
    if (open !== -1) {
      const start = text.indexOf('/*', lines.slice(0, i).join('\n').length);
      const end = text.indexOf('*/', start + 2);
      return text.slice(start + 2, end === -1 ? undefined : end).replace(/^\s*\*/gm, ' ');
    }
  }
  return '';
}

/** "Over 400 lines because …", "over 400 lines: …", "over 400 lines on purpose: …" — some words of reason after it. */
const givesReason = (comment: string): boolean =>
  /\bover 400 lines\b[\s,]*(because|as|since|while|on purpose|:|—|-)\s*\S+(\s+\S+){2,}/i.test(comment.replace(/\s+/g, ' '));

describe(`source files over ${LIMIT} lines say why in their first comment`, () => {
  it('the reader of first comments: a leading // run, a block comment after the imports, and what counts as a reason', () => {
    expect(firstComment("import a from 'a';\n\n// One.\n// Over 400 lines because the\n// parser is one table.\nconst x = 1;\n")).toContain(
      'Over 400 lines because the',
    );
    expect(firstComment('/* Theme.\n   Over 400 lines: every token\n   of both themes sits side by side. */\n.a {}\n')).toMatch(
      /every token/,
    );
    expect(givesReason(firstComment('// Over 400 lines because one state machine reads top to bottom.\n'))).toBe(true);
    expect(givesReason(firstComment('// Over 400 lines.\n'))).toBe(false);
    expect(givesReason(firstComment('// Long file.\nconst a = 1; // over 400 lines because it grew\n'))).toBe(false);
    expect(givesReason('')).toBe(false);
  });

  it('every long source file under shared/, electron/ and renderer/ gives its reason', () => {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', 'shared', 'electron', 'renderer'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => SOURCE.test(f));
    expect(files.length).toBeGreaterThan(100);
    const unexplained: string[] = [];
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(path.join(root, f), 'utf8');
      } catch {
        continue; // deleted in the work tree, still in the index
      }
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > LIMIT && !givesReason(firstComment(text))) unexplained.push(`${f} (${lines} lines)`);
    }
    expect(unexplained).toEqual([]);
  });
});
