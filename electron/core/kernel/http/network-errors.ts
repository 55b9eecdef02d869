import { ContractFailure } from '@shared/kernel/result';

// Node/undici put the socket-level reason in `cause.code` (sometimes nested twice). Map it to words an
// engineer acts on: DNS, refused, TLS, timeout.

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function causeChain(e: unknown): { code?: string; message: string }[] {
  const out: { code?: string; message: string }[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (typeof cur !== 'object') break;
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown };
    out.push({ ...(typeof c.code === 'string' ? { code: c.code } : {}), message: typeof c.message === 'string' ? c.message : '' });
    cur = c.cause;
  }
  return out;
}

const CUT_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

/**
 * The socket-level code when an open connection was cut (reset or closed by the other side), else undefined.
 * For a write this means the outcome is unknown: the server may have applied it before the cut.
 */
export function cutCode(e: unknown): string | undefined {
  const code = causeChain(e).find((c) => c.code && c.code !== 'UND_ERR')?.code;
  return code && CUT_CODES.has(code) ? code : undefined;
}

/** Whether the connection was refused (nothing listening): known at once, unlike a hang. */
export function wasRefused(e: unknown): boolean {
  return causeChain(e).some((c) => c.code === 'ECONNREFUSED');
}

export function networkFailure(e: unknown, target: { name: string; host: string; connectionId?: string }): ContractFailure {
  const chain = causeChain(e);
  const coded = chain.find((c) => c.code && c.code !== 'UND_ERR');
  const code = coded?.code ?? '';
  const words = (coded?.message || chain.at(-1)?.message || String(e)).slice(0, 300);
  const base = { remoteMessage: words, ...(target.connectionId ? { connectionId: target.connectionId } : {}) };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ContractFailure('dns', `${target.name}: the host name ${target.host} does not resolve (${code}).`, {
      ...base,
      retryable: code === 'EAI_AGAIN',
    });
  }
  if (code === 'ECONNREFUSED') {
    return new ContractFailure('unreachable', `${target.name}: nothing is listening at ${target.host} (connection refused).`, {
      ...base,
      retryable: true,
    });
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|ssl|tls/i.test(words)) {
    return new ContractFailure(
      'tls',
      `${target.name}: TLS failed with ${target.host}: ${words}${code ? ` (${code})` : ''}. Check the CA file of the connection.`,
      {
        ...base,
        retryable: false,
      },
    );
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new ContractFailure('timeout', `${target.name}: ${target.host} did not answer in time (${code}).`, { ...base, retryable: true });
  }
  if (CUT_CODES.has(code)) {
    return new ContractFailure('unreachable', `${target.name}: the connection to ${target.host} was cut (${code}).`, {
      ...base,
      retryable: true,
    });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new ContractFailure('unreachable', `${target.name}: ${target.host} is unreachable from this machine (${code}).`, {
      ...base,
      retryable: true,
    });
  }
  return new ContractFailure('unreachable', `${target.name}: request to ${target.host} failed: ${words}`, { ...base, retryable: true });
}
