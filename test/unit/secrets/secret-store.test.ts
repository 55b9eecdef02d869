import { describe, expect, it } from 'vitest';
import { ContractFailure } from '@shared/kernel/result';
import {
  KEYCHAIN_SERVICE,
  MAX_SECRET_BYTES,
  accountFor,
  validateAccount,
  validateSecretValue,
} from '../../../electron/core/kernel/secrets/secret-store';
import { MemorySecretStore } from '../../../electron/core/kernel/secrets/memory-store';

function failure(fn: () => void): ContractFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof ContractFailure) return e;
    throw e;
  }
  throw new Error('expected a ContractFailure');
}

describe('accounts', () => {
  it('has one service and one account per connection and kind', () => {
    expect(KEYCHAIN_SERVICE).toBe('com.tocconsole.app');
    expect(accountFor('snow-prod', 'password')).toBe('snow-prod:password');
    expect(accountFor('awx', 'refresh-token')).toBe('awx:refresh-token');
  });

  it('rejects an unknown kind, empty, overlong and control-character accounts', () => {
    expect(() => accountFor('x', 'pin' as never)).toThrow(/Unknown secret kind/);
    expect(failure(() => validateAccount('')).code).toBe('bad_request');
    expect(() => validateAccount('a'.repeat(257))).toThrow(/256/);
    expect(() => validateAccount('a\nb')).toThrow(/control/);
  });
});

describe('secret values', () => {
  it('accepts up to the Windows Credential Manager limit in UTF-8 bytes', () => {
    expect(() => validateSecretValue('a'.repeat(MAX_SECRET_BYTES))).not.toThrow();
    // 853 × "€" (3 bytes) = 2,559 bytes; one more is over.
    expect(() => validateSecretValue('€'.repeat(853))).not.toThrow();
    const e = failure(() => validateSecretValue('€'.repeat(854)));
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(/2,562 bytes/);
    expect(e.message).toMatch(/at most 2,560 bytes/);
    expect(e.message).not.toContain('€');
  });

  it('says which limit a too-long JWT ran into without quoting it', () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(3000)}.sig`;
    const e = failure(() => validateSecretValue(jwt));
    expect(e.message).toMatch(/Windows Credential Manager/);
    expect(e.message).not.toContain('eyJ');
  });

  it('rejects empty values, NUL (libsecret would truncate) and unpaired surrogates (UTF-8 would mangle)', () => {
    expect(() => validateSecretValue('')).toThrow(/empty/);
    expect(() => validateSecretValue('abc\u0000def')).toThrow(/NUL/);
    expect(() => validateSecretValue('abc\uD800def')).toThrow(/surrogate/);
    expect(() => validateSecretValue('emoji 🔑 ok')).not.toThrow();
  });
});

describe('MemorySecretStore', () => {
  it('keeps values for the session only and validates like the keychain', async () => {
    const m = new MemorySecretStore({ state: 'no-daemon', reason: 'r', remedy: 'x' });
    expect(m.status()).toMatchObject({ backend: 'memory', state: 'no-daemon' });
    await m.set('a:password', 'hunter22');
    expect(await m.get('a:password')).toBe('hunter22');
    expect(await m.has('a:password')).toBe(true);
    expect(await m.delete('a:password')).toBe(true);
    expect(await m.delete('a:password')).toBe(false);
    expect(await m.get('a:password')).toBeNull();
    await expect(m.set('a:password', 'x'.repeat(MAX_SECRET_BYTES + 1))).rejects.toThrow(/at most/);
  });
});
