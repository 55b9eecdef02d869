// Looks for secret values in every file under a directory: the check that nothing (settings, logs, audit, crash
// output, caches) ever wrote one to disk. Findings name the file and the encoding that matched, never the value.

import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface Needle {
  label: string;
  bytes: Buffer;
}

// Besides UTF-8: UTF-16LE (Windows APIs, V8 heap snapshots), base64 of the value on its own (a token that was
// wrapped before storing; a base64 substring elsewhere depends on alignment and is not caught), and the
// JSON-escaped and percent-encoded forms a request body or URL would carry.
function needlesFor(secret: string, index: number): Needle[] {
  const forms: [string, Buffer][] = [
    ['utf8', Buffer.from(secret, 'utf8')],
    ['utf16le', Buffer.from(secret, 'utf16le')],
    ['base64', Buffer.from(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''), 'latin1')],
    ['json', Buffer.from(JSON.stringify(secret).slice(1, -1), 'utf8')],
    ['uri', Buffer.from(encodeURIComponent(secret), 'utf8')],
  ];
  const seen = new Set<string>();
  const needles: Needle[] = [];
  for (const [label, bytes] of forms) {
    const key = bytes.toString('hex');
    if (bytes.length === 0 || seen.has(key)) continue;
    seen.add(key);
    needles.push({ label: `secret #${index + 1} (${label})`, bytes });
  }
  return needles;
}

async function* files(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // removed while scanning, or unreadable: nothing to find there
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    // Symlinks are not followed (they could leave the tree or loop); sockets and FIFOs have no content.
    else if (e.isFile()) yield p;
  }
}

/**
 * Returns one finding per file and matching form, e.g. "home/.config/x/log.txt: secret #2 (utf8)"; empty when
 * the tree is clean. Secrets shorter than 4 characters are refused: they would match by chance.
 */
export async function scanForSecrets(dir: string, secrets: readonly string[]): Promise<string[]> {
  for (const s of secrets) if (s.length < 4) throw new Error('scanForSecrets: secrets shorter than 4 characters would match by chance');
  const needles = secrets.flatMap((s, i) => needlesFor(s, i));
  const findings: string[] = [];
  const root = path.resolve(dir);
  if (!(await lstat(root).catch(() => null))?.isDirectory()) throw new Error(`scanForSecrets: ${root} is not a directory`);
  for await (const file of files(root)) {
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      continue;
    }
    for (const n of needles) {
      if (content.includes(n.bytes)) findings.push(`${path.relative(root, file)}: ${n.label}`);
    }
  }
  return findings;
}
