import type { AuditLog } from '../../kernel/audit/audit-log';
import type { SloDefinitions } from './slo-definitions';
import { checkImport, saveImport } from './slo-files';
import { errorText } from './error-text';

// Importing an OpenSLO file from the UI: checked against the definitions already loaded, saved into the
// console's import folder, audited either way.

export interface ImportDeps {
  definitions: SloDefinitions;
  dataDir: string;
  audit?: Pick<AuditLog, 'append'> | undefined;
  /** Makes the new SLOs show: a refresh when the fleet is watched, else a fresh read of the definitions. */
  announce: () => Promise<void>;
}

export async function importSloFile(
  deps: ImportDeps,
  filename: string,
  text: string,
): Promise<{ file: string; slos: string[]; replaced: boolean }> {
  const d = await deps.definitions.read();
  const pathOf = new Map(d.files.map((f) => [f.file.file, f.path]));
  const names = new Map<string, string>();
  for (const s of d.slos) if (s.origin.kind === 'openslo') names.set(s.name, pathOf.get(s.origin.file) ?? s.origin.file);
  let check;
  try {
    check = checkImport(deps.dataDir, filename, text, d.files, names);
  } catch (e) {
    await deps.audit?.append({ action: 'slo.import', target: filename, outcome: 'error', message: errorText(e) });
    throw e;
  }
  await saveImport(check.target, text);
  await deps.audit?.append({
    action: 'slo.import',
    target: check.target,
    outcome: 'ok',
    message: `${check.replaced ? 'replaced' : 'added'}: ${check.names.join(', ')}`,
  });
  // New SLOs show on the next refresh; subscribers get it now.
  await deps.announce();
  return { file: check.target, slos: check.names, replaced: check.replaced };
}
