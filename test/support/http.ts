import type { Express } from 'express';
import request from 'supertest';

/**
 * Small helpers for tests that talk to the API over HTTP: dev tokens, bearer headers, RFC 9457
 * problem assertions, and polling the API (never fixed sleeps) until something becomes true.
 */
export interface Claims {
  sub: string;
  role: 'citizen' | 'clerk' | 'officer' | 'supervisor' | 'inspector' | 'system' | 'administrator';
  unit?: string;
}

/** A token from `POST /api/v1/auth/dev-token` (dev mode). */
export async function tokenFor(app: Express, claims: Claims): Promise<string> {
  const res = await request(app).post('/api/v1/auth/dev-token').send(claims);
  if (res.status !== 200) throw new Error(`dev-token for ${claims.sub} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** Tokens for several identities at once, by name. */
export async function tokensFor<K extends string>(app: Express, identities: Record<K, Claims>): Promise<Record<K, string>> {
  const entries = await Promise.all(
    (Object.entries(identities) as Array<[K, Claims]>).map(async ([name, claims]) => [name, await tokenFor(app, claims)] as const),
  );
  return Object.fromEntries(entries) as Record<K, string>;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface FieldError {
  path: string;
  message: string;
}

/** The response is an `application/problem+json` problem with this status. */
export function expectProblem(res: request.Response, status: number): void {
  if (res.status !== status) {
    throw new Error(`expected a ${status} problem, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
}

/** The sorted, de-duplicated `errors[].path` of a 400 problem. */
export function errorPaths(res: request.Response): string[] {
  const errors = (res.body?.errors ?? []) as FieldError[];
  return [...new Set(errors.map((e) => e.path))].sort();
}

/** A 400 problem whose `errors` name exactly these fields (and each with a message). */
export function expectInvalid(res: request.Response, paths: string[]): void {
  expectProblem(res, 400);
  expect(errorPaths(res)).toEqual([...paths].sort());
  for (const e of res.body.errors as FieldError[]) expect(e.message).toEqual(expect.any(String));
}

/**
 * Calls `fn` until it returns a value other than `undefined` (or stops throwing), every
 * `intervalMs`, and fails with the last error after `timeoutMs`.
 */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? lastError.message : 'the condition never held';
      throw new Error(`not within ${timeoutMs} ms: ${why}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
