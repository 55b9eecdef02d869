import { NavigateTarget } from '../../shared/contract/app';
import { DEEP_LINK_SCHEME } from './launch-args';

// toc:// links (from a chat message, a ServiceNow work note, a wall PC's autostart) open a view of the console:
// toc://incidents/INC0012345, toc://jobs/4711, toc://wall. A link only ever selects a view and an id; anything
// else in it is ignored, and a link that does not parse does nothing.

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export function parseDeepLink(raw: string): NavigateTarget | null {
  if (raw.length > 2048) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== `${DEEP_LINK_SCHEME}:` || u.username || u.password) return null;
  const view = u.hostname.toLowerCase();
  const first = u.pathname.split('/').find((s) => s !== '');
  let id: string | undefined;
  if (first !== undefined) {
    try {
      id = decodeURIComponent(first);
    } catch {
      return null;
    }
    if (!ID.test(id)) return null;
  }
  const parsed = NavigateTarget.safeParse(id === undefined ? { view } : { view, id });
  return parsed.success ? parsed.data : null;
}
