import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { SignJWT } from 'jose';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, for the browser tests: launched headless with its own
 * profile, every Content Security Policy violation recorded; the API it talks to, and the test's own
 * calls to that API. The checks made on each page are in page-checks.ts.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** What the CSP refused, as the page reported it (`securitypolicyviolation`) or the console said. */
  cspViolations: string[];
  close(): Promise<void>;
}

/** Debian's Chromium must be there: the browser tests say how to get it rather than fail obscurely. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
}

export async function launchBrowser(options: { viewport: { width: number; height: number } }): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'browser-test-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: options.viewport,
    // The browser's own zone is not the city's: pages must show Asia/Ho_Chi_Minh anyway.
    timezoneId: 'UTC',
    locale: 'en-US',
    acceptDownloads: true,
  });
  const cspViolations: string[] = [];
  // Through the DevTools protocol, not a script tag: the page's CSP does not govern it.
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (/CSP violation|Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
  });
  return {
    context,
    page,
    cspViolations,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** An API (the test system's) listening on a free local port, and its origin. */
export async function serve(app: Express): Promise<{ server: Server; base: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`the API listens at ${address}, not a TCP port`);
  return { server, base: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface Claims {
  sub: string;
  role: string;
  unit?: string;
}

/**
 * The test's own calls to the API (setting up what the page then shows), as whoever `as` names, with
 * dev tokens: one per identity, since dev tokens are rate-limited per client and the tests poll.
 * `base` is read at each call (the server starts in beforeAll).
 */
export function testApi(base: () => string) {
  const tokens = new Map<string, Promise<string>>();
  function token(claims: Claims): Promise<string> {
    const key = JSON.stringify(claims);
    const known = tokens.get(key);
    if (known) return known;
    const issued = fetch(`${base()}/api/v1/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: key }).then(async (res) => {
      if (!res.ok) throw new Error(`dev-token for ${claims.sub}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    });
    tokens.set(key, issued);
    return issued;
  }
  async function api<T>(method: 'GET' | 'POST', url: string, as: Claims | null, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (as) headers.authorization = `Bearer ${await token(as)}`;
    if (method === 'POST') headers['idempotency-key'] = `browser-test-${randomBytes(8).toString('hex')}`;
    const res = await fetch(`${base()}/api/v1${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  return { token, api };
}

/** A token as the identity provider issues it in production (signed with the API's secret), for an hour. */
export function identityProviderToken(secret: string | undefined, subject: string, claims: Omit<Claims, 'sub'>): Promise<string> {
  if (!secret) throw new Error('the API has no token secret to sign with');
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}
