/**
 * Notices about demo parts that could not start (e.g. how to install Prometheus), passed by `npm start` to the
 * app or `toc serve` as JSON in TOC_DEMO_NOTICES. Anything malformed is ignored: it is advice, not config.
 */
export function demoNoticesFromEnv(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
