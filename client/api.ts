import type {
  CountyCollection,
  ErrorResponse,
  NeighbourhoodCollection,
  NeighbourhoodDetail,
  NeighbourhoodsQuery,
} from '../shared/schemas';
import type { SearchResults } from '../shared/search-schemas';
import type { LoginBody, Me } from '../shared/auth-schemas';

// Typed wrappers over the server's JSON API. The shapes are the server's own TypeBox
// schemas (type-only imports, so nothing of TypeBox reaches the bundle).

export type { CountyCollection, Me, NeighbourhoodCollection, NeighbourhoodDetail };
export type NeighbourhoodFeature = NeighbourhoodCollection['features'][number];
export type NeighbourhoodProperties = NeighbourhoodFeature['properties'];
export type NeighbourhoodId = NeighbourhoodProperties['id'];

/** A failed request, carrying the server's `{ error, message }` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error body: some refusals carry more, e.g. a 409's `allowed` next states. */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * An absolute URL on this origin. MapLibre fetches source data from its worker, where a
 * relative URL would resolve against the worker script rather than the page.
 */
export function apiUrl(path: string, params?: Record<string, string | number | undefined>): string {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  }
  return url.href;
}

let onUnauthorized: ((refusal: ApiError) => Promise<void>) | undefined;

/**
 * Called when the server answers 401 to a request of the signed-in app: the session ended. The
 * handler resolves once the person has signed in again (the request is then sent again, so a
 * form's write is not lost) or rejects to give up (the refusal reaches the caller).
 */
export function setUnauthorizedHandler(handler: ((refusal: ApiError) => Promise<void>) | undefined): void {
  onUnauthorized = handler;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** JSON text, or a multipart form (the browser sets its content type and boundary). */
  body?: string | FormData;
  signal?: AbortSignal;
}

async function refusalOf(response: Response, url: string): Promise<ApiError> {
  let body: Partial<ErrorResponse> = {};
  try {
    body = (await response.json()) as Partial<ErrorResponse>;
  } catch {
    // Not JSON (a proxy's error page, say): the status line is all there is to report.
  }
  return new ApiError(
    response.status,
    body.error ?? `http_${response.status}`,
    body.message ?? `${response.status} ${response.statusText} from ${url}`,
    body,
  );
}

/**
 * After a 401 outside the sign-in routes (whose 401 is their answer: wrong password, no session
 * yet), waits for the person to sign in again. True means send the request again: a 401 refused
 * it before anything was done, so that is safe.
 */
export async function signedInAgain(url: string, refusal: ApiError): Promise<boolean> {
  if (refusal.status !== 401 || !onUnauthorized || new URL(url).pathname.startsWith('/api/auth/')) return false;
  await onUnauthorized(refusal);
  return true;
}

export async function request<T>(url: string, init: RequestOptions = {}): Promise<T> {
  // Same-origin fetches carry the session cookie by default; so do MapLibre's, from its worker.
  const response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  if (!response.ok) {
    const refusal = await refusalOf(response, url);
    // A 401 on the sign-in routes themselves is their answer (wrong password, no session yet).
    // Anywhere else it refused the request before doing anything, so sending it again is safe.
    if (await signedInAgain(url, refusal)) return request<T>(url, init);
    throw refusal;
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { signal });
}

export function neighbourhoodsUrl(query: NeighbourhoodsQuery = {}): string {
  return apiUrl('/api/neighbourhoods', query);
}

export function countiesUrl(): string {
  return apiUrl('/api/counties');
}

export function fetchNeighbourhoods(
  query: NeighbourhoodsQuery,
  signal?: AbortSignal,
): Promise<NeighbourhoodCollection> {
  return getJson(neighbourhoodsUrl(query), signal);
}

/** Neighbourhoods, counties and agencies matching a name as typed, best first (GET /api/search). */
export function fetchSearch(q: string, signal?: AbortSignal): Promise<SearchResults> {
  return getJson(apiUrl(`/api/search?q=${encodeURIComponent(q)}&limit=8`), signal);
}

export function fetchNeighbourhood(id: NeighbourhoodId, signal?: AbortSignal): Promise<NeighbourhoodDetail> {
  return getJson(apiUrl(`/api/neighbourhoods/${encodeURIComponent(String(id))}`), signal);
}

export function fetchCounties(signal?: AbortSignal): Promise<CountyCollection> {
  return getJson(countiesUrl(), signal);
}

export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return getJson(apiUrl('/api/auth/me'), signal);
}

export function login(body: LoginBody): Promise<Me> {
  return request(apiUrl('/api/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export function logout(): Promise<void> {
  return request(apiUrl('/api/auth/logout'), { method: 'POST' });
}
