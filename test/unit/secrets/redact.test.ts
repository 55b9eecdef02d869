import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRegistry, redactSecrets } from '../../../electron/core/kernel/secrets/redact';

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
