import { describe, expect, it } from 'vitest';
import { readVectorResponse } from '@shared/slo';

// Answers are read by hand (not by a schema) and once per body. What could break: junk read as data, a body
// changed after reading still read the old way (bodies are never changed, the cache assumes it), values that
// are not numbers.

const ok = (result: unknown, extra: Record<string, unknown> = {}) => ({
  status: 'success',
  data: { resultType: 'vector', result },
  ...extra,
});

describe('reading an instant vector answer', () => {
  it('reads labels, time, the special values and warnings; an empty vector is no series', () => {
    const r = readVectorResponse(
      ok(
        [
          { metric: { job: 'api' }, value: [1700000000.5, '12.5'] },
          { metric: {}, value: [1700000000.5, '+Inf'] },
          { metric: { a: 'b' }, value: [1700000000.5, 'NaN'] },
        ],
        { warnings: ['No StoreAPIs matched for this query'] },
      ),
    );
    expect(r).toEqual({
      ok: true,
      samples: [
        { labels: { job: 'api' }, time: 1700000000.5, value: 12.5 },
        { labels: {}, time: 1700000000.5, value: Number.POSITIVE_INFINITY },
        { labels: { a: 'b' }, time: 1700000000.5, value: Number.NaN },
      ],
      warnings: ['No StoreAPIs matched for this query'],
    });
    expect(readVectorResponse(ok([]))).toEqual({ ok: true, samples: [], warnings: [] });
  });

  it('refuses every malformed shape with the same words, and keeps the server’s own error words', () => {
    const notVector = { ok: false, errorType: 'bad_response', error: 'expected an instant vector result' };
    const notApi = { ok: false, errorType: 'bad_response', error: 'not a Prometheus API response' };
    for (const body of [
      ok([{ metric: { job: 1 }, value: [1, '1'] }]),
      ok([{ metric: null, value: [1, '1'] }]),
      ok([{ metric: {}, value: [1, '1', '2'] }]),
      ok([{ metric: {}, value: ['1', '1'] }]),
      ok([{ metric: {}, value: [1, 1] }]),
      ok([null]),
      ok({ length: 0 }),
      { status: 'success', data: { resultType: 'matrix', result: [] } },
      { status: 'success' },
    ])
      expect(readVectorResponse(body), JSON.stringify(body)).toEqual(notVector);
    for (const body of [null, 'oops', [], 42, { status: 'maybe' }, { status: 'success', warnings: [1] }, { status: 'error', error: 5 }])
      expect(readVectorResponse(body), JSON.stringify(body)).toEqual(notApi);
    expect(readVectorResponse(ok([{ metric: {}, value: [1, 'twelve'] }]))).toEqual({
      ok: false,
      errorType: 'bad_response',
      error: 'unreadable sample value "twelve"',
    });
    expect(readVectorResponse({ status: 'error', errorType: 'execution', error: 'query timed out in expression evaluation' })).toEqual({
      ok: false,
      errorType: 'execution',
      error: 'query timed out in expression evaluation',
    });
  });

  it('reads a body once: the same body gives the same reading, another body with the same text its own', () => {
    const body = ok([{ metric: { job: 'api' }, value: [1, '3'] }]);
    const first = readVectorResponse(body);
    expect(readVectorResponse(body)).toBe(first);
    const copy = structuredClone(body);
    const again = readVectorResponse(copy);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
