import { memo } from 'react';
import type { ReactNode } from 'react';
import type { SloStatusView } from '@shared/slo/contract';
import { DataAge } from '../../app/components/DataAge';
import { StatusBadge } from '../../app/components/StatusBadge';
import { hrefOf } from '../../app/state/route';
import { sentence, withoutSystemName } from '../../app/format/system-name';
import { Sparkline } from './Sparkline';
import { cardProblem } from './fleet-model';
import type { ConnState } from './fleet-model';
import { burn, pct, sliPct, targetPct, TIER_HINT, TIER_LABEL, TIER_TONE } from './format';

/** One SLO objective: the budget left big, SLI against target, the 1 h burn, policy tier, sparkline, age. */
/** Memoised: filtering a fleet of thousands re-renders only the tiles that appear, not every one kept. */
export const SloTile = memo(function SloTile(props: {
  s: SloStatusView;
  refreshMs: number;
  conn?: ConnState | undefined;
  connectionName?: string | undefined;
}): ReactNode {
  const { s } = props;
  const found = cardProblem(s, props.conn);
  // The footer names the connection; the problem line then says what is wrong without naming it again.
  const problem =
    found && props.connectionName
      ? {
          ...found,
          line:
            found.kind === 'stale'
              ? withoutSystemName(found.line, props.connectionName)
              : sentence(withoutSystemName(found.line, props.connectionName)),
        }
      : found;
  const title = s.displayName ?? s.name;
  const pages = s.alerts.filter((a) => a.severity === 'page');
  const tickets = s.alerts.filter((a) => a.severity === 'ticket');
  const budget = s.errorBudgetRemaining;
  const fetchedAt = s.fetchedAt ? Date.parse(s.fetchedAt) : null;
  return (
    <article
      className={`slo-tile tier-${s.policy}${s.stale ? ' is-stale-tile' : ''}${s.status === 'error' ? ' has-error' : ''}`}
      data-testid="slo-tile"
      data-slo-id={s.id}
      data-policy={s.policy}
      data-status={s.status}
      data-stale={s.stale}
      data-degraded={s.degraded !== undefined && s.degraded.length > 0}
      data-problem={problem?.kind ?? ''}
    >
      <header className="slo-tile-head">
        <StatusBadge tone={TIER_TONE[s.policy]} testId="slo-policy-badge" title={`Error budget policy: ${TIER_HINT[s.policy]}`}>
          {problem?.badge ?? TIER_LABEL[s.policy]}
        </StatusBadge>
        <span className="slo-tile-alerts">
          {pages.length > 0 ? (
            <StatusBadge
              tone="error"
              testId="slo-alert-badge"
              title={pages.map((a) => `${a.long}/${a.short} over ${a.factor.toFixed(2)}×`).join(', ')}
            >
              page
            </StatusBadge>
          ) : null}
          {tickets.length > 0 ? (
            <StatusBadge
              tone="warn"
              testId="slo-alert-badge"
              title={tickets.map((a) => `${a.long}/${a.short} over ${a.factor.toFixed(2)}×`).join(', ')}
            >
              ticket
            </StatusBadge>
          ) : null}
        </span>
      </header>
      <h3 className="slo-tile-title">
        <a href={hrefOf('slos', 'detail', s.id)} data-testid="slo-tile-link">
          {title}
          {s.objective ? <span className="muted"> · {s.objective}</span> : null}
        </a>
      </h3>
      <p className="slo-tile-meta muted small">
        {s.service} · {s.window} · target {targetPct(s.target)}
        {s.source !== 'openslo' ? ` · ${s.source}` : ''}
      </p>
      <div className="slo-tile-body">
        <div>
          <div className={`slo-budget${budget !== null && budget < 0 ? ' overspent' : ''}`} data-testid="slo-budget">
            {pct(budget)}
          </div>
          <div className="muted small">budget left</div>
        </div>
        <Sparkline points={s.sparkline} testId="slo-sparkline" label={`Budget left over the ${s.window} window`} />
      </div>
      <dl className="slo-tile-facts">
        <div>
          <dt>SLI</dt>
          <dd data-testid="slo-sli" className={s.sli !== null && s.sli < s.target ? 'below-target' : undefined}>
            {sliPct(s.sli, s.target)}
          </dd>
        </div>
        <div>
          <dt>1 h burn</dt>
          <dd data-testid="slo-burn-1h">{burn(s.burnRates['1h'])}</dd>
        </div>
      </dl>
      {problem && problem.kind !== 'stale' ? (
        <p
          className={`small ${problem.kind === 'no-data' ? 'muted' : 'slo-tile-error'}`}
          data-testid="slo-problem"
          data-kind={problem.kind}
        >
          {problem.line}
        </p>
      ) : null}
      {s.degraded && s.degraded.length > 0 ? (
        <p className="slo-tile-degraded small" data-testid="slo-degraded" title={s.degraded.join('\n')}>
          degraded — the server warned the answer may be incomplete: {s.degraded[0]}
        </p>
      ) : null}
      <footer className="slo-tile-foot small">
        {props.connectionName ? (
          <span className="muted" data-testid="slo-connection" title="The connection these numbers came from">
            {props.connectionName} ·{' '}
          </span>
        ) : null}
        {problem?.kind === 'stale' ? (
          <span className="data-age stale" data-testid="slo-age" data-stale="true" title={s.staleReason}>
            stale — {problem.line}
          </span>
        ) : (
          <DataAge at={fetchedAt} refreshMs={props.refreshMs} testId="slo-age" />
        )}
      </footer>
    </article>
  );
});
