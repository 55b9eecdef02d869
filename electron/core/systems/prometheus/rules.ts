import type { SloWarning } from '@shared/slo/contract';
import type { PromRuleGroup } from './prometheus-client';

// Rules as data for the SLO feature: evaluation errors are warnings the fleet shows (a Sloth rule that fails
// leaves its SLO reading stale recorded values, which must not look healthy), and the groups of both rule
// types are merged for detectRecordedSlos (Pyrra's targets live in its alerting rules).

/** One warning per rule that Prometheus reports as failing (`health: "err"` or a `lastError`). */
export function ruleHealthWarnings(groups: readonly PromRuleGroup[], connectionId: string): SloWarning[] {
  const out: SloWarning[] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.health !== 'err' && !r.lastError) continue;
      const kind = r.type === 'alerting' ? 'alerting rule' : 'recording rule';
      out.push({
        kind: 'rule-error',
        connectionId,
        group: g.name,
        rule: r.name,
        ...(g.file !== undefined ? { file: g.file } : {}),
        message: `The ${kind} ${r.name} (group ${g.name}) fails to evaluate: ${r.lastError ?? 'health is "err"'}`,
      });
    }
  }
  return out;
}

/** A /api/v1/rules body holding the groups of several answers (type=record and type=alert). */
export function mergedRulesBody(...answers: readonly { groups: readonly PromRuleGroup[] }[]): unknown {
  return {
    status: 'success',
    data: {
      groups: answers.flatMap((a) =>
        a.groups.map((g) => ({
          name: g.name,
          ...(g.file !== undefined ? { file: g.file } : {}),
          rules: g.rules.map((r) => ({ name: r.name, query: r.query, type: r.type, labels: r.labels ?? {} })),
        })),
      ),
    },
  };
}
