import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

// Pairing a wall PC with `toc serve --wall`: a wall runs for weeks in a browser that restarts (updates, power
// cuts), and a per-run token in a bookmark is either lost with the tab or written into the bookmark for anyone
// to read. Instead `toc serve --wall` prints a one-time pairing link; opening it on the wall PC sets a
// long-lived HttpOnly, SameSite=Strict cookie holding a random device key, and the WebSocket accepts that
// cookie in place of the token. The serve checks stay as they are: Host header, same-origin WebSocket.
//
// The pairing file keeps only SHA-256 hashes of device keys (a key cannot be rebuilt from it, so it holds no
// secret); deleting it, or `toc serve --wall --unpair`, unpairs every wall. Codes live in memory only.

export const WALL_COOKIE = 'toc_wall';
/** A pairing link works once, within this time. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
/** At most this many walls; pairing one more forgets the oldest. */
export const MAX_PAIRED_WALLS = 32;

interface PairingFile {
  v: 1;
  devices: { hash: string; pairedAt: string }[];
}

export interface WallPairing {
  /** A new one-time code for the pairing link. */
  newCode(): string;
  /** Uses up the code; answers the device key to set as the cookie, or null (unknown, used or expired). */
  redeem(code: string): Promise<string | null>;
  /** Whether a request's Cookie header carries the key of a paired wall. */
  isPaired(cookieHeader: string | undefined): boolean;
  /** Forgets every paired wall. */
  unpairAll(): Promise<void>;
  readonly file: string;
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The value of one cookie from a Cookie header (RFC 6265 syntax: `a=1; b=2`). */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

export async function openWallPairing(opts: { file: string; now?: () => number; ttlMs?: number }): Promise<WallPairing> {
  const now = opts.now ?? Date.now;
  const ttl = opts.ttlMs ?? PAIRING_CODE_TTL_MS;
  const codes = new Map<string, number>();
  let devices: PairingFile['devices'] = [];
  try {
    const parsed = JSON.parse(await readFile(opts.file, 'utf8')) as Partial<PairingFile>;
    if (parsed.v === 1 && Array.isArray(parsed.devices))
      devices = parsed.devices.filter((d) => typeof d.hash === 'string' && /^[0-9a-f]{64}$/.test(d.hash));
  } catch {
    // No file yet (or one edited into junk): no wall is paired.
  }
  const hashes = (): Buffer[] => devices.map((d) => Buffer.from(d.hash, 'hex'));

  const save = async (): Promise<void> => {
    await mkdir(path.dirname(opts.file), { recursive: true });
    const tmp = `${opts.file}.${randomBytes(4).toString('hex')}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify({ v: 1, devices } satisfies PairingFile, null, 2));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, opts.file);
  };

  return {
    file: opts.file,
    newCode() {
      for (const [c, exp] of codes) if (exp <= now()) codes.delete(c);
      const code = randomBytes(18).toString('base64url');
      codes.set(code, now() + ttl);
      return code;
    },
    async redeem(code) {
      const exp = codes.get(code);
      // Used up whatever happens next: a link that leaked after use is worth nothing.
      codes.delete(code);
      if (exp === undefined || exp <= now()) return null;
      const key = randomBytes(32).toString('base64url');
      devices = [...devices, { hash: sha256(key).toString('hex'), pairedAt: new Date(now()).toISOString() }].slice(-MAX_PAIRED_WALLS);
      await save();
      return key;
    },
    isPaired(cookieHeader) {
      const key = cookieValue(cookieHeader, WALL_COOKIE);
      if (!key || key.length > 200) return false;
      const h = sha256(key);
      let found = false;
      // Compare with every stored hash in constant time each (no early exit that times which one matched).
      for (const stored of hashes()) if (timingSafeEqual(stored, h)) found = true;
      return found;
    },
    async unpairAll() {
      devices = [];
      codes.clear();
      await rm(opts.file, { force: true });
    },
  };
}

/** The Set-Cookie header for a paired wall: a year, HttpOnly (no script reads it), same-site requests only. */
export function wallCookie(key: string): string {
  return `${WALL_COOKIE}=${key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict`;
}
