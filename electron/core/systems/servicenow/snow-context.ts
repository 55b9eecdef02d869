import type { ConnectionSpec } from '@shared/connections/model';
import type { ChoiceOption, IncidentChoices, Labeled, QueueUser } from '@shared/incidents/model';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import type { HttpClient } from '../../kernel/http/types';
import type { ChoiceLabels } from './mapping';
import { TableApi } from './table-api';
import { valueOf } from './values';

// Per-connection state shared by the sync and the actions: the Table API, and small caches of things that
// rarely change — choice lists from sys_choice (labels, close codes, hold reasons are never hard-coded), the
// API user and their groups, and the list of assignment groups.

const CHOICE_ELEMENTS = {
  incident: ['state', 'hold_reason', 'close_code', 'priority', 'impact', 'urgency'],
  change_request: ['state', 'type', 'risk', 'approval'],
} as const;

export interface SnowContextOptions {
  choicesTtlMs?: number;
  identityTtlMs?: number;
  now?: () => number;
}

class Cached<T> {
  private value: { at: number; data: Promise<T> } | null = null;
  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly now: () => number,
  ) {}

  get(): Promise<T> {
    if (this.value && this.now() - this.value.at < this.ttlMs) return this.value.data;
    const data = this.load();
    const entry = { at: this.now(), data };
    this.value = entry;
    // A failed load must not stick: the next caller tries again.
    data.catch(() => {
      if (this.value === entry) this.value = null;
    });
    return data;
  }

  /** The last good value without waiting or loading, if any. */
  peek(): Promise<T> | undefined {
    return this.value?.data;
  }
}

export class ChoiceTable implements ChoiceLabels {
  constructor(private readonly byKey: ReadonlyMap<string, ChoiceOption[]>) {}

  static empty(): ChoiceTable {
    return new ChoiceTable(new Map());
  }

  options(table: string, element: string): ChoiceOption[] {
    return this.byKey.get(`${table}.${element}`) ?? [];
  }

  label(table: string, element: string, value: string): string | undefined {
    return this.options(table, element).find((o) => o.value === value)?.label;
  }
}

export interface Identity {
  me: QueueUser | null;
  groups: Labeled[];
}

export class SnowContext {
  readonly api: TableApi;
  private readonly choiceCache: Cached<ChoiceTable>;
  private readonly identityCache: Cached<Identity>;
  private readonly groupCache: Cached<Labeled[]>;
  private choicesFetchedAt = 0;
  private lastChoices: ChoiceTable = ChoiceTable.empty();
  private readonly now: () => number;

  constructor(
    readonly spec: ConnectionSpec,
    http: () => Promise<HttpClient>,
    opts: SnowContextOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.api = new TableApi(http);
    this.choiceCache = new Cached(opts.choicesTtlMs ?? 3_600_000, () => this.loadChoices(), this.now);
    this.identityCache = new Cached(opts.identityTtlMs ?? 1_800_000, () => this.loadIdentity(), this.now);
    this.groupCache = new Cached(600_000, () => this.loadGroups(), this.now);
  }

  choices(): Promise<ChoiceTable> {
    return this.choiceCache.get();
  }

  /** Choice labels for mapping rows: the cached table, or the last good one when sys_choice cannot be read now. */
  async labels(): Promise<ChoiceTable> {
    try {
      return await this.choices();
    } catch {
      return this.lastChoices;
    }
  }

  async choiceLists(): Promise<IncidentChoices> {
    const t = await this.choices();
    return {
      state: t.options('incident', 'state'),
      hold_reason: t.options('incident', 'hold_reason'),
      close_code: t.options('incident', 'close_code'),
      priority: t.options('incident', 'priority'),
      impact: t.options('incident', 'impact'),
      urgency: t.options('incident', 'urgency'),
      change_state: t.options('change_request', 'state'),
      fetchedAt: new Date(this.choicesFetchedAt).toISOString(),
    };
  }

  identity(): Promise<Identity> {
    return this.identityCache.get();
  }

  groups(): Promise<Labeled[]> {
    return this.groupCache.get();
  }

  /** The API user's login name, from the connection's auth. */
  userName(): string | null {
    const a = this.spec.auth;
    return a.type === 'basic' || a.type === 'oauth' ? a.username : null;
  }

  private async loadChoices(): Promise<ChoiceTable> {
    let q = EncodedQuery.empty();
    for (const [table, elements] of Object.entries(CHOICE_ELEMENTS)) {
      q = q
        .newQuery()
        .and('name', '=', table)
        .and('element', 'IN', [...elements])
        .and('inactive', '=', 'false');
    }
    const { rows } = await this.api.listAll({
      table: 'sys_choice',
      query: q.toString(),
      fields: ['sys_id', 'name', 'element', 'value', 'label', 'sequence', 'language'],
      pageSize: 1000,
      maxRows: 5000,
    });
    // One entry per value: the English row when the instance has several languages, in sequence order.
    const best = new Map<string, { opt: ChoiceOption; seq: number; en: boolean }>();
    for (const r of rows) {
      const key = `${valueOf(r.name)}.${valueOf(r.element)}`;
      const value = valueOf(r.value);
      const lang = valueOf(r.language);
      const en = lang === '' || lang === 'en';
      const k = `${key}\u0000${value}`;
      const prev = best.get(k);
      if (prev && (prev.en || !en)) continue;
      best.set(k, { opt: { value, label: valueOf(r.label) || value }, seq: Number(valueOf(r.sequence)) || 0, en });
    }
    const byKey = new Map<string, { opt: ChoiceOption; seq: number }[]>();
    for (const [k, v] of best) {
      const key = k.split('\u0000')[0] ?? '';
      const list = byKey.get(key) ?? [];
      list.push(v);
      byKey.set(key, list);
    }
    const table = new ChoiceTable(new Map([...byKey].map(([k, list]) => [k, list.sort((a, b) => a.seq - b.seq).map((x) => x.opt)])));
    this.lastChoices = table;
    this.choicesFetchedAt = this.now();
    return table;
  }

  private async loadIdentity(): Promise<Identity> {
    const userName = this.userName();
    if (!userName) return { me: null, groups: [] };
    const users = await this.api.list({
      table: 'sys_user',
      query: EncodedQuery.where('user_name', '=', userName).toString(),
      fields: ['sys_id', 'name', 'user_name'],
      limit: 1,
    });
    const u = users.rows[0];
    if (!u) return { me: null, groups: [] };
    const me: QueueUser = { sys_id: valueOf(u.sys_id), name: valueOf(u.name) || userName, user_name: valueOf(u.user_name) || userName };
    const memberships = await this.api.list({
      table: 'sys_user_grmember',
      query: EncodedQuery.where('user', '=', me.sys_id).orderBy('sys_id').toString(),
      fields: ['group', 'group.name'],
      limit: 500,
    });
    const groups = memberships.rows
      .map((m) => ({ value: valueOf(m.group), label: valueOf(m['group.name']) || valueOf(m.group) }))
      .filter((g) => g.value !== '')
      .sort((a, b) => a.label.localeCompare(b.label));
    return { me, groups };
  }

  private async loadGroups(): Promise<Labeled[]> {
    const { rows } = await this.api.listAll({
      table: 'sys_user_group',
      query: EncodedQuery.where('active', '=', 'true').toString(),
      fields: ['sys_id', 'name'],
      pageSize: 1000,
      maxRows: 5000,
    });
    return rows
      .map((r) => ({ value: valueOf(r.sys_id), label: valueOf(r.name) || valueOf(r.sys_id) }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }
}
