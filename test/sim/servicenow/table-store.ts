import { hash32 } from './prng';
import { TABLES } from './schema';
import type { FieldDef, TableDef } from './schema';

/** A stored record: every value is a string, empty is "". */
export type Row = Readonly<Record<string, string>>;

// Rows are replaced, never mutated, so a response being rendered never sees a half-applied write.
/** Random-looking but stable position of a row version; sys_ids are random hex, so their head will do. */
function physicalKeyOf(sysId: string, modCount: string): number {
  const head = Number.parseInt(sysId.slice(0, 8), 16);
  const salt = Math.imul(Number(modCount) + 1, 0x9e3779b1);
  return Number.isNaN(head) || Number.isNaN(salt) ? hash32(`${sysId}:${modCount}`) : (head ^ salt) >>> 0;
}

interface Entry {
  row: Row;
  /** Physical position key; changes with sys_mod_count. */
  key: number;
  /** Insertion sequence. */
  seq: number;
}

export class Table {
  private readonly rows = new Map<string, Entry>();
  private seq = 0;
  private physicalCache: { version: number; rows: Row[] } | undefined;
  private readonly indexes = new Map<string, { version: number; map: Map<string, Row[]> }>();
  /** Bumped on every change; caches key on it. */
  version = 0;

  constructor(readonly def: TableDef) {}

  get name(): string {
    return this.def.name;
  }

  get size(): number {
    return this.rows.size;
  }

  field(name: string): FieldDef | undefined {
    return this.def.fields.get(name);
  }

  get(sysId: string): Row | undefined {
    return this.rows.get(sysId)?.row;
  }

  has(sysId: string): boolean {
    return this.rows.has(sysId);
  }

  /** Insert or replace a whole row (keyed by its sys_id). */
  put(row: Row): void {
    const sysId = row.sys_id;
    if (sysId === undefined || sysId === '') throw new Error(`row without sys_id in ${this.name}`);
    // Like a database heap without ORDER BY: rows come back in an order unrelated to insertion, and a
    // row that is updated may move. Clients that page without a unique sort see skips and duplicates.
    const key = physicalKeyOf(sysId, row.sys_mod_count ?? '');
    const existing = this.rows.get(sysId);
    if (existing) {
      existing.row = row;
      existing.key = key;
    } else {
      this.rows.set(sysId, { row, key, seq: this.seq++ });
    }
    this.version++;
  }

  delete(sysId: string): boolean {
    const existed = this.rows.delete(sysId);
    if (existed) this.version++;
    return existed;
  }

  /** Insertion sequence, for tie-breaks that must follow creation order (journal history). */
  sequenceOf(sysId: string): number {
    return this.rows.get(sysId)?.seq ?? -1;
  }

  /** All rows in "physical" order: deterministic, not insertion order. The array must not be mutated. */
  all(): readonly Row[] {
    if (this.physicalCache?.version !== this.version) {
      const entries = [...this.rows.values()].sort((a, b) => a.key - b.key);
      this.physicalCache = { version: this.version, rows: entries.map((e) => e.row) };
    }
    return this.physicalCache.rows;
  }

  /** Rows grouped by one field's value; rebuilt lazily after changes. */
  indexBy(field: string): ReadonlyMap<string, readonly Row[]> {
    const cached = this.indexes.get(field);
    if (cached?.version === this.version) return cached.map;
    const map = new Map<string, Row[]>();
    for (const { row } of this.rows.values()) {
      const key = row[field] ?? '';
      const bucket = map.get(key);
      if (bucket) bucket.push(row);
      else map.set(key, [row]);
    }
    this.indexes.set(field, { version: this.version, map });
    return map;
  }

  findBy(field: string, value: string): Row | undefined {
    return this.indexBy(field).get(value)?.[0];
  }
}

export class Database {
  readonly tables = new Map<string, Table>();
  private readonly counters = new Map<string, number>();

  constructor(defs: readonly TableDef[] = TABLES) {
    for (const def of defs) this.tables.set(def.name, new Table(def));
  }

  table(name: string): Table {
    const t = this.tables.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  }

  maybeTable(name: string): Table | undefined {
    return this.tables.get(name);
  }

  /** Next record number, e.g. INC0010001 (prefix + 7 digits, as sys_number generates them). */
  nextNumber(tableName: string): string {
    const t = this.table(tableName);
    const prefix = t.def.numberPrefix ?? '';
    const next = (this.counters.get(tableName) ?? 10_000) + 1;
    this.counters.set(tableName, next);
    return `${prefix}${String(next).padStart(7, '0')}`;
  }

  setNumberCounter(tableName: string, lastUsed: number): void {
    this.counters.set(tableName, lastUsed);
  }

  /** The value a reference to `sys_id` in `tableName` displays (the target's display field). */
  displayValueOf(tableName: string, sysId: string): string | undefined {
    const t = this.tables.get(tableName);
    const row = t?.get(sysId);
    if (!t || !row) return undefined;
    return row[t.def.displayField] ?? '';
  }
}
