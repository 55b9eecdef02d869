// Link header of list reads: `<url>;rel="first",<url>;rel="prev",<url>;rel="next",<url>;rel="last"`,
// each URL echoing the request's parameters with sysparm_offset/sysparm_limit adjusted. Clients may only
// rely on "next present ⇒ more rows"; prev appears after the first page, last only when counted.

export function linkHeader(requestUrl: URL, offset: number, limit: number, total: number, counted: boolean): string {
  const at = (o: number): string => {
    const u = new URL(requestUrl.href);
    u.searchParams.set('sysparm_offset', String(o));
    u.searchParams.set('sysparm_limit', String(limit));
    return u.href;
  };
  const links: string[] = [`<${at(0)}>;rel="first"`];
  if (offset > 0) links.push(`<${at(Math.max(0, offset - limit))}>;rel="prev"`);
  if (offset + limit < total) links.push(`<${at(offset + limit)}>;rel="next"`);
  if (counted) links.push(`<${at(Math.max(0, Math.floor((total - 1) / limit) * limit))}>;rel="last"`);
  return links.join(',');
}
