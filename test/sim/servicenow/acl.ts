// Optional access-control behaviour, off by default (the sim's API user is an admin). It reproduces what
// ACLs do to REST reads and writes on a real instance, so clients can be tested against it:
// unreadable fields vanish, unreadable rows are dropped after sysparm_limit (short or empty pages while
// X-Total-Count still counts them), direct reads of them 404, and denied writes answer 403.

export interface AclPolicy {
  /** Per table, columns the API user cannot read: omitted from every response. */
  readonly hiddenFields?: Readonly<Record<string, readonly string[]>>;
  /** Per table, an encoded query selecting rows the API user cannot read. */
  readonly hiddenRows?: Readonly<Record<string, string>>;
  /**
   * Per table, an encoded query selecting rows the API user may read but not update or delete (a row-level
   * write ACL, e.g. another domain's incidents): 403 "ACL Exception Update Failed due to security constraints".
   */
  readonly readOnlyRows?: Readonly<Record<string, string>>;
  /** Tables the API user may read but not write (403 "ACL Exception … Failed due to security constraints"). */
  readonly readOnlyTables?: readonly string[];
  /** Tables refused by a REST API ACL (403 "Failed API level ACL Validation"). */
  readonly deniedTables?: readonly string[];
  /** The Aggregate API (`/api/now/stats`) refused by a REST API ACL (403), while the Table API still answers. */
  readonly denyAggregateApi?: boolean;
}

export function hiddenFieldsOf(acl: AclPolicy | undefined, tableName: string): ReadonlySet<string> {
  return new Set(acl?.hiddenFields?.[tableName] ?? []);
}
