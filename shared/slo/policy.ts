// Error budget policy: the remaining budget maps to a tier that teams attach actions to (normal work, caution,
// restricted releases, emergency freeze). Defaults: > 80 % normal, 50-80 % caution, 20-50 % restricted,
// < 20 % emergency. Unknown remaining budget is its own tier: a missing number must never look healthy.

export const POLICY_TIERS = ['normal', 'caution', 'restricted', 'emergency', 'no-data'] as const;
export type PolicyTier = (typeof POLICY_TIERS)[number];

/** Lower bounds as fractions of the budget. normal is strict (> 0.8), the others inclusive (>= 0.5, >= 0.2). */
export interface PolicyThresholds {
  normal: number;
  caution: number;
  restricted: number;
}

export const DEFAULT_POLICY: PolicyThresholds = { normal: 0.8, caution: 0.5, restricted: 0.2 };

/** Problems with a configured policy; empty when usable. */
export function validatePolicy(p: PolicyThresholds): string[] {
  const problems: string[] = [];
  for (const k of ['normal', 'caution', 'restricted'] as const) {
    if (!Number.isFinite(p[k])) problems.push(`${k} must be a number`);
    else if (p[k] > 1) problems.push(`${k} must be at most 1 (a fraction of the budget)`);
  }
  if (problems.length === 0 && !(p.normal >= p.caution && p.caution >= p.restricted)) {
    problems.push('thresholds must be ordered normal >= caution >= restricted');
  }
  return problems;
}

export function policyTier(remaining: number | null, p: PolicyThresholds = DEFAULT_POLICY): PolicyTier {
  if (remaining === null || !Number.isFinite(remaining)) return 'no-data';
  if (remaining > p.normal) return 'normal';
  if (remaining >= p.caution) return 'caution';
  if (remaining >= p.restricted) return 'restricted';
  return 'emergency';
}

/**
 * The deploy gate (`toc slo gate --min-budget`): pass only with a known remaining budget at or above the
 * minimum. No data fails closed, because "we cannot see the service" is no reason to ship.
 */
export function budgetGate(remaining: number | null, minRemaining: number): 'pass' | 'fail' | 'no-data' {
  if (remaining === null || !Number.isFinite(remaining)) return 'no-data';
  return remaining >= minRemaining ? 'pass' : 'fail';
}
