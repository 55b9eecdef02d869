import { ContractFailure } from '@shared/kernel/result';
import type { ErrorCode } from '@shared/kernel/result';

// Turning what a remote system said into a contract error that quotes it. Each system has its own error body:
//   ServiceNow  {"error": {"message": "...", "detail": "..."}, "status": "failure"}
//   AWX         {"detail": "..."} or field errors {"extra_vars": ["..."], "__all__": ["..."]}
//   Prometheus  {"status": "error", "errorType": "bad_data", "error": "..."}

export function remoteMessageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 500) || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const err = b.error;
  if (typeof err === 'object' && err !== null) {
    const e = err as Record<string, unknown>;
    const parts = [e.message, e.detail].filter((x): x is string => typeof x === 'string' && x.length > 0);
    if (parts.length) return parts.join(': ');
  }
  if (typeof err === 'string') return typeof b.errorType === 'string' ? `${b.errorType}: ${err}` : err;
  if (typeof b.detail === 'string') return b.detail;
  if (typeof b.message === 'string') return b.message;
  if (typeof b.error_description === 'string') return b.error_description;
  const fields = fieldErrorsOf(body);
  if (fields.length) return fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return undefined;
}

/** AWX-style `{field: ["message", ...]}` bodies. */
export function fieldErrorsOf(body: unknown): { path: string; message: string }[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const out: { path: string; message: string }[] = [];
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out.push({ path: k, message: v.join(' ') });
  }
  return out;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'conflict',
  409: 'conflict',
  412: 'conflict',
  422: 'validation',
  429: 'rate_limited',
};

export function failureForStatus(
  status: number,
  body: unknown,
  opts: { connectionName: string; connectionId?: string; retryAfter?: number },
): ContractFailure {
  const code: ErrorCode = STATUS_CODES[status] ?? (status >= 500 ? 'remote_error' : 'remote_error');
  const remoteMessage = remoteMessageOf(body);
  const retryable = status === 429 || status >= 500;
  const what = HUMAN_STATUS[status] ?? (status >= 500 ? 'a server error' : `HTTP ${status}`);
  const wait =
    opts.retryAfter !== undefined
      ? ` ${opts.connectionName} asked to wait ${opts.retryAfter} s (Retry-After) before trying again; the console did not wait that long by itself.`
      : '';
  const message = `${opts.connectionName} answered ${status} (${what})${remoteMessage ? `: ${remoteMessage}` : '.'}${wait}`;
  const fields = fieldErrorsOf(body);
  return new ContractFailure(code, message, {
    status,
    retryable,
    ...(remoteMessage ? { remoteMessage } : {}),
    ...(opts.retryAfter !== undefined ? { retryAfter: opts.retryAfter } : {}),
    ...(opts.connectionId ? { connectionId: opts.connectionId } : {}),
    ...(fields.length ? { fields } : {}),
  });
}

const HUMAN_STATUS: Record<number, string> = {
  400: 'bad request',
  401: 'not authenticated',
  403: 'forbidden',
  404: 'not found',
  405: 'not allowed',
  409: 'conflict',
  429: 'too many requests',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** Parses Retry-After (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value.trim());
  if (Number.isFinite(s) && s >= 0) return s;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, Math.round((t - now) / 1000));
}

/** The title of an HTML page, to say which page answered where JSON was expected. */
export function htmlTitleOf(html: string): string | undefined {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return m?.[1]?.replace(/\s+/g, ' ').trim().slice(0, 200) || undefined;
}

/**
 * What an HTML page says, for quoting it in a message: its title, else the words of its body (scripts, styles
 * and tags dropped, whitespace collapsed) — a bare proxy page ("<h1>403 Forbidden</h1><hr>nginx") has no title.
 */
export function htmlTextOf(html: string): string {
  const title = htmlTitleOf(html);
  if (title) return title;
  return wordsOf(html).slice(0, 200);
}

/** The words of some HTML: scripts, styles and tags dropped, the common entities read, whitespace collapsed. */
function wordsOf(html: string): string {
  return html
    .replace(/<(script|style|noscript)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}

const LOGIN_HINT = /log ?in|sign ?in|sso|saml|oauth|authenticat|session/i;

/** A form that posts to a login endpoint (ServiceNow's `login.do`, `/login`, `/saml2/…`, `/oauth2/start`). */
const LOGIN_FORM = /<form\b[^>]*\baction=["']?[^"'>\s]*(log-?in|sign-?in|sso|saml|oauth|authenticat)/i;
/** The user-name field of sign-in forms: ServiceNow `user_name`, Azure AD `loginfmt`, Okta `identifier`, Java `j_username`. */
const USER_FIELD = /<input\b[^>]*\bname=["']?(user_?name|username|loginfmt|identifier|j_username|login)["'\s>]/i;
/**
 * A heading or button whose words are a sign-in prompt ("Sign in", "Please log in", "Log in to continue"). Not
 * links: a "Log in" link in a portal's menu is on pages that are not sign-in pages.
 */
const PROMPT_ELEMENT = /<(h[1-3]|button|legend)\b[^>]*>([\s\S]{0,200}?)<\/\1>/gi;
const PROMPT_WORDS = /^(please )?(log|sign)[ -]?(in|on)\b/i;
/** Sentences that ask for a sign-in, rather than mention one in passing. */
const PROMPT_SENTENCE =
  /\b(please|you must|you need to|must|need to) (log|sign)[ -]?(in|on)\b|\b(log|sign)[ -]?(in|on) (to continue|to access|is required|required)\b|\b(login|sign-?in|authentication) (is )?required\b|\byour session (has )?(expired|timed out)\b/i;
/** A page that opens as an error ("502 Bad Gateway", "Error: …", "Service Unavailable") is an error page. */
const ERROR_OPENING =
  /^(\d{3}\b|error\b|[\w ]{0,40}\b(forbidden|not found|unavailable|bad gateway|gateway time-?out|internal server error)\b)/i;

/**
 * Whether an HTML page that came where JSON was expected is a sign-in page: a login URL, a sign-in title, or a
 * password field — or, for a successful (2xx) answer without those (a bare gateway page, a sign-in form drawn
 * by script), its body: a form posting to a login endpoint or holding a user-name field, a heading or button
 * that says "Sign in"/"Log in", or a short page asking to sign in. An error page that mentions logging in in
 * passing ("502 Bad Gateway … log in to the status page") stays an error: a page that opens as an error is one,
 * and an error status keeps its own code (401 still gets its token refresh), quoted with the page's words.
 */
export function looksLikeLoginPage(html: string, url: string, status = 200): boolean {
  if (LOGIN_HINT.test(url) || LOGIN_HINT.test(htmlTitleOf(html) ?? '') || /<input[^>]+type=["']?password/i.test(html)) return true;
  if (status < 200 || status >= 300) return false;
  if (LOGIN_FORM.test(html) || (USER_FIELD.test(html) && /<form\b/i.test(html))) return true;
  const body = wordsOf(html.replace(/<head\b[\s\S]*?<\/head>/i, ' '));
  if (ERROR_OPENING.test(body)) return false;
  for (const m of html.matchAll(PROMPT_ELEMENT)) {
    const words = wordsOf(m[2] ?? '');
    if (words.length <= 60 && PROMPT_WORDS.test(words)) return true;
  }
  return body.length <= 400 && PROMPT_SENTENCE.test(body);
}
