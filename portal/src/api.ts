import { languageStore } from './language';
import type { Problem } from './types';

/** The API as the portal calls it: same origin, bearer token, the portal's language, problem+json errors. */
export const API = '/api/v1';

/** A problem answer (RFC 9457): `errors` names each bad field (`data.fullName`, `unitCode`...). */
export class ApiProblem extends Error {
  override name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title);
  }
  get errors() {
    return this.problem.errors ?? [];
  }
}

// The tab's sessionStorage: the token is gone with the tab. The name is what the sign-in knew of the
// person (the demo directory); the identity provider's token carries none.
const TOKEN_KEY = 'portal.token';
const NAME_KEY = 'portal.name';
export const tokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  name: () => sessionStorage.getItem(NAME_KEY),
  set: (token: string, name?: string) => {
    sessionStorage.setItem(TOKEN_KEY, token);
    if (name) sessionStorage.setItem(NAME_KEY, name);
    else sessionStorage.removeItem(NAME_KEY);
  },
  clear: () => {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(NAME_KEY);
  },
};

export interface CallOptions {
  body?: unknown;
  /** For POSTs that create or pay: a repeat with the same key does it once. */
  idempotencyKey?: string;
  /** Calls made before sign-in (the catalog, the demo directory, the dev token). */
  anonymous?: boolean;
  /** What to ask for: JSON unless said (the document as a PDF). */
  accept?: string;
}

/** Listeners told when the token is refused (expired, revoked): the portal goes back to sign-in. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function send(method: 'GET' | 'POST' | 'PUT', path: string, options: CallOptions): Promise<Response> {
  const headers: Record<string, string> = {
    accept: options.accept ?? 'application/json, application/problem+json',
    // The API answers its problems in the portal's language.
    'accept-language': languageStore.get(),
  };
  const token = tokenStore.get();
  if (token && !options.anonymous) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const res = await fetch(`${API}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (res.ok) return res;
  const problem: Problem = await res.json().catch(() => ({ type: 'about:blank', title: res.statusText, status: res.status, detail: res.statusText }));
  if (res.status === 401 && !options.anonymous) unauthorizedListeners.forEach((l) => l());
  throw new ApiProblem(res.status, problem);
}

export async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, options: CallOptions = {}): Promise<T> {
  const body: T = await (await send(method, path, options)).json();
  return body;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}) => call<T>('POST', path, { ...options, body });

/** Bytes from the API (the document as a PDF), with the file name its answer suggests. */
export async function fetchFile(path: string, accept: string): Promise<{ blob: Blob; filename: string | undefined }> {
  const res = await send('GET', path, { accept });
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  return { blob: await res.blob(), filename };
}

/** A fresh key for a request that must take effect once (a filing, a payment). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
