import { z } from 'zod';

// Failure injection for clients' resilience paths: what an instance, its load balancer or an SSO proxy in
// front of it does when things go wrong. A fault can be limited to `count` requests and to paths
// containing `match`; the /__sim admin endpoints are never affected.

export const FAULT_MODES = [
  'none',
  '429', // rate-limit rule: Retry-After + X-RateLimit-* headers
  '429-semaphore', // semaphore queue full: 429 without rate-limit headers
  '202', // session queue: 202 Accepted with an empty body
  '500',
  '502',
  '503',
  'slow', // delay, then answer normally
  'late-answer', // make the change, then answer only after the delay (a write whose answer is lost)
  'html-login', // 200 text/html SSO login page instead of JSON
  'redirect-login', // 302 to the login page
  'truncated', // a JSON body cut in half
  'reset', // connection dropped without a response
  'applied-reset', // make the change, then drop the connection without answering (a write cut mid-way)
] as const;

export type FaultMode = (typeof FAULT_MODES)[number];

export const faultConfigSchema = z.object({
  mode: z.enum(FAULT_MODES),
  count: z.number().int().positive().optional(),
  delayMs: z.number().int().nonnegative().max(600_000).optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  match: z.string().optional(),
  /** Only requests with this HTTP method (e.g. PATCH: the write, not the read before it). */
  method: z.string().optional(),
});

export type FaultConfig = z.infer<typeof faultConfigSchema>;

export interface ActiveFault {
  readonly mode: Exclude<FaultMode, 'none'>;
  readonly delayMs: number;
  readonly retryAfterSeconds: number;
}

export class FaultInjector {
  private config: FaultConfig = { mode: 'none' };
  private remaining: number | undefined;

  set(config: FaultMode | FaultConfig): void {
    this.config = typeof config === 'string' ? { mode: config } : { ...config };
    this.remaining = this.config.count;
  }

  current(): FaultConfig & { remaining?: number } {
    return this.remaining === undefined ? { ...this.config } : { ...this.config, remaining: this.remaining };
  }

  /** The fault to apply to this request, consuming one from `count`. */
  take(path: string, method?: string): ActiveFault | undefined {
    const { mode, match } = this.config;
    if (mode === 'none') return undefined;
    if (match !== undefined && !path.includes(match)) return undefined;
    if (this.config.method !== undefined && method !== undefined && this.config.method.toUpperCase() !== method.toUpperCase())
      return undefined;
    if (this.remaining !== undefined) {
      this.remaining--;
      if (this.remaining <= 0) {
        const spent = this.config;
        this.config = { mode: 'none' };
        this.remaining = undefined;
        return toActive(spent, mode);
      }
    }
    return toActive(this.config, mode);
  }
}

function toActive(config: FaultConfig, mode: Exclude<FaultMode, 'none'>): ActiveFault {
  return { mode, delayMs: config.delayMs ?? 2000, retryAfterSeconds: config.retryAfterSeconds ?? 1 };
}

export function loginPageHtml(baseUrl: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Log in | ServiceNow</title>
</head>
<body>
<div class="sso-login">
<h1>Sign in to ServiceNow</h1>
<p>Your session has expired or single sign-on is required.</p>
<form name="loginForm" method="POST" action="${baseUrl}/login.do">
<input type="text" name="user_name" id="user_name" autocomplete="username">
<input type="password" name="user_password" id="user_password" autocomplete="current-password">
<button type="submit" id="sysverb_login">Log in</button>
</form>
<a href="${baseUrl}/login_with_sso.do?glide_sso_id=simulated">Use external login</a>
</div>
</body>
</html>
`;
}

export const BAD_GATEWAY_HTML = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
</body>
</html>
`;
