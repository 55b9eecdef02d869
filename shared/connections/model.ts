import { z } from 'zod';

// Connections as the workspace file and the Settings screen describe them. A secret is never a value here,
// only a reference: a keychain account (desktop) or an environment variable (CLI, CI, demo).

export const CONNECTION_KINDS = ['prometheus', 'servicenow', 'awx', 'alertmanager'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

const idPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/i;
export const ConnectionId = z.string().regex(idPattern, 'use letters, digits, "-" and "_" (max 63), starting with a letter or digit');

export const SecretRef = z
  .object({
    secret: z.union([
      z.object({ keychain: z.string().min(1).max(200) }).strict(),
      z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid environment variable name') }).strict(),
    ]),
  })
  .strict();
export type SecretRef = z.infer<typeof SecretRef>;

export const HttpUrl = z
  .string()
  .min(1, 'a URL is required')
  .max(2048)
  // shared/ has no URL global (no DOM, no Node types); the core parses the URL again with WHATWG URL.
  .regex(/^https?:\/\/[^\s/?#@]+(?:@[^\s/?#]+)?(?:[/?#]\S*)?$/i, 'must be an http:// or https:// URL');

export const AuthNone = z.object({ type: z.literal('none') }).strict();
export const AuthBasic = z.object({ type: z.literal('basic'), username: z.string().min(1), password: SecretRef }).strict();
export const AuthBearer = z.object({ type: z.literal('bearer'), token: SecretRef }).strict();
export const AuthMtls = z
  .object({ type: z.literal('mtls'), certFile: z.string().min(1), keyFile: z.string().min(1), passphrase: SecretRef.optional() })
  .strict();
export const AuthOAuthPassword = z
  .object({
    type: z.literal('oauth'),
    clientId: z.string().min(1),
    clientSecret: SecretRef,
    username: z.string().min(1),
    password: SecretRef,
  })
  .strict();

export const Auth = z.discriminatedUnion('type', [AuthNone, AuthBasic, AuthBearer, AuthMtls, AuthOAuthPassword]);
export type Auth = z.infer<typeof Auth>;
export type AuthType = Auth['type'];

/** Which auth methods each kind of system accepts. */
export const AUTH_BY_KIND: Record<ConnectionKind, readonly AuthType[]> = {
  prometheus: ['none', 'basic', 'bearer', 'mtls'],
  servicenow: ['basic', 'oauth'],
  awx: ['bearer', 'basic'],
  alertmanager: ['none', 'basic', 'bearer', 'mtls'],
};

export const ConnectionSpec = z
  .object({
    id: ConnectionId,
    kind: z.enum(CONNECTION_KINDS),
    name: z.string().min(1).max(120),
    url: HttpUrl,
    auth: Auth,
    caFile: z.string().min(1).optional(),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'not a valid header name'), z.string().max(4096)).optional(),
    proxy: HttpUrl.optional(),
    /** AWX only: `/api/v2/` (AWX) or `/api/controller/v2/` (Automation Controller behind the gateway). */
    apiBasePath: z.enum(['/api/v2/', '/api/controller/v2/']).optional(),
    /** Requests slower than this fail with a timeout error. */
    timeoutMs: z.number().int().min(1000).max(300_000).optional(),
    /** Environment label for the switcher: prod, non-prod, a region. */
    environment: z.string().max(40).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!AUTH_BY_KIND[c.kind].includes(c.auth.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'type'],
        message: `${c.kind} connections take auth ${AUTH_BY_KIND[c.kind].join(', ')}, not "${c.auth.type}"`,
      });
    }
    if (c.apiBasePath && c.kind !== 'awx') {
      ctx.addIssue({ code: 'custom', path: ['apiBasePath'], message: 'apiBasePath applies to awx connections only' });
    }
  });
export type ConnectionSpec = z.infer<typeof ConnectionSpec>;

/** What the renderer sees of a connection: the spec (secret references only) and where it came from. */
export const ConnectionView = z.object({
  spec: ConnectionSpec,
  /** Provisioned by the workspace file: read-only in the UI. */
  provisioned: z.boolean(),
  /** Which secrets the connection references, and whether each is present right now. Never the value. */
  secrets: z.array(z.object({ field: z.string(), ref: SecretRef, present: z.boolean() })),
});
export type ConnectionView = z.infer<typeof ConnectionView>;

/** Every secret reference in an auth block, with the field that holds it. */
export function secretRefsOf(auth: Auth): { field: string; ref: SecretRef }[] {
  switch (auth.type) {
    case 'none':
      return [];
    case 'basic':
      return [{ field: 'password', ref: auth.password }];
    case 'bearer':
      return [{ field: 'token', ref: auth.token }];
    case 'mtls':
      return auth.passphrase ? [{ field: 'passphrase', ref: auth.passphrase }] : [];
    case 'oauth':
      return [
        { field: 'clientSecret', ref: auth.clientSecret },
        { field: 'password', ref: auth.password },
      ];
  }
}

export const ProbeResult = z.object({
  ok: z.boolean(),
  /** Server version as the system reports it. */
  version: z.string().optional(),
  /** The user the credentials belong to. */
  user: z.string().optional(),
  /** What was checked, in order, for the UI to list. */
  steps: z.array(z.object({ name: z.string(), ok: z.boolean(), message: z.string() })),
  elapsedMs: z.number(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const ConnectionHealth = z.object({
  id: z.string(),
  kind: z.enum(CONNECTION_KINDS),
  name: z.string(),
  state: z.enum(['ok', 'error', 'unknown', 'checking']),
  message: z.string().optional(),
  /** ISO time of the last answer, good or bad. */
  checkedAt: z.string().optional(),
  /** ISO time of the last good answer: the age of the data on screen. */
  lastOkAt: z.string().optional(),
  /** How often the console checks this connection; data older than twice this is stale. */
  refreshMs: z.number().int().positive().optional(),
});
export type ConnectionHealth = z.infer<typeof ConnectionHealth>;
