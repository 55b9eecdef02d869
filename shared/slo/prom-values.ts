// Reading Prometheus query responses. Values travel as strings because JSON has no NaN or Infinity; the server
// writes "NaN", "+Inf" and "-Inf", and JavaScript's Number("+Inf") is NaN, so those are mapped by hand.

import { z } from 'zod';

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

const sampleSchema = z.tuple([z.number(), z.string()]);
const vectorItemSchema = z.object({ metric: z.record(z.string(), z.string()), value: sampleSchema });

const envelopeSchema = z.object({
  status: z.enum(['success', 'error']),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
});

const vectorDataSchema = z.object({ resultType: z.literal('vector'), result: z.array(vectorItemSchema) });

export interface VectorSample {
  labels: Record<string, string>;
  /** Unix seconds. */
  time: number;
  value: number;
}

export type VectorResult = { ok: true; samples: VectorSample[]; warnings: string[] } | { ok: false; errorType: string; error: string };

/**
 * Reads an instant-query response body (already JSON-decoded). Anything other than a successful vector is an
 * error value carrying the server's own words, so the UI can show them.
 */
export function readVectorResponse(body: unknown): VectorResult {
  const env = envelopeSchema.safeParse(body);
  if (!env.success) return { ok: false, errorType: 'bad_response', error: 'not a Prometheus API response' };
  if (env.data.status === 'error') {
    return { ok: false, errorType: env.data.errorType ?? 'error', error: env.data.error ?? 'query failed' };
  }
  const data = vectorDataSchema.safeParse(env.data.data);
  if (!data.success) return { ok: false, errorType: 'bad_response', error: 'expected an instant vector result' };
  const samples: VectorSample[] = [];
  for (const item of data.data.result) {
    const value = parsePromValue(item.value[1]);
    if (value === null) {
      return { ok: false, errorType: 'bad_response', error: `unreadable sample value ${JSON.stringify(item.value[1])}` };
    }
    samples.push({ labels: item.metric, time: item.value[0], value });
  }
  return { ok: true, samples, warnings: env.data.warnings ?? [] };
}
