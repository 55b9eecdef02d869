import { choiceLabel } from './choices';
import { holderRow, resolveFieldPath } from './field-path';
import type { FieldPath } from './field-path';
import { renderJournal } from './journal';
import { CLASS_LABELS } from './schema';
import type { FieldDef } from './schema';
import type { Database, Row } from './table-store';
import { displayDuration } from './time-format';
import type { UserLocale } from './time-format';

// Serialises records the way the Table API does for each sysparm_display_value ×
// sysparm_exclude_reference_link combination. Every scalar is a string; empty is "".

export type DisplayMode = 'false' | 'true' | 'all';

export interface ReferenceJson {
  display_value?: string | null;
  link?: string;
  value?: string;
}

export type FieldJson = string | null | ReferenceJson;
export type RecordJson = Record<string, FieldJson>;

export interface RenderContext {
  readonly db: Database;
  readonly locale: UserLocale;
  /** "http://127.0.0.1:PORT" as the client addressed us; reference links are built from it. */
  readonly baseUrl: string;
  readonly mode: DisplayMode;
  readonly excludeReferenceLink: boolean;
}

export function parseDisplayMode(raw: string | null): DisplayMode {
  const v = (raw ?? '').toLowerCase();
  return v === 'true' || v === 'all' ? v : 'false';
}

/** Which output keys to produce: sysparm_fields (unknown names dropped, no implicit sys_id) or all columns. */
export function planFields(db: Database, tableName: string, sysparmFields: string | null, hidden: ReadonlySet<string>): FieldPath[] {
  const table = db.table(tableName).def;
  const requested = (sysparmFields ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (requested.length === 0) {
    return [...table.fields.values()].filter((f) => !hidden.has(f.name)).map((field) => ({ key: field.name, steps: [], field, table }));
  }
  const plan: FieldPath[] = [];
  const seen = new Set<string>();
  for (const name of requested) {
    if (seen.has(name)) continue;
    const fp = resolveFieldPath(db, tableName, name);
    if (!fp || hidden.has(name.split('.')[0] ?? name)) continue;
    seen.add(name);
    plan.push(fp);
  }
  return plan;
}

function displayOf(ctx: RenderContext, tableName: string, def: FieldDef, value: string, holder: Row | undefined): string | null {
  switch (def.type) {
    case 'choice':
      // An empty choice has no label; the API sends JSON null rather than "".
      if (value === '') return null;
      return choiceLabel(tableName, def.name, value) ?? value;
    case 'glide_date_time':
      return ctx.locale.displayDateTime(value);
    case 'glide_duration':
      return displayDuration(value);
    case 'glide_list':
      return value === ''
        ? ''
        : value
            .split(',')
            .map((id) => ctx.db.displayValueOf(def.reference ?? '', id.trim()) ?? id.trim())
            .join(', ');
    case 'sys_class_name':
      return CLASS_LABELS[value] ?? value;
    case 'journal':
    case 'journal_view': {
      const sysId = holder?.sys_id;
      if (sysId === undefined) return '';
      const elements = def.type === 'journal' ? [def.name] : ['comments', 'work_notes'];
      return renderJournal(ctx.db, ctx.locale, tableName, sysId, elements);
    }
    default:
      return value;
  }
}

function referenceJson(ctx: RenderContext, def: FieldDef, value: string): FieldJson {
  const { mode, excludeReferenceLink: noLink } = ctx;
  if (value === '') return mode === 'all' ? { display_value: '', value: '' } : '';
  const target = def.reference ?? '';
  const display = ctx.db.displayValueOf(target, value) ?? (def.type === 'domain' ? value : '');
  const link = `${ctx.baseUrl}/api/now/table/${target}/${value}`;
  if (mode === 'false') return noLink ? value : { link, value };
  if (mode === 'true') return noLink ? display : { display_value: display, link };
  return noLink ? { display_value: display, value } : { display_value: display, link, value };
}

export function renderField(ctx: RenderContext, fp: FieldPath, row: Row): FieldJson {
  const holder = fp.steps.length === 0 ? row : holderRow(ctx.db, fp, row);
  const def = fp.field;
  const value = holder?.[def.name] ?? '';
  if (def.type === 'reference' || def.type === 'domain') return referenceJson(ctx, def, value);
  const isJournal = def.type === 'journal' || def.type === 'journal_view';
  // Journal fields never have a stored value; only their display value carries the history.
  const raw = isJournal ? '' : value;
  if (ctx.mode === 'false') return raw;
  const display = displayOf(ctx, fp.table.name, def, value, holder);
  if (ctx.mode === 'true') return display;
  return { display_value: display, value: raw };
}

export function renderRow(ctx: RenderContext, plan: readonly FieldPath[], row: Row): RecordJson {
  const out: RecordJson = {};
  for (const fp of plan) out[fp.key] = renderField(ctx, fp, row);
  return out;
}
