// Reading Prometheus query responses. Values travel as strings because JSON has no NaN or Infinity; the server
// writes "NaN", "+Inf" and "-Inf", and JavaScript's Number("+Inf") is NaN, so those are mapped by hand.

/** Parses a Prometheus sample value. Returns null for text that is not a number at all. */
export function parsePromValue(text: string): number | null {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
  }
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isNaN(n) ? null : n;
}

/** One point of a range query's answer: unix seconds and the value (NaN and ±Inf kept). */
export interface RangePoint {
  t: number;
  v: number;
}

/** One series of a range query's answer. */
export interface RangeSeries {
  labels: Record<string, string>;
  points: RangePoint[];
}

export interface VectorSample {
  labels: Record<string, string>;
  /** Unix seconds. */
  time: number;
  value: number;
}

export type VectorResult = { ok: true; samples: VectorSample[]; warnings: string[] } | { ok: false; errorType: string; error: string };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isStringRecord(x: unknown): x is Record<string, string> {
  if (!isObject(x)) return false;
  for (const k in x) if (typeof x[k] !== 'string') return false;
  return true;
}

// A fleet refresh reads each answer more than once (to decide on bisecting, to split it per SLO) and answers
// hold a thousand series: the reading of a body is kept with the body, which is never changed once decoded.
const readings = new WeakMap<object, VectorResult>();

/**
 * Reads an instant-query response body (already JSON-decoded). Anything other than a successful vector is an
 * error value carrying the server's own words, so the UI can show them. Checked by hand rather than by a
 * schema: answers run to thousands of series per query and this is the hot path of every refresh.
 */
export function readVectorResponse(body: unknown): VectorResult {
  if (!isObject(body)) return { ok: false, errorType: 'bad_response', error: 'not a Prometheus API response' };
  const known = readings.get(body);
  if (known) return known;
  const read = readBody(body);
  readings.set(body, read);
  return read;
}

/** Records what a body reads as, for bodies the console builds itself from samples it has already read. */
export function rememberVectorReading(body: object, read: VectorResult): void {
  readings.set(body, read);
}

function readBody(body: Record<string, unknown>): VectorResult {
  const { status, errorType, error, warnings } = body;
  const envelopeOk =
    (status === 'success' || status === 'error') &&
    (errorType === undefined || typeof errorType === 'string') &&
    (error === undefined || typeof error === 'string') &&
    (warnings === undefined || (Array.isArray(warnings) && warnings.every((w) => typeof w === 'string')));
  if (!envelopeOk) return { ok: false, errorType: 'bad_response', error: 'not a Prometheus API response' };
  if (status === 'error') return { ok: false, errorType: errorType ?? 'error', error: error ?? 'query failed' };
  const data = body.data;
  const notVector = { ok: false, errorType: 'bad_response', error: 'expected an instant vector result' } as const;
  if (!isObject(data) || data.resultType !== 'vector' || !Array.isArray(data.result)) return notVector;
  const samples: VectorSample[] = [];
  for (const item of data.result as unknown[]) {
    if (!isObject(item) || !isStringRecord(item.metric) || !Array.isArray(item.value) || item.value.length !== 2) return notVector;
    const [time, text] = item.value as unknown[];
    if (typeof time !== 'number' || typeof text !== 'string') return notVector;
    const value = parsePromValue(text);
    if (value === null) return { ok: false, errorType: 'bad_response', error: `unreadable sample value ${JSON.stringify(text)}` };
    samples.push({ labels: item.metric, time, value });
  }
  return { ok: true, samples, warnings: (warnings as string[] | undefined) ?? [] };
}
