/**
 * The soak's HTTP client, as a real client of the API behaves: it retries what the API says to retry
 * (503 and 429, after `Retry-After`), a dropped connection or a timeout, and, when the caller says
 * so, a 409; always bounded. Every answer it gets is counted by status and route in the ledger, and
 * every 500 kept with its method, route and the start of its body.
 */

export interface Claims {
  sub: string;
  role: 'citizen' | 'clerk' | 'officer' | 'supervisor' | 'inspector' | 'system';
  unit?: string;
}

export interface ApiAnswer {
  status: number;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  body: unknown;
  text: string;
}

export interface ServerError {
  method: string;
  route: string;
  path: string;
  status: number;
  at: string;
  body: string;
}

/** `network` and `timeout` stand for answers that never came. */
type Outcome = number | 'network' | 'timeout';

/** Every answer the soak's clients got. */
export class HttpLedger {
  readonly byStatus = new Map<string, number>();
  readonly byRoute = new Map<string, Map<string, number>>();
  readonly serverErrors: ServerError[] = [];

  record(method: string, path: string, outcome: Outcome, body: string): void {
    const route = `${method} ${routeOf(path)}`;
    const key = String(outcome);
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    const perRoute = this.byRoute.get(route) ?? new Map<string, number>();
    perRoute.set(key, (perRoute.get(key) ?? 0) + 1);
    this.byRoute.set(route, perRoute);
    if (typeof outcome === 'number' && outcome >= 500 && outcome !== 503) {
      this.serverErrors.push({ method, route: routeOf(path), path, status: outcome, at: new Date().toISOString(), body: body.slice(0, 400) });
    }
  }

  count(status: number): number {
    return this.byStatus.get(String(status)) ?? 0;
  }

  summary() {
    const sortedObject = (m: Map<string, number>) => Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return {
      byStatus: sortedObject(this.byStatus),
      byRoute: Object.fromEntries([...this.byRoute.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([route, m]) => [route, sortedObject(m)])),
      serverErrors: this.serverErrors,
    };
  }
}

const DOSSIER_CODE = /[A-Z]{3}-\d{6}-[0-9A-Z]{6}/;

/** `/dossiers/CSE-261202-7K3M9Q/cancel` → `/dossiers/{dossierId}/cancel`; task ids likewise. */
export function routeOf(path: string): string {
  return path
    .split('?')[0]!
    .replace(new RegExp(`${DOSSIER_CODE.source}-T\\d+`, 'g'), '{taskId}')
    .replace(new RegExp(DOSSIER_CODE.source, 'g'), '{dossierId}');
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  idempotencyKey?: string;
  /** Retry a 409 (the dossier is between two states); bounded by `maxConflictRetries`. */
  retryConflict?: (answer: ApiAnswer) => boolean;
  signal?: AbortSignal;
}

export interface RetryPolicy {
  /** Attempts at most per call (503, 429, network, timeout). */
  maxAttempts: number;
  maxConflictRetries: number;
  /** A longer Retry-After is cut to this. */
  maxRetryAfterSeconds: number;
  requestTimeoutMs: number;
}

export const CLIENT_RETRY: RetryPolicy = { maxAttempts: 60, maxConflictRetries: 30, maxRetryAfterSeconds: 10, requestTimeoutMs: 60_000 };

export class GaveUp extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly last: string,
  ) {
    super(`${method} ${routeOf(path)}: gave up after retries (last: ${last})`);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** The API at `base` (`http://127.0.0.1:PORT/api/v1`), with dev tokens kept per identity. */
export class SoakApi {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    readonly base: string,
    readonly ledger: HttpLedger,
    private readonly policy: RetryPolicy = CLIENT_RETRY,
  ) {}

  /** A dev token (POST /auth/dev-token) for these claims, issued once. */
  token(claims: Claims): Promise<string> {
    const key = JSON.stringify(claims);
    let token = this.tokens.get(key);
    if (!token) {
      token = this.call('POST', '/auth/dev-token', { body: claims }).then((answer) => {
        const issued = (answer.body as { token?: string } | undefined)?.token;
        if (answer.status !== 200 || !issued) throw new Error(`dev-token for ${claims.sub}: ${answer.status} ${answer.text.slice(0, 200)}`);
        return issued;
      });
      token.catch(() => this.tokens.delete(key));
      this.tokens.set(key, token);
    }
    return token;
  }

  async as(claims: Claims, method: string, path: string, options: Omit<CallOptions, 'token'> = {}): Promise<ApiAnswer> {
    const token = await this.token(claims);
    return this.call(method, path, { ...options, token });
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    let conflicts = 0;
    let last = 'no attempt';
    for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt += 1) {
      if (options.signal?.aborted) break;
      const answer = await this.once(method, path, options);
      if (answer === 'network' || answer === 'timeout') {
        last = answer;
        await sleep(Math.min(1000 * attempt, 5000), options.signal);
        continue;
      }
      last = `${answer.status} ${answer.text.slice(0, 120)}`;
      if (answer.status === 503 || answer.status === 429) {
        await sleep(this.retryAfterMs(answer), options.signal);
        continue;
      }
      if (answer.status === 409 && options.retryConflict?.(answer) && conflicts < this.policy.maxConflictRetries) {
        conflicts += 1;
        attempt -= 1;
        await sleep(1000, options.signal);
        continue;
      }
      return answer;
    }
    throw new GaveUp(method, path, last);
  }

  private retryAfterMs(answer: ApiAnswer & { retryAfter?: string }): number {
    const seconds = Number(answer.retryAfter);
    const wait = Number.isFinite(seconds) && seconds >= 0 ? seconds : 2;
    return Math.min(wait, this.policy.maxRetryAfterSeconds) * 1000 + Math.random() * 500;
  }

  private async once(method: string, path: string, options: CallOptions): Promise<(ApiAnswer & { retryAfter?: string }) | 'network' | 'timeout'> {
    // In English: the paths match the API's words (`detailOf`), which are Vietnamese unless asked.
    const headers: Record<string, string> = { 'accept-language': 'en' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const timeout = AbortSignal.timeout(this.policy.requestTimeoutMs);
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      });
      const text = await res.text();
      this.ledger.record(method, path, res.status, text);
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body, text, retryAfter: res.headers.get('retry-after') ?? undefined };
    } catch (error) {
      const outcome = timeout.aborted ? 'timeout' : 'network';
      if (!options.signal?.aborted) this.ledger.record(method, path, outcome, String(error));
      return outcome;
    }
  }
}

/** The `detail` of a problem+json answer, or its text. */
export function detailOf(answer: ApiAnswer): string {
  const detail = (answer.body as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail : answer.text.slice(0, 200);
}
