// The envelope every call across the contract returns. Errors travel as values so the UI can show the remote
// system's own words: an Error thrown through ipcMain.handle would arrive with only its message.

export const ERROR_CODES = [
  'bad_request', // arguments failed the contract's schema
  'unknown_method', // no such call or topic in the contract
  'forbidden_sender', // IPC from a frame or origin that is not the app
  'read_only', // wall mode: the contract refuses every action
  'not_configured', // the call needs a connection or file that is not set up
  'config', // workspace file or settings are invalid
  'secret_store', // keychain failure
  'secret_missing', // the connection needs a secret that is not stored
  'unauthorized', // remote 401
  'forbidden', // remote 403
  'not_found', // remote 404
  'conflict', // remote 409 / changed since read
  'validation', // remote 400 with field errors
  'rate_limited', // remote 429
  'remote_error', // remote 5xx or an error body
  'login_required', // HTML login page / SSO redirect where JSON was expected
  'bad_response', // body not what the API promises (wrong content type, bad JSON, truncated)
  'timeout',
  'unreachable', // connection refused / reset
  'dns', // host name does not resolve
  'tls', // certificate or handshake failure
  'cancelled',
  'offline',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  /** HTTP status from the remote system, when there was one. */
  status?: number;
  /** The remote system's own message, quoted as it said it. */
  remoteMessage?: string;
  /** Whether the same call may succeed if tried again later. */
  retryable?: boolean;
  /** Seconds the remote asked us to wait (Retry-After). */
  retryAfter?: number;
  /** Which connection the error came from. */
  connectionId?: string;
  /** Field-level problems: schema issues, AWX field errors, workspace file positions. */
  fields?: { path: string; message: string }[];
}

export interface ContractError {
  code: ErrorCode;
  message: string;
  detail?: ErrorDetail;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ContractError };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string, detail?: ErrorDetail): Result<never> => ({
  ok: false,
  error: detail ? { code, message, detail } : { code, message },
});

/** An error that carries a contract error; core code throws it, transports turn it into a value. */
export class ContractFailure extends Error {
  readonly code: ErrorCode;
  readonly detail: ErrorDetail | undefined;
  constructor(code: ErrorCode, message: string, detail?: ErrorDetail) {
    super(message);
    this.name = 'ContractFailure';
    this.code = code;
    this.detail = detail;
  }
  toJSON(): ContractError {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}

export function isContractError(x: unknown): x is ContractError {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ContractError).code === 'string' &&
    typeof (x as ContractError).message === 'string' &&
    (ERROR_CODES as readonly string[]).includes((x as ContractError).code)
  );
}
