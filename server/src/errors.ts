// The one error type services throw, and the catalogue of stable codes. The HTTP error
// plugin turns an AppError into the error body; anything else becomes a bare 500.
import type { ErrorDetail } from '@siem/contracts';

/** Error classes (the `error` field) with their status. */
export const ERROR_CLASSES = {
  ValidationError: 422,
  AuthenticationError: 401,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotFound: 404,
  MethodNotAllowed: 405,
  PayloadTooLarge: 413,
  RateLimitExceeded: 429,
  ServiceUnavailable: 503,
  InternalServerError: 500,
  BadRequest: 400,
  UnsupportedMediaType: 415,
} as const;
export type ErrorClass = keyof typeof ERROR_CLASSES;

/** Stable machine codes (the optional `code` field). Every code is documented in docs/errors.md. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'ValidationError',
  VALIDATION_BAD_JSON: 'ValidationError',
  VALIDATION_NOTHING_TO_UPDATE: 'ValidationError',
  QUERY_SYNTAX: 'ValidationError',
  QUERY_NOT_A_RULE: 'ValidationError',
  AUTH_REQUIRED: 'AuthenticationError',
  AUTH_TOKEN_INVALID: 'AuthenticationError',
  AUTH_TOKEN_EXPIRED: 'AuthenticationError',
  AUTH_TOKEN_REVOKED: 'AuthenticationError',
  AUTH_USER_NOT_FOUND: 'AuthenticationError',
  AUTH_ACCOUNT_DEACTIVATED: 'AuthenticationError',
  AUTH_BAD_CREDENTIALS: 'AuthenticationError',
  AUTH_WRONG_PASSWORD: 'AuthenticationError',
  AUTH_INGEST_KEY: 'AuthenticationError',
  FORBIDDEN_ROLE: 'ForbiddenError',
  FORBIDDEN_SELF_ACTION: 'ForbiddenError',
  FORBIDDEN_LAST_ADMIN: 'ForbiddenError',
  REGISTRATION_CLOSED: 'ForbiddenError',
  SETUP_TOKEN_INVALID: 'ForbiddenError',
  SETUP_DONE: 'ConflictError',
  FORBIDDEN_NOT_OWNER: 'ForbiddenError',
  NOT_FOUND: 'NotFoundError',
  USER_ALREADY_ACTIVE: 'NotFoundError',
  CONFLICT_USERNAME: 'ConflictError',
  CONFLICT_EMAIL: 'ConflictError',
  CONFLICT_DUPLICATE: 'ConflictError',
  CONFLICT_IN_USE: 'ConflictError',
  CONFLICT_NOT_ACTIVE: 'ConflictError',
  CASE_LIMIT_REACHED: 'ValidationError',
  SAVED_SEARCH_LIMIT: 'ConflictError',
  INTEL_FEED_INVALID: 'ValidationError',
  INTEL_PATH_REFUSED: 'ValidationError',
  ROUTE_NOT_FOUND: 'NotFound',
  METHOD_NOT_ALLOWED: 'MethodNotAllowed',
  PAYLOAD_TOO_LARGE: 'PayloadTooLarge',
  RATE_LIMITED: 'RateLimitExceeded',
  RULE_TEST_BUSY: 'RateLimitExceeded',
  SCENARIO_LIMIT: 'RateLimitExceeded',
  SSE_TOO_MANY_PER_USER: 'RateLimitExceeded',
  INGEST_BACKPRESSURE: 'ServiceUnavailable',
  DEPENDENCY_DOWN: 'ServiceUnavailable',
  DATA_DIR_LOCKED: 'ServiceUnavailable',
  SSE_CAPACITY: 'ServiceUnavailable',
  SEARCH_TIMEOUT: 'ServiceUnavailable',
  SEARCH_CANCELLED: 'ServiceUnavailable',
  INTERNAL: 'InternalServerError',
  CONTENT_ENCODING_UNSUPPORTED: 'UnsupportedMediaType',
  CONTENT_ENCODING_INVALID: 'BadRequest',
} as const satisfies Record<string, ErrorClass>;
export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errorClass: ErrorClass;
  readonly status: number;
  readonly details?: ErrorDetail[];
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, extra: { details?: ErrorDetail[]; retryAfter?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.errorClass = ERROR_CODES[code];
    this.status = ERROR_CLASSES[this.errorClass];
    if (extra.details) this.details = extra.details;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
  }
}

export const notFound = (entity: string) => new AppError('NOT_FOUND', `${entity} not found`);

export function validationError(details: ErrorDetail[], message = 'Validation failed'): AppError {
  return new AppError('VALIDATION_FAILED', message, { details });
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
