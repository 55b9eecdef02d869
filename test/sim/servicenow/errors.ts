// Error bodies exactly as instances send them: {"error":{"message","detail"},"status":"failure"}.
// detail may be null. 403s share a message and differ only in detail, which is how clients classify them.

export interface SnErrorBody {
  error: { message: string; detail: string | null };
  status: 'failure';
}

export class SnError {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly detail: string | null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  body(): SnErrorBody {
    return { error: { message: this.message, detail: this.detail }, status: 'failure' };
  }
}

export const CHANGE_TRANSITION_RULE = 'Change Model: Check State Transition';
/** sys_id of the sim's copy of that business rule; appears in the abort message after "^". */
export const CHANGE_TRANSITION_RULE_ID = '8c5d7f3e53101010a3d5ddeeff7b12a6';

export const snErrors = {
  notAuthenticated: (): SnError =>
    new SnError(401, 'User Not Authenticated', 'Required to provide Auth information', { 'WWW-Authenticate': 'BASIC realm="Service-now"' }),
  notFound: (): SnError => new SnError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
  invalidTable: (name: string): SnError => new SnError(400, `Invalid table ${name}`, null),
  invalidLimit: (): SnError => new SnError(400, 'Invalid value given for sysparm_limit', 'sysparm_limit value must be a positive integer'),
  noResource: (): SnError => new SnError(400, 'Requested URI does not represent any resource', null),
  badRequestBody: (why: string): SnError => new SnError(400, 'Exception while reading request', why),
  payloadTooLarge: (bytes: number): SnError =>
    new SnError(
      400,
      'Exception while reading request',
      `Rejected large REST payload with content-length = ${bytes} bytes. Max allowed: 10485760 bytes.`,
    ),
  methodNotAllowed: (): SnError => new SnError(405, 'Method not Supported', 'Requested http method is not supported for this resource'),
  /** Data policy: `labels` are the mandatory fields' labels in dictionary order. */
  dataPolicy: (labels: readonly string[]): SnError =>
    new SnError(403, 'Operation Failed', `Data Policy Exception: \n\tThe following fields are mandatory: ${labels.join(', ')}`),
  businessRuleAbort: (tableName: string, rule: string, ruleSysId: string): SnError =>
    new SnError(
      403,
      'Operation Failed',
      `Operation against file '${tableName}' was aborted by Business Rule '${rule}^${ruleSysId}'. Business Rule Stack:${rule}`,
    ),
  aclWrite: (operation: 'Insert' | 'Update' | 'Delete'): SnError =>
    new SnError(403, 'Operation Failed', `ACL Exception ${operation} Failed due to security constraints`),
  apiAcl: (): SnError => new SnError(403, 'User Not Authorized', 'Failed API level ACL Validation'),
  rateLimited: (limit: number, retryAfterSeconds: number, resetEpochSeconds: number, ruleSysId: string, withHeaders: boolean): SnError =>
    new SnError(
      429,
      'Rate limit exceeded',
      `Rate limit of ${limit} requests per hour for Table API exceeded`,
      withHeaders
        ? {
            'Retry-After': String(retryAfterSeconds),
            'X-RateLimit-Limit': String(limit),
            'X-RateLimit-Reset': String(resetEpochSeconds),
            'X-RateLimit-Rule': ruleSysId,
          }
        : {},
    ),
};
