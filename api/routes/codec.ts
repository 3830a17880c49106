import cors from 'cors';
import express, { Router, type RequestHandler } from 'express';
import type { PayloadCodec } from '@temporalio/common';
import { allowRoles, authenticate, type TokenService } from '../auth';
import { issueMessage } from '../issue-messages';
import { say } from '../messages';
import { problems } from '../problem';
import { z } from '../zod';

/**
 * The remote codec the Temporal Web UI calls to show payloads in clear to an authorised operator
 * (https://docs.temporal.io/production-deployment/data-encryption): `POST /api/v1/codec/decode` and
 * `/encode` with `{payloads: [{metadata: {key: base64}, data: base64}]}`. It takes a bearer token of
 * role `system`; in dev mode, the embedded UI on loopback may call it without one.
 */
const WirePayload = z.object({
  metadata: z.record(z.string(), z.string()).optional(),
  data: z.string().optional(),
});
const CodecBody = z.object({ payloads: z.array(WirePayload).max(1000) });

const fromBase64 = (value: string) => new Uint8Array(Buffer.from(value, 'base64'));
const toBase64 = (value: Uint8Array | null | undefined) => Buffer.from(value ?? new Uint8Array()).toString('base64');

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function codecRoutes(deps: { codec: PayloadCodec; tokens: TokenService; devMode: boolean; uiOrigins: string[] }): Router {
  const router = Router();
  const operatorOnly: RequestHandler[] = [authenticate(deps.tokens), allowRoles('system')];
  const authorise: RequestHandler = (req, res, next) => {
    if (deps.devMode && !req.headers.authorization && LOOPBACK.has(req.socket.remoteAddress ?? '')) return next();
    const [auth, roles] = operatorOnly;
    return auth!(req, res, (error?: unknown) => (error ? next(error) : roles!(req, res, next)));
  };
  router.use('/codec', cors({ origin: deps.uiOrigins, allowedHeaders: ['content-type', 'authorization', 'x-namespace'], credentials: true }));
  router.use('/codec', express.json({ limit: '4mb' }));
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/codec/${direction}`, authorise, async (req, res) => {
      const body = CodecBody.safeParse(req.body);
      if (!body.success) {
        const first = body.error.issues[0];
        throw problems.badRequest(say.codecExpected, [{ path: 'payloads', message: first ? issueMessage(first) : say.requestInvalid }]);
      }
      const payloads = body.data.payloads.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, fromBase64(v)])),
        data: fromBase64(p.data ?? ''),
      }));
      let result;
      try {
        result = await deps.codec[direction](payloads);
      } catch (error) {
        throw Object.assign(problems.badRequest(say.codecFailed(direction, (error as Error).message)), { cause: error });
      }
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        payloads: result.map((p) => ({
          metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, toBase64(v)])),
          data: toBase64(p.data),
        })),
      });
    });
  }
  return router;
}
