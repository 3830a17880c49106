import type { Problem } from './types';

/** The API as the console calls it: same origin, bearer token, problem+json errors. */
export const API = '/api/v1';

/** A problem answer (RFC 9457): `errors` names each bad field (`data.reason`, `note`...). */
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

const TOKEN_KEY = 'console.token';
export const tokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/**
 * The console's language, sent as `Accept-Language` with every call: the API's problem messages
 * (and anything else it words) come back in it. The i18n provider keeps it current.
 */
let language = 'vi';
export function setApiLanguage(lang: string): void {
  language = lang;
}

type Query = Record<string, string | undefined>;

export interface CallOptions {
  body?: unknown;
  query?: Query;
  /** For POSTs that create something: a repeat with the same key creates nothing new. */
  idempotencyKey?: string;
  /** Calls made before sign-in (the demo directory, the dev token). */
  anonymous?: boolean;
}

/** Listeners told when the token is refused (expired, revoked): the console goes back to sign-in. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function call<T>(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<T> {
  const query = new URLSearchParams(Object.entries(options.query ?? {}).filter((e): e is [string, string] => Boolean(e[1])));
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'accept-language': language };
  const token = tokenStore.get();
  if (token && !options.anonymous) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const res = await fetch(`${API}${path}${query.size > 0 ? `?${query.toString()}` : ''}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (res.ok) {
    const body: T = await res.json();
    return body;
  }
  throw await problemOf(res, options.anonymous);
}

/** The problem a refused call answered; without a problem body (a proxy's page), only its status: the console words it. */
async function problemOf(res: Response, anonymous = false): Promise<ApiProblem> {
  const problem: Problem = await res.json().catch(() => ({ type: 'about:blank', title: '', status: res.status, detail: '' }));
  if (res.status === 401 && !anonymous) unauthorizedListeners.forEach((l) => l());
  return new ApiProblem(res.status, problem);
}

/**
 * An image the API serves to the signed-in caller (a violation's evidence), as a `data:` URL: an
 * `<img>` cannot send the bearer token, and the console's CSP allows images from `data:`.
 */
export async function imageData(href: string): Promise<string> {
  const token = tokenStore.get();
  const res = await fetch(href, { headers: { accept: 'image/*', 'accept-language': language, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (!res.ok) throw await problemOf(res);
  const blob = await res.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('unreadable image')));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable image'));
    reader.readAsDataURL(blob);
  });
}

export const get = <T>(path: string, query?: Query) => call<T>('GET', path, { query });
export const post = <T>(path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}) => call<T>('POST', path, { ...options, body });
