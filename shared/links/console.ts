// Deep links into the console itself (`toc://runbook/<id>`, `toc://slo/<name>`, `toc://incident/<number>`,
// `toc://job/<connection>/<id>`): what an alert rule's runbook_url / dashboard_url can point at when the runbook
// or the dashboard is the console's own. Each becomes the console route it names; anything else is not one.

const ROUTES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^toc:\/\/runbook\/([A-Za-z0-9._-]{1,120})\/?$/, (m) => `#/runbooks/${m[1]}`],
  [/^toc:\/\/slo\/([A-Za-z0-9._:-]{1,200})\/?$/, (m) => `#/slos/detail/${m[1]}`],
  [/^toc:\/\/incident\/([A-Za-z0-9]{1,40})\/?$/, (m) => `#/incidents/${m[1]}`],
  [/^toc:\/\/job\/([A-Za-z0-9_-]{1,63})\/(\d{1,12})\/?$/, (m) => `#/jobs/${m[1]}/${m[2]}`],
];

/** The console route (`#/…`) a `toc://` link names, or undefined. */
export function consoleRoute(url: string | undefined): string | undefined {
  const t = (url ?? '').trim();
  for (const [re, to] of ROUTES) {
    const m = re.exec(t);
    if (m) return to(m);
  }
  return undefined;
}
