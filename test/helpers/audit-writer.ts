// A separate process appending to one audit folder, for the several-writers test:
//   node --import tsx test/helpers/audit-writer.ts DIR NAME COUNT MAX_BYTES
// prints "acked N" once entry N is on disk (append resolved), so the test knows which entries were promised.
import { AuditLog } from '../../electron/core/kernel/audit/audit-log';

const [dir, name, count, maxBytes] = process.argv.slice(2);
if (!dir || !name || !count || !maxBytes) throw new Error('usage: audit-writer DIR NAME COUNT MAX_BYTES');
const log = new AuditLog({ dir, who: name, maxBytes: Number(maxBytes), keep: 1000 });
for (let i = 0; i < Number(count); i++) {
  await log.append({ action: 'test.append', target: `${name}-${i}`, outcome: 'ok', message: 'x'.repeat(i % 50) });
  process.stdout.write(`acked ${i}\n`);
}
