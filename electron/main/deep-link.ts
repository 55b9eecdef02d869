import { NavigateTarget } from '@shared/app/contract';
import { DEEP_LINK_SCHEME } from './launch-args';

// toc:// links (from a chat message, a ServiceNow work note, a wall PC's autostart) open a view of the console:
//   toc://incident/INC0012345 (or incidents/…)   an incident by number or sys_id
//   toc://job/<connection>/<job id>               an AWX job (toc://jobs/4711 still opens job 4711)
//   toc://slo/<name>                              one SLO's detail
//   toc://runbook/<id>, toc://wall, toc://slos, … a view
// A link only ever selects a view and an item; anything else in it is ignored, and a link that does not parse
// does nothing.

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const CONNECTION = /^[a-z0-9][a-z0-9_-]{0,62}$/i;
const JOB = /^\d{1,12}$/;

/** Singular forms people type, to the view they mean. */
const ALIASES: Record<string, string> = { incident: 'incidents', job: 'jobs', slo: 'slos', runbook: 'runbooks', alert: 'alerts' };

export function parseDeepLink(raw: string): NavigateTarget | null {
  if (raw.length > 2048) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== `${DEEP_LINK_SCHEME}:` || u.username || u.password) return null;
  const host = u.hostname.toLowerCase();
  const view = ALIASES[host] ?? host;
  const segments: string[] = [];
  for (const s of u.pathname.split('/')) {
    if (s === '') continue;
    let d: string;
    try {
      d = decodeURIComponent(s);
    } catch {
      return null;
    }
    if (!ID.test(d)) return null;
    segments.push(d);
  }
  if (segments.length > 2) return null;
  const [first, second] = segments;
  let target: unknown;
  if (view === 'jobs' && first !== undefined && second !== undefined) {
    if (!CONNECTION.test(first) || !JOB.test(second)) return null;
    target = { view, path: [first, second] };
  } else if (second !== undefined) {
    return null;
  } else if (view === 'slos' && first !== undefined) {
    target = { view, path: ['detail', first] };
  } else {
    target = first === undefined ? { view } : { view, id: first };
  }
  const parsed = NavigateTarget.safeParse(target);
  return parsed.success ? parsed.data : null;
}
