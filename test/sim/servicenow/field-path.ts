import type { FieldDef, TableDef } from './schema';
import type { Database, Row } from './table-store';

// Dot-walking: "assignment_group.manager.name" follows reference fields to another table's column.
// Used by sysparm_fields, query conditions, ORDERBY and name-value filters alike.

export interface FieldPath {
  /** The path as written, e.g. "caller_id.name"; also the output key. */
  readonly key: string;
  /** Reference fields walked through, in order. */
  readonly steps: readonly FieldDef[];
  readonly field: FieldDef;
  readonly table: TableDef;
}

export function resolveFieldPath(db: Database, tableName: string, path: string): FieldPath | undefined {
  const parts = path.split('.');
  let table = db.maybeTable(tableName)?.def;
  const steps: FieldDef[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (!table) return undefined;
    const def = table.fields.get(parts[i] ?? '');
    if (!def) return undefined;
    if (i === parts.length - 1) return { key: path, steps, field: def, table };
    if (def.type !== 'reference' || def.reference === undefined) return undefined;
    steps.push(def);
    table = db.maybeTable(def.reference)?.def;
  }
  return undefined;
}

/** The row that holds the final field (the record itself when nothing is walked), if the chain is set. */
export function holderRow(db: Database, path: FieldPath, row: Row): Row | undefined {
  let current: Row | undefined = row;
  for (const step of path.steps) {
    const target: string = current?.[step.name] ?? '';
    if (target === '' || step.reference === undefined) return undefined;
    current = db.maybeTable(step.reference)?.get(target);
    if (!current) return undefined;
  }
  return current;
}

export function readPath(db: Database, path: FieldPath, row: Row): string {
  if (path.steps.length === 0) return row[path.field.name] ?? '';
  return holderRow(db, path, row)?.[path.field.name] ?? '';
}
