// The one fetch wrapper: base URL, bearer token, JSON in and out, response bodies checked
// against the shared contracts, and errors turned into ApiError carrying the server's
// `message` and `details`. A 401 ends the session unless the caller says it means
// something else (wrong credentials at login, wrong current password).
import type { z } from 'zod';
import type { ErrorDetail } from '@siem/contracts';
import { ErrorBodySchema } from '@siem/contracts';
import { API_BASE } from '../config/env.ts';
import { getToken, useSession } from './session.ts';

export class ApiError extends Error {
  readonly status: number;
  /** The server's error class (`ValidationError`, ...) or `NetworkError` / `InvalidResponse`. */
  readonly error: string;
  readonly details: ErrorDetail[];
  readonly retryAfter: number | null;

  constructor(status: number, error: string, message: string, details: ErrorDetail[] = [], retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** What to show a person for any thrown value: the server's sentence, never its class name. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 429 && e.retryAfter) return `${e.message}. Try again in ${e.retryAfter} s.`;
    return e.message;
  }
  if (e instanceof Error) return e.message;
  return 'Something went wrong';
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** Sent as it is (a file upload) instead of a JSON body. */
  rawBody?: string;
  schema: z.ZodType<T>;
  /** Send no token (login, register). */
  anonymous?: boolean;
  /** A 401 here is an answer for the form, not the end of the session. */
  keepSessionOn401?: boolean;
  /** Use this token instead of the session's (the /auth/me right after login). */
  token?: string;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    // Empty filters are "no filter"; leaving them out keeps URLs and keys tidy.
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}/v1${path}${qs ? `?${qs}` : ''}`;
}

async function readError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Proxies answer HTML on 502/504; fall through to a generic sentence.
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const retry = parsed.data.retry_after ?? (Number(res.headers.get('Retry-After')) || null);
    return new ApiError(res.status, parsed.data.error, parsed.data.message, parsed.data.details ?? [], retry);
  }
  return new ApiError(res.status, 'HttpError', `The server answered ${res.status} ${res.statusText}`.trim());
}

export async function apiRequest<T>(path: string, opts: RequestOptions<T>): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = opts.anonymous ? null : (opts.token ?? getToken());
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.rawBody !== undefined) headers['Content-Type'] = 'application/octet-stream';

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NetworkError', 'Cannot reach the server. Check your connection.');
  }

  if (!res.ok) {
    const err = await readError(res);
    if (res.status === 401 && !opts.anonymous && !opts.keepSessionOn401 && !opts.token) {
      useSession.getState().end('unauthorized');
    }
    throw err;
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ApiError(res.status, 'InvalidResponse', 'The server sent a response that is not JSON');
  }
  const parsed = opts.schema.safeParse(json);
  if (!parsed.success) {
    console.warn(`Unexpected response shape from ${path}`, parsed.error.issues.slice(0, 3));
    throw new ApiError(res.status, 'InvalidResponse', 'The server sent a response this app does not understand');
  }
  return parsed.data;
}
