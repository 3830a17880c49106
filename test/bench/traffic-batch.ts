/**
 * Traffic fines in `npm run bench`: one batch of 1,000 evidence items posted to a running system
 * (`POST /violations/batch` as a camera gateway), timed until the answer, then until every one of
 * its cases waits for an officer (status `awaiting-confirmation`, read through `GET /dossiers` as
 * `system`). From these, how long the city's cases of a year (111,473) would take at that pace.
 * Self-contained: give it the API's base URL (`http://127.0.0.1:3000/api/v1`).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface Figure {
  figure: string;
  value: number;
  unit: string;
}

const BATCH = 1000;
const CASES_PER_YEAR = 111_473;
const WAIT_LIMIT_MS = 15 * 60_000;
const POLL_MS = 250;
const PAGE = 500;
/** Seeded plates (some owners live in another ward), so the cases look like the city's. */
const PLATES = ['51F-123.45', '59X3-456.78', '51H-246.80', '51K-678.90', '59C1-789.01', '59T2-135.79', '59P1-987.65', '61C-234.56', '72A-112.23'];
const CODES = ['RED-LIGHT-CAR', 'SPEED-10-20-CAR', 'WRONG-LANE-MOTORBIKE', 'NO-HELMET-MOTORBIKE'];

async function call(url: string, init: RequestInit & { token?: string } = {}): Promise<unknown> {
  const { token, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${rest.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** A camera's day: distinct images, captures spread over the last hours. */
function evidenceBatch(): unknown[] {
  const now = Date.now();
  return Array.from({ length: BATCH }, (_, i) => ({
    source: `camera:BENCH-${String(i % 40).padStart(2, '0')}`,
    capturedAt: new Date(now - 60_000 - i * 7_000).toISOString(),
    location: { unitCode: 'W-BEN-THANH', description: `Giao lộ Lê Lợi – Nguyễn Huệ, làn ${(i % 4) + 1}` },
    plateNumber: PLATES[i % PLATES.length],
    violationCode: CODES[i % CODES.length],
    evidence: [{ sha256: randomBytes(32).toString('hex') }, { sha256: randomBytes(32).toString('hex') }],
  }));
}

/** How many of `ids` are at `status` now, page by page. */
async function countAt(api: string, token: string, ids: Set<string>, status: string): Promise<number> {
  let found = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = (await call(`${api}/dossiers?procedure=traffic-fine&status=${status}&limit=${PAGE}&offset=${offset}`, { token })) as Array<{ dossierId: string }>;
    found += page.filter((d) => ids.has(d.dossierId)).length;
    if (page.length < PAGE) return found;
  }
}

export async function measureTrafficBatch(api: string): Promise<Figure[]> {
  const { token } = (await call(`${api}/auth/dev-token`, {
    method: 'POST',
    body: JSON.stringify({ sub: 'camera-gateway.hcmc-pc08', role: 'system' }),
  })) as { token: string };
  const items = evidenceBatch();

  const postedAt = performance.now();
  const result = (await call(`${api}/violations/batch`, { method: 'POST', token, body: JSON.stringify({ items }) })) as {
    created: number;
    items: Array<{ dossierId?: string }>;
  };
  const acceptMs = performance.now() - postedAt;
  if (result.created !== BATCH) throw new Error(`the batch created ${result.created} cases, not ${BATCH}`);
  const ids = new Set(result.items.map((i) => i.dossierId!));

  let waiting = 0;
  while (waiting < BATCH) {
    if (performance.now() - postedAt > WAIT_LIMIT_MS) throw new Error(`only ${waiting} of ${BATCH} cases wait for an officer after ${WAIT_LIMIT_MS / 60_000} min`);
    await new Promise((r) => setTimeout(r, POLL_MS));
    waiting = await countAt(api, token, ids, 'awaiting-confirmation');
  }
  const allWaitingMs = performance.now() - postedAt;

  const perYear = CASES_PER_YEAR / BATCH;
  const round = (n: number, digits = 1) => Number(n.toFixed(digits));
  return [
    { figure: 'traffic batch of 1,000: accepted (POST /violations/batch answered)', value: Math.round(acceptMs), unit: 'ms' },
    { figure: 'traffic batch of 1,000: every case waits for an officer', value: Math.round(allWaitingMs), unit: 'ms' },
    { figure: 'traffic evidence accepted per second', value: round(BATCH / (acceptMs / 1000)), unit: 'cases/s' },
    { figure: `a year of cases (${CASES_PER_YEAR}) accepted, at this pace`, value: round((acceptMs * perYear) / 60_000), unit: 'min' },
    { figure: `a year of cases (${CASES_PER_YEAR}) waiting for an officer, at this pace`, value: round((allWaitingMs * perYear) / 60_000), unit: 'min' },
  ];
}
