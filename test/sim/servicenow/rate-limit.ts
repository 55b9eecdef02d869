import { snErrors } from './errors';
import type { SnError } from './errors';

// An optional rate-limit rule (sys_rate_limit_rules): N requests per user per window. When a rule
// applies, instances send X-RateLimit-* headers on every response, and 429 + Retry-After once exceeded.

export interface RateLimitRule {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length; instances use one hour. */
  readonly windowSeconds?: number;
  readonly ruleSysId?: string;
}

const DEFAULT_RULE_ID = '4f1b2c3d5b2310103a8e1c2f3e4d5a6b';

export class RateLimiter {
  private rule: RateLimitRule | undefined;
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: () => number) {}

  set(rule: RateLimitRule | undefined): void {
    this.rule = rule;
    this.windows = new Map();
  }

  /** Counts one request; returns the headers to add, or the 429 to send. */
  check(user: string): { headers: Record<string, string> } | { error: SnError } {
    const rule = this.rule;
    if (!rule) return { headers: {} };
    const windowMs = (rule.windowSeconds ?? 3600) * 1000;
    const now = this.clock();
    let w = this.windows.get(user);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(user, w);
    }
    const resetMs = w.start + windowMs;
    const ruleId = rule.ruleSysId ?? DEFAULT_RULE_ID;
    if (w.count >= rule.limit) {
      const retryAfter = Math.max(1, Math.ceil((resetMs - now) / 1000));
      return { error: snErrors.rateLimited(rule.limit, retryAfter, Math.ceil(resetMs / 1000), ruleId, true) };
    }
    w.count++;
    return {
      headers: {
        'X-RateLimit-Limit': String(rule.limit),
        'X-RateLimit-Reset': String(Math.ceil(resetMs / 1000)),
        'X-RateLimit-Rule': ruleId,
      },
    };
  }
}
