import { Router } from 'express';
import type { Registry } from 'prom-client';
import { z, type ApiDefinition } from '../openapi';

export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 3000;
const RETRY_AFTER_S = 5;

async function runCheck(check: ReadinessCheck): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

const Health = z.object({ status: z.literal('ok') }).openapi('Health');
const Readiness = z
  .object({
    status: z.enum(['ready', 'not-ready']),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
  })
  .openapi('Readiness');

/** Liveness, readiness (Temporal, database, SMTP) and Prometheus metrics, outside /api/v1. */
export function operationsRoutes(api: ApiDefinition, deps: { checks: Record<string, ReadinessCheck>; metrics: Registry }) {
  const router = Router();
  api.route(router, {
    method: 'get',
    path: '/healthz',
    absolute: true,
    summary: 'The process is up',
    tags: ['operations'],
    auth: 'public',
    dependencies: false,
    responses: { 200: { description: 'Up', schema: Health } },
    handler: ({ res }) => res.json({ status: 'ok' }),
  });
  api.route(router, {
    method: 'get',
    path: '/readyz',
    absolute: true,
    summary: 'Temporal, the database and SMTP are reachable',
    tags: ['operations'],
    auth: 'public',
    responses: {
      200: { description: 'Every dependency answered', schema: Readiness },
      503: { description: 'At least one dependency did not answer', schema: Readiness },
    },
    handler: async ({ res }) => {
      const names = Object.keys(deps.checks);
      const results = await Promise.all(names.map((name) => runCheck(deps.checks[name]!)));
      const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
      const ready = results.every((r) => r.ok);
      if (!ready) res.setHeader('Retry-After', String(RETRY_AFTER_S));
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks });
    },
  });
  api.route(router, {
    method: 'get',
    path: '/metrics',
    absolute: true,
    summary: 'Prometheus metrics',
    tags: ['operations'],
    auth: 'public',
    dependencies: false,
    responses: { 200: { description: 'Prometheus text exposition format', schema: z.string(), contentType: 'text/plain' } },
    handler: async ({ res }) => {
      res.type(deps.metrics.contentType).send(await deps.metrics.metrics());
    },
  });
  return router;
}
