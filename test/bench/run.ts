/**
 * `npm run bench`: the embedded system (`system/start.ts`, PGlite, Temporal dev server, loopback
 * SMTP) started in a temporary data directory, then
 *   1. latency, per procedure (its example from GET /dev/demo): dossiers filed one at a time; time
 *      from the 201 to the task in GET /tasks;
 *   2. traffic fines (traffic-batch.ts): a batch of 1,000 evidence items, until accepted and until
 *      every case waits for an officer, and what that makes for a year of the city's cases;
 *   3. throughput: POST /dossiers (the civil-status example) from CONCURRENCY clients at once for DURATION_S seconds.
 * Prints one JSON line of results. Bounded in count and time; loopback only. With
 * BENCH_DATABASE_URL (an empty database) the same runs on a real PostgreSQL instead of PGlite.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { embeddedSystemEnv } from '../support/embedded-system';
import { measureTrafficBatch } from './traffic-batch';

const ROOT = path.join(__dirname, '../..');
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const MAX_REQUESTS = 5_000;


interface Example {
  as: { sub: string; role: string };
  /** Where the body goes (`/dossiers` when absent). */
  path?: string;
  body: unknown;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const { dataDir, ports, env } = await embeddedSystemEnv('procedures-bench-');
  const port = ports.api;
  const child = spawn(process.execPath, ['--import', 'tsx', 'system/start.ts'], {
    cwd: ROOT,
    env: {
      ...env,
      LOG_LEVEL: 'warn',
      // The throughput run files as one citizen, far above the per-citizen filing limit.
      RATE_LIMIT_FILINGS: '0',
      // BENCH_DATABASE_URL: measure on a real PostgreSQL (an empty database) instead of PGlite.
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const api = `http://127.0.0.1:${port}/api/v1`;
  try {
    await waitReady(`http://127.0.0.1:${port}/readyz`);
    // A supervisor of the city sees every unit's inbox.
    const supervisor = await devToken(api, { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' });
    const demo = (await (await fetch(`${api}/dev/demo`)).json()) as { examples: Record<string, Example> };
    const tokens = new Map<string, string>();
    const fileExample = async (example: Example) => {
      if (!tokens.has(example.as.sub)) tokens.set(example.as.sub, await devToken(api, example.as));
      return fetch(`${api}/dossiers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(example.as.sub)}`, 'content-type': 'application/json' },
        body: JSON.stringify(example.body),
      });
    };

    const filingToTaskMs: Record<string, { samples: number; p50: number; p95: number; max: number }> = {};
    // Filings only: the traffic examples go to /violations (measured by traffic-batch.ts).
    for (const [procedure, example] of Object.entries(demo.examples).filter(([, e]) => (e.path ?? '/dossiers') === '/dossiers')) {
      const latencies: number[] = [];
      for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
        const res = await fileExample(example);
        const filedAt = performance.now();
        const { dossierId } = (await res.json()) as { dossierId: string };
        for (;;) {
          const tasks = (await (await fetch(`${api}/tasks`, { headers: { authorization: `Bearer ${supervisor}` } })).json()) as Array<{ dossierId: string }>;
          if (tasks.some((t) => t.dossierId === dossierId)) break;
          if (performance.now() - filedAt > 60_000) throw new Error(`task of ${dossierId} did not appear within 60 s`);
          await new Promise((r) => setTimeout(r, 10));
        }
        latencies.push(performance.now() - filedAt);
      }
      latencies.sort((a, b) => a - b);
      filingToTaskMs[procedure] = {
        samples: latencies.length,
        p50: Math.round(percentile(latencies, 50)),
        p95: Math.round(percentile(latencies, 95)),
        max: Math.round(latencies.at(-1) ?? NaN),
      };
    }
    // Before the throughput run, whose dossiers would keep the worker busy.
    const trafficBatch = await measureTrafficBatch(api);
    const file = () => fileExample(demo.examples['civil-status-extract']!);

    let accepted = 0;
    let failed = 0;
    const failures: Record<string, string> = {};
    const start = performance.now();
    const deadline = start + DURATION_S * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline && accepted + failed < MAX_REQUESTS) {
          const res = await file();
          const text = await res.text();
          if (res.status === 201) accepted += 1;
          else {
            failed += 1;
            failures[res.status] ??= text.slice(0, 300);
          }
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    process.stdout.write(
      `${JSON.stringify({
        database: process.env.BENCH_DATABASE_URL ? 'postgresql' : 'pglite',
        filingToTaskMs,
        trafficBatch,
        postDossiers: { concurrency: CONCURRENCY, seconds: Number(elapsed.toFixed(1)), accepted, failed, perSecond: Number((accepted / elapsed).toFixed(1)), failures },
      })}\n`,
    );
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the system did not become ready within 120 s');
}

async function devToken(api: string, claims: Record<string, string>): Promise<string> {
  const res = await fetch(`${api}/auth/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  return ((await res.json()) as { token: string }).token;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
