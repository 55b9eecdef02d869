import type { AclPolicy } from './acl';
import type { SessionUser } from './business-rules';
import type { FaultConfig, FaultMode } from './faults';
import type { RateLimitRule } from './rate-limit';
import type { Database, Row, Table } from './table-store';
import type { DateFormat } from './time-format';

export interface SnowSimOptions {
  /** 0 (default) picks a free port. The sim only ever listens on 127.0.0.1. */
  port?: number;
  /** Same seed ⇒ same users, CIs, incidents (sys_ids, numbers, text); dates are relative to start. */
  seed?: number;
  /** Active incidents (New / In Progress / On Hold). Default 400; 10000 for the benchmark queue. */
  incidents?: number;
  /** Resolved / closed / canceled incidents on top. Default: a quarter of `incidents`, at most 2500. */
  historyIncidents?: number;
  /** Days the resolved/closed incidents spread over (default 60). */
  historyDays?: number;
  /** Closed changes over the history, some followed by an incident on their CI (default 0). */
  historyChanges?: number;
  /** Generated people in support groups (default 80). */
  users?: number;
  /** Change requests (default 14, cycling through the in-flight set). */
  changes?: number;
  /** The API account (default from SNOW_SIM_USER / SNOW_SIM_PASSWORD, else admin / admin). */
  basic?: { username: string; password: string };
  /** false: Basic auth is refused (a hardened instance); OAuth and API keys still work. */
  allowBasic?: boolean;
  /** OAuth client for /oauth_token.do (default from SNOW_SIM_CLIENT_ID / SNOW_SIM_CLIENT_SECRET); false disables it. */
  oauth?:
    | {
        clientId: string;
        clientSecret: string;
        tokenTtlSeconds?: number;
        refreshTokenTtlSeconds?: number;
        allowClientCredentials?: boolean;
      }
    | false;
  /** Accept this value in the x-sn-apikey header. */
  apiKey?: string;
  /** API user's time zone (display values, javascript:gs.* boundaries). Default UTC. */
  timeZone?: string;
  /** API user's date format for display values. Default yyyy-MM-dd. */
  dateFormat?: DateFormat;
  /** glide.invalid_query.returns_no_rows: unknown fields make a query return nothing instead of being dropped. */
  invalidQueryReturnsNoRows?: boolean;
  /** Epoch-ms clock (default Date.now); advanceTime() adds to it. */
  clock?: () => number;
  rateLimit?: RateLimitRule;
  acl?: AclPolicy;
  /** false: `/api/now/stats` does not exist (400 "Requested URI does not represent any resource"), as on
   * instances without the Aggregate API. */
  aggregateApi?: boolean;
  /** Entries kept in `requests` (oldest dropped first). Default 20000. */
  requestLogLimit?: number;
}

export interface SimCredentials {
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Parsed query parameters (last value wins). */
  query: Record<string, string>;
  /** Raw query string without "?". */
  search: string;
  status: number;
  /** Response body bytes sent. */
  bytes: number;
  durationMs: number;
  /** ISO time the request arrived. */
  at: string;
  user?: string;
  fault?: string;
}

export interface CloseIncidentOptions {
  /** "6" Resolved (default) or "7" Closed. */
  state?: '6' | '7';
  closeCode?: string;
  closeNotes?: string;
}

export interface TouchOptions {
  /** Also append this work note to each touched incident. */
  workNote?: string;
}

export interface SnowSim {
  readonly url: string;
  readonly port: number;
  readonly credentials: SimCredentials;
  readonly db: Database;
  /** The API account's sys_user identity. */
  readonly apiUser: SessionUser;
  table(name: string): Table;
  /** Every API request served (not /__sim), oldest first. */
  readonly requests: RequestLogEntry[];
  clearRequests(): void;
  setFault(fault: FaultMode | FaultConfig): void;
  currentFault(): FaultConfig;
  setAcl(policy: AclPolicy | undefined): void;
  setRateLimit(rule: RateLimitRule | undefined): void;
  /** The sim's clock (epoch ms). */
  now(): number;
  advanceTime(ms: number): void;
  /** Expire all access tokens now (refresh tokens stay valid). */
  expireTokens(): void;
  revokeTokens(): void;
  /** Updates n random active incidents (sys_updated_on = now, sys_mod_count + 1); returns their sys_ids. */
  touchIncidents(n: number, opts?: TouchOptions): string[];
  /** Resolves (or closes) an incident by sys_id or number with a valid close code; throws on failure. */
  closeIncident(ref: string, opts?: CloseIncidentOptions): Row;
  /** Adds a new incident: a realistic generated one, overridden by `fields`. */
  addIncident(fields?: Record<string, string>): Row;
  /** Writes through the same rules as the API, as the API user; throw on a rule violation. */
  insert(table: string, fields: Record<string, string>): Row;
  update(table: string, sysId: string, fields: Record<string, string>): Row;
  remove(table: string, sysId: string): boolean;
  stop(): Promise<void>;
}
