import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRegistry, redactDeep, redactSecrets } from '../../../electron/core/kernel/secrets/redact';
import { redactStreams } from '../../../electron/cli/output';

describe('redactSecrets', () => {
  it('replaces raw, JSON-escaped and URL-encoded forms', () => {
    const secret = 'p@ss "w/rd" 100%';
    const text = [
      `raw=${secret}`,
      `json=${JSON.stringify({ password: secret })}`,
      `query=?password=${encodeURIComponent(secret)}`,
      `form=password=${encodeURIComponent(secret).replace(/%20/g, '+')}`,
    ].join('\n');
    const out = redactSecrets(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out.split(REDACTED)).toHaveLength(5);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    expect(redactSecrets('token=abcd1234efgh', ['abcd', 'abcd1234efgh'])).toBe(`token=${REDACTED}`);
  });

  it('leaves text alone without secrets and ignores values too short to scrub sensibly', () => {
    expect(redactSecrets('nothing here', [])).toBe('nothing here');
    expect(redactSecrets('a cat sat', ['a', 'at'])).toBe('a cat sat');
  });

  it('treats regex metacharacters literally', () => {
    expect(redactSecrets('x=.*+?^$', ['.*+?^$'])).toBe(`x=${REDACTED}`);
  });
});

describe('SecretRegistry', () => {
  it('scrubs every registered value, including derived ones', () => {
    const r = new SecretRegistry();
    r.add('s3cr3t-token');
    r.addDerived(`Basic ${Buffer.from('user:pw-1234').toString('base64')}`);
    const header = `Authorization: Basic ${Buffer.from('user:pw-1234').toString('base64')}`;
    expect(r.redact(`token s3cr3t-token; ${header}`)).toBe(`token ${REDACTED}; Authorization: ${REDACTED}`);
    expect(r.size).toBe(2);
    r.clear();
    expect(r.redact('s3cr3t-token')).toBe('s3cr3t-token');
  });
});

describe('redactDeep', () => {
  const r = (t: string): string => redactSecrets(t, ['tok-9f8e7d']);

  it('scrubs every string of a value, keys included, and keeps the rest as it was', () => {
    const value = {
      name: 'job tok-9f8e7d',
      n: 3,
      nested: [{ labels: { 'tok-9f8e7d': 'x', job: 'api' } }, null, true, 'ok'],
      when: new Date(0),
    };
    const out = redactDeep(value, r);
    expect(out).toEqual({
      name: `job ${REDACTED}`,
      n: 3,
      nested: [{ labels: { [REDACTED]: 'x', job: 'api' } }, null, true, 'ok'],
      when: new Date(0),
    });
    expect(Object.keys((out.nested[0] as { labels: object }).labels)).toEqual([REDACTED, 'job']);
    expect(value.name).toBe('job tok-9f8e7d');
  });

  it('returns the same object when nothing needs scrubbing (no copy on the hot path)', () => {
    const value = { a: [{ b: 'clean text' }], c: 'also clean' };
    expect(redactDeep(value, r)).toBe(value);
  });
});

describe('redactStreams', () => {
  it('scrubs strings and buffers written to the wrapped streams, and restores them', () => {
    const written: unknown[] = [];
    const stream = { write: (chunk: unknown) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
    const restore = redactStreams((t) => redactSecrets(t, ['tok-9f8e7d']), [stream]);
    stream.write('a tok-9f8e7d b\n');
    stream.write(Buffer.from('c tok-9f8e7d d\n'));
    stream.write(Buffer.from('clean\n'));
    restore();
    stream.write('tok-9f8e7d');
    expect(written.map(String)).toEqual([`a ${REDACTED} b\n`, `c ${REDACTED} d\n`, 'clean\n', 'tok-9f8e7d']);
  });
});
