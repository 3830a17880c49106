import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Config, RateLimits } from '../common/config';
import type { Logger } from '../common/logger';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { PrismaClient } from '../prisma/client';
import { createTokenService, type Caller } from './auth';
import { createMetrics } from './metrics';
import { API_BASE, ApiDefinition, type RateLimitName } from './openapi';
import type { Bilingual } from '../common/bilingual';
import { say } from './messages';
import { errorHandler, HttpProblem, notFoundHandler } from './problem';
import { dependencyProblem } from './temporal-errors';
import { devAuthRoutes } from './routes/auth';
import { devRoutes } from './routes/dev';
import { identityRoutes } from './routes/identity';
import { citizenRoutes } from './routes/citizen';
import { dossierRoutes } from './routes/dossiers';
import { documentRoutes } from './routes/documents';
import { createDocumentSigner } from '../common/document-signing';
import { staffRoutes } from './routes/staff';
import { supervisionRoutes } from './routes/supervision';
import { operationsRoutes, type ReadinessCheck } from './routes/operations';
import { codecRoutes } from './routes/codec';
import { consoleRoutes } from './routes/console';
import { procedureDefinitionRoutes } from './routes/procedure-definitions';
import { browserLinks } from './browser-links';
import { catalogRoutes } from './routes/catalog';
import { consoleStatic, portalStatic } from './console-static';
import { cachedReferenceData, databaseReferenceData } from './services/reference-data';
import { isClosed, loadVisibleDossier } from './services/dossiers';
import { PROCEDURE_MODULES, PROCEDURES } from '../procedures';
import { periodicRefresh } from './services/published-procedures';
import { ADAPTER_SPECS } from '../procedures/adapter-specs';

export interface ApiDeps {
  config: Pick<Config, 'devMode' | 'auth' | 'payloads' | 'documents' | 'evidence'> & {
    http: Pick<Config['http'], 'publicBaseUrl' | 'corsOrigins' | 'rateLimits'>;
    temporal: Pick<Config['temporal'], 'taskQueue'>;
  };
  logger: Logger;
  prisma: PrismaClient;
  temporal: Client;
  /** Named probes for /readyz: each resolves when its dependency answers. */
  readiness: Record<string, ReadinessCheck>;
  /** The workers' payload codec: given, the API serves it to the Temporal Web UI (`/api/v1/codec`). */
  payloadCodec?: PayloadCodec;
}

const WINDOW_MS = 60_000;

/**
 * Rate limits per minute (0: none), counted in this process's memory: with several API processes
 * each counts its own (a shared store, e.g. Redis, would make them one). Filings count per citizen
 * (after the token is checked); the public routes per client IP as the socket sees it.
 */
function createRateLimiters(limits: RateLimits): Partial<Record<RateLimitName, RequestHandler>> {
  const limiter = (name: RateLimitName, limit: number, what: Bilingual, perCaller = false) =>
    limit > 0
      ? rateLimit({
          windowMs: WINDOW_MS,
          limit,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          identifier: name,
          ...(perCaller ? { keyGenerator: (req) => `caller:${req.caller?.sub ?? ''}` } : {}),
          handler: (_req, res, next) => {
            const retryAfter = Number(res.getHeader('Retry-After')) || Math.ceil(WINDOW_MS / 1000);
            next(new HttpProblem(429, 'too-many-requests', say.tooManyRequests(limit, what, retryAfter), {}, retryAfter));
          },
        })
      : undefined;
  const entries = [
    ['filings', limiter('filings', limits.filings, say.limitFilings, true)],
    ['verifications', limiter('verifications', limits.verifications, say.limitVerifications)],
    ['devTokens', limiter('devTokens', limits.devTokens, say.limitDevTokens)],
  ] as const;
  return Object.fromEntries(entries.filter(([, handler]) => handler));
}

/** The API answers JSON only: nothing may run, load or frame it. */
const API_CSP = { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] };
/**
 * The docs page (Swagger UI): its bundled scripts (the init script is a file too) and styles from
 * 'self', inline styles and data: images its CSS uses, the document fetched from 'self'.
 */
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * The HTTP API. Routes are grouped by audience; each group declares its endpoints once through
 * `ApiDefinition`, which validates input and publishes the OpenAPI document from the same schemas.
 */
export function createApp(deps: ApiDeps): Express {
  // What outlives a rebuild: the token service, the rate limits' counts, the metrics.
  const shared: Shared = {
    tokens: createTokenService(deps.config.auth),
    limiters: createRateLimiters(deps.config.http.rateLimits),
    metrics: createMetrics(deps.logger),
    signer: createDocumentSigner({ keys: deps.config.documents.signingKeys, devMode: deps.config.devMode }),
  };
  const refresh = periodicRefresh(deps.prisma, (error) => deps.logger.warn({ err: error }, 'could not read the published procedure definitions'));
  let built = { revision: PROCEDURES.revision, app: buildApp(deps, shared) };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The routes, their schemas and the OpenAPI document follow the registry: a procedure published as
  // data (here, or by another API process: `refresh`) is offered from the next request, no restart.
  app.use((req, res, next) => {
    refresh();
    if (built.revision !== PROCEDURES.revision) built = rebuilt(built);
    built.app(req, res, next);
  });
  return app;

  /** The app for the registry as it is now; should that fail, the one before goes on serving (and it is logged). */
  function rebuilt(previous: typeof built): typeof built {
    try {
      return { revision: PROCEDURES.revision, app: buildApp(deps, shared) };
    } catch (error) {
      deps.logger.error({ err: error }, 'the API could not be rebuilt for the procedures published now: it serves the ones before');
      return { ...previous, revision: PROCEDURES.revision };
    }
  }
}

interface Shared {
  tokens: ReturnType<typeof createTokenService>;
  limiters: ReturnType<typeof createRateLimiters>;
  metrics: ReturnType<typeof createMetrics>;
  signer: ReturnType<typeof createDocumentSigner>;
}

function buildApp(deps: ApiDeps, { tokens, limiters, metrics, signer }: Shared): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const api = new ApiDefinition(tokens, limiters);

  app.use(metrics.middleware);
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: API_CSP }, frameguard: { action: 'deny' } }));
  // The Web UI's codec endpoint has its own CORS policy (the UI's origins): before the API's.
  if (deps.payloadCodec) {
    const codec = { codec: deps.payloadCodec, tokens, devMode: deps.config.devMode, uiOrigins: deps.config.payloads.codecCorsOrigins };
    app.use(API_BASE, codecRoutes(codec));
  }
  // Bearer tokens, no cookies: no credentials mode. Preflights from other origins get no CORS headers.
  app.use(
    cors({
      origin: deps.config.http.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposedHeaders: ['Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'WWW-Authenticate'],
      maxAge: 600,
    }),
  );
  // JSON bodies are parsed per route (ApiDefinition), only where a route takes one.

  app.use(operationsRoutes(api, { checks: deps.readiness, metrics: metrics.registry }));
  // Public, outside the API's base: the keys at their well-known place, the page a document's QR code opens.
  app.use(documentRoutes(api, { prisma: deps.prisma, signer }));

  const v1 = express.Router();
  if (deps.config.devMode) {
    v1.use(devAuthRoutes(api, tokens));
    v1.use(devRoutes(api, { prisma: deps.prisma }));
  }
  const { prisma, temporal } = deps;
  v1.use(identityRoutes(api, { prisma }));
  const references = cachedReferenceData(databaseReferenceData(prisma));
  v1.use(citizenRoutes(api, { prisma, temporal, references, publicBaseUrl: deps.config.http.publicBaseUrl, taskQueue: deps.config.temporal.taskQueue }));
  v1.use(catalogRoutes(api, { references }));
  v1.use(dossierRoutes(api, { prisma, signer, publicBaseUrl: deps.config.http.publicBaseUrl }));
  const procedureDeps = {
    prisma,
    temporal,
    publicBaseUrl: deps.config.http.publicBaseUrl,
    taskQueue: deps.config.temporal.taskQueue,
    loadVisibleDossier: (caller: Caller, dossierId: string) => loadVisibleDossier(prisma, caller, dossierId),
    isClosed,
  };
  for (const { routes } of PROCEDURE_MODULES) if (routes) v1.use(routes(api, procedureDeps));
  v1.use(staffRoutes(api, { prisma, temporal, evidenceOrigins: deps.config.evidence.origins }));
  v1.use(supervisionRoutes(api, { prisma, temporal }));
  v1.use(consoleRoutes(api, { prisma }));
  v1.use(procedureDefinitionRoutes(api, { prisma, adapters: ADAPTER_SPECS }));
  const document = api.document();
  v1.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  api.knownEndpoint('get', `${API_BASE}/openapi.json`);
  v1.use(
    '/docs',
    helmet.contentSecurityPolicy({ useDefaults: false, directives: DOCS_CSP }),
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: `${API_BASE}/openapi.json`, validatorUrl: null } }),
  );
  // Old mail links followed in a browser go to the portal's pages; API clients get the API.
  app.use(API_BASE, browserLinks());
  app.use(API_BASE, v1);
  // The staff console and the citizens' portal (their own CSP: they run their scripts and call the API, from 'self' only).
  app.use('/console', consoleStatic());
  app.use('/portal', portalStatic());

  app.use(api.methodNotAllowed());
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger, dependencyProblem));
  return app;
}
