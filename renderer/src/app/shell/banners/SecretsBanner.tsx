import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSecretStatus } from '../../api/app-queries';
import { callKey, useAction } from '../../api/hooks';
import { Banner } from './Banner';

/** The keychain is unusable: secrets are held for this session only. Quote why, say how to fix it, offer a retry. */
export function SecretsBanner(): ReactNode {
  const status = useSecretStatus();
  const qc = useQueryClient();
  const retry = useAction('connections.retrySecrets', {
    onSuccess: (s) => qc.setQueryData(callKey('connections.secretStatus', {}), s),
    invalidates: ['connections.list'],
  });
  const s = status.data;
  if (!s || (s.backend === 'keychain' && s.state === 'ok')) return null;
  const sessionOnly = s.backend === 'memory';
  return (
    <Banner
      tone="warn"
      title={sessionOnly ? 'Secrets are kept for this session only' : `The OS keychain is ${s.state}`}
      testId="banner-secrets"
      foldable
      actions={
        <button
          type="button"
          className="btn"
          onClick={() => retry.mutate({})}
          disabled={retry.isPending}
          data-testid="banner-secrets-retry"
        >
          {retry.isPending ? 'Trying…' : 'Retry keychain'}
        </button>
      }
    >
      {/* The keychain's own words and what to do about it run as one paragraph: a wall PC keeps this banner for
          days, so every line it spends is a line of the view gone. */}
      <p>
        {s.remedy
          ? null
          : sessionOnly
            ? 'Passwords and tokens you enter are held in memory and are gone when the console closes. Nothing is written to disk. '
            : 'Stored passwords and tokens cannot be read until the keychain is available. '}
        {s.reason ? (
          <span data-testid="banner-secrets-reason">
            The keychain said: <q>{s.reason}</q>{' '}
          </span>
        ) : null}
        {s.remedy ? <span data-testid="banner-secrets-remedy">{s.remedy}</span> : null}
      </p>
      {retry.isError ? (
        <p className="field-error" role="alert" data-testid="banner-secrets-retry-error">
          {retry.error.message}
          {retry.error.detail?.remoteMessage ? ` “${retry.error.detail.remoteMessage}”` : ''}
        </p>
      ) : null}
      {retry.isSuccess && retry.data.backend === 'memory' ? (
        <p className="muted small" data-testid="banner-secrets-retry-result">
          Tried again: still unavailable ({retry.data.state}).
        </p>
      ) : null}
    </Banner>
  );
}
