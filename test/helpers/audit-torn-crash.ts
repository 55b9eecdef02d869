// Dies the worst way a writer can: holding the audit folder's lock, half a line written, killed with SIGKILL.
//   node --import tsx test/helpers/audit-torn-crash.ts DIR
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { acquireFileLock } from '../../electron/core/kernel/audit/file-lock';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: audit-torn-crash DIR');
await acquireFileLock(path.join(dir, 'audit.lock'));
appendFileSync(
  path.join(dir, 'audit.jsonl'),
  '{"id":"torn","at":"2026-12-06T00:00:00.000Z","who":"crash","action":"test.append","target":"torn-1","outc',
);
process.kill(process.pid, 'SIGKILL');
