import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { IncidentRow, QueueCounts } from '@shared/incidents/model';
import { useQueuePrefs, useQueueSession } from './queue-store';

// Filters (my groups, assigned to me, unassigned, priority, state, text) and saved views over the queue, and
// the counts by priority the wall shows too.

// Local, so this chunk does not pull the contract's zod schemas into the renderer.
const PRIORITIES = ['1', '2', '3', '4', '5'] as const;

export function PriorityCounts(props: { counts: QueueCounts }): ReactNode {
  const priorities = useQueuePrefs((s) => s.filter.priorities);
  const setFilter = useQueuePrefs((s) => s.setFilter);
  const toggle = (p: string): void =>
    setFilter({ priorities: priorities.includes(p) ? priorities.filter((x) => x !== p) : [...priorities, p] });
  const c = props.counts;
  return (
    <div className="priority-counts" data-testid="priority-counts" role="group" aria-label="Open incidents by priority">
      {PRIORITIES.map((p) => (
        <button
          key={p}
          type="button"
          className={`count-chip prio-p${p}${priorities.includes(p) ? ' active' : ''}`}
          aria-pressed={priorities.includes(p)}
          onClick={() => toggle(p)}
          data-testid={`count-p${p}`}
          data-count={c.byPriority[p]}
        >
          <span className="count-label">P{p}</span>
          <span className="count-value">{c.byPriority[p]}</span>
        </button>
      ))}
      <span className="count-chip passive" data-testid="count-total" data-count={c.total}>
        <span className="count-label">open</span>
        <span className="count-value">{c.total}</span>
      </span>
      <span className="count-chip passive" data-testid="count-unassigned" data-count={c.unassigned}>
        <span className="count-label">unassigned</span>
        <span className="count-value">{c.unassigned}</span>
      </span>
      <span className="count-chip passive" data-testid="count-mine" data-count={c.mine}>
        <span className="count-label">mine</span>
        <span className="count-value">{c.mine}</span>
      </span>
    </div>
  );
}

export function QueueFilters(props: { rows: readonly IncidentRow[]; shown: number; canMine: boolean; canGroups: boolean }): ReactNode {
  const filter = useQueuePrefs((s) => s.filter);
  const setFilter = useQueuePrefs((s) => s.setFilter);
  const resetFilter = useQueuePrefs((s) => s.resetFilter);
  const views = useQueuePrefs((s) => s.views);
  const saveView = useQueuePrefs((s) => s.saveView);
  const applyView = useQueuePrefs((s) => s.applyView);
  const deleteView = useQueuePrefs((s) => s.deleteView);
  const marks = useQueueSession((s) => s.marks);
  const clearMarks = useQueueSession((s) => s.clearMarks);
  const [viewName, setViewName] = useState('');
  const [picked, setPicked] = useState('');
  // State choices as the instance labels them, from the rows themselves.
  const states = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of props.rows) if (r.state.value) m.set(r.state.value, r.state.label);
    return [...m].sort((a, b) => Number(a[0]) - Number(b[0]));
  }, [props.rows]);
  const toggleState = (v: string): void =>
    setFilter({ states: filter.states.includes(v) ? filter.states.filter((x) => x !== v) : [...filter.states, v] });
  const marked = Object.keys(marks).length;
  return (
    <div className="queue-filters" data-testid="queue-filters">
      <input
        type="text"
        className="filter-text"
        placeholder="Filter: number, text, CI, group, person, alert"
        aria-label="Filter the queue by text"
        value={filter.text}
        onChange={(e) => setFilter({ text: e.target.value })}
        data-testid="filter-text"
      />
      <label className="check">
        <input
          type="checkbox"
          checked={filter.myGroups}
          disabled={!props.canGroups}
          onChange={(e) => setFilter({ myGroups: e.target.checked })}
          data-testid="filter-my-groups"
        />
        My groups
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={filter.assignedToMe}
          disabled={!props.canMine}
          onChange={(e) => setFilter({ assignedToMe: e.target.checked })}
          data-testid="filter-mine"
        />
        Assigned to me
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={filter.unassigned}
          onChange={(e) => setFilter({ unassigned: e.target.checked })}
          data-testid="filter-unassigned"
        />
        Unassigned
      </label>
      <span className="state-toggles" role="group" aria-label="States">
        {states.map(([value, label]) => (
          <button
            key={value}
            type="button"
            className={`btn btn-small${filter.states.includes(value) ? ' active' : ''}`}
            aria-pressed={filter.states.includes(value)}
            onClick={() => toggleState(value)}
            data-testid={`filter-state-${value}`}
          >
            {label}
          </button>
        ))}
      </span>
      <button type="button" className="btn btn-small" onClick={resetFilter} data-testid="filter-reset">
        Clear filters
      </button>
      <span className="muted small" data-testid="queue-shown" data-count={props.shown}>
        {props.shown} of {props.rows.length}
      </span>
      {marked > 0 ? (
        <button type="button" className="btn btn-small" onClick={clearMarks} data-testid="marks-clear">
          Mark {marked} as seen
        </button>
      ) : null}
      <span className="saved-views">
        <select
          aria-label="Saved views"
          value={picked}
          onChange={(e) => {
            setPicked(e.target.value);
            if (e.target.value) applyView(e.target.value);
          }}
          data-testid="view-select"
        >
          <option value="">Saved views…</option>
          {views.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
        </select>
        {picked ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              deleteView(picked);
              setPicked('');
            }}
            data-testid="view-delete"
          >
            Delete
          </button>
        ) : null}
        <input
          type="text"
          className="view-name"
          placeholder="Name this view"
          aria-label="Name for a saved view"
          value={viewName}
          onChange={(e) => setViewName(e.target.value)}
          data-testid="view-name"
        />
        <button
          type="button"
          className="btn btn-small"
          disabled={viewName.trim() === ''}
          onClick={() => {
            saveView(viewName);
            setPicked(viewName.trim());
            setViewName('');
          }}
          data-testid="view-save"
        >
          Save view
        </button>
      </span>
    </div>
  );
}
