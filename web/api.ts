import type { z } from 'zod';
import type { ProblemSchema } from '../api/openapi';

/**
 * The API as the staff console and the citizens' portal call it: same origin, bearer token from the
 * tab's sessionStorage, the app's language as `Accept-Language` on every call, problem+json errors,
 * and a refused token (401) telling the app to go back to sign-in.
 */
export const API = '/api/v1';

export type Problem = z.infer<typeof ProblemSchema>;

/** A problem answer (RFC 9457): `errors` names each bad field (`data.reason`, `unitCode`...). */
export class ApiProblem extends Error {
  override name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
  get errors() {
    return this.problem.errors ?? [];
  }
}

export type Method = 'GET' | 'POST' | 'PUT';
export type Query = Record<string, string | undefined>;

export interface CallOptions {
  body?: unknown;
  /** Added to the address; empty values are left out. */
  query?: Query;
  /** For POSTs that create or pay: a repeat with the same key does it once. */
  idempotencyKey?: string;
  /** Calls made before sign-in (the catalog, the demo directory, the dev token). */
  anonymous?: boolean;
  /** What to ask for: JSON unless said (a document as a PDF, an image). */
  accept?: string;
}

export interface ApiClientConfig {
  /** The app's name: its sessionStorage keys are `<app>.token` and `<app>.name`. */
  app: string;
  /** The language the API should answer in, read at each call. */
  language(): string;
  /**
   * The problem of a refused call whose answer is no problem+json (a proxy's page): the console
   * words it itself from the status (blank), the portal shows the status text.
   */
  wordlessProblem(res: Response): Problem;
}

/** The tab's sessionStorage: the token is gone with the tab. The name is what the sign-in knew of the person, if anything. */
function tokenStoreFor(app: string) {
  const tokenKey = `${app}.token`;
  const nameKey = `${app}.name`;
  return {
    get: () => sessionStorage.getItem(tokenKey),
    name: () => sessionStorage.getItem(nameKey),
    set(token: string, name?: string) {
      sessionStorage.setItem(tokenKey, token);
      if (name) sessionStorage.setItem(nameKey, name);
      else sessionStorage.removeItem(nameKey);
    },
    clear() {
      sessionStorage.removeItem(tokenKey);
      sessionStorage.removeItem(nameKey);
    },
  };
}
export type TokenStore = ReturnType<typeof tokenStoreFor>;

function withQuery(url: string, query: Query = {}): string {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
  return params.size > 0 ? `${url}?${params.toString()}` : url;
}

export function createApiClient(config: ApiClientConfig) {
  const tokenStore = tokenStoreFor(config.app);
  /** Listeners told when the token is refused (expired, revoked): the app goes back to sign-in. */
  const unauthorizedListeners = new Set<() => void>();
  function onUnauthorized(listener: () => void): () => void {
    unauthorizedListeners.add(listener);
    return () => unauthorizedListeners.delete(listener);
  }

  /** A call to `url` (under the API, or a link it gave), its answer when 2xx, else its problem thrown. */
  async function fetchChecked(method: Method, url: string, options: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json, application/problem+json',
      // The API words its problems (and anything else) in the app's language.
      'accept-language': config.language(),
    };
    const token = tokenStore.get();
    if (token && !options.anonymous) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const res = await fetch(withQuery(url, options.query), { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    if (res.ok) return res;
    const problem: Problem = await res.json().catch(() => config.wordlessProblem(res));
    if (res.status === 401 && !options.anonymous) unauthorizedListeners.forEach((l) => l());
    throw new ApiProblem(res.status, problem);
  }

  const send = (method: Method, path: string, options: CallOptions = {}) => fetchChecked(method, `${API}${path}`, options);

  async function call<T>(method: Method, path: string, options: CallOptions = {}): Promise<T> {
    const body: T = await (await send(method, path, options)).json();
    return body;
  }

  return {
    tokenStore,
    onUnauthorized,
    fetchChecked,
    send,
    call,
    get: <T>(path: string, query?: Query) => call<T>('GET', path, { query }),
    post: <T>(path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}) => call<T>('POST', path, { ...options, body }),
  };
}
