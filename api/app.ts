import express, { type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../prisma/client';
import { createTokenService } from './auth';
import { createMetrics } from './metrics';
import { API_BASE, ApiDefinition } from './openapi';
import { errorHandler, notFoundHandler } from './problem';
import { devAuthRoutes } from './routes/auth';
import { devRoutes } from './routes/dev';
import { identityRoutes } from './routes/identity';
import { citizenRoutes } from './routes/citizen';
import { dossierRoutes } from './routes/dossiers';
import { staffRoutes } from './routes/staff';
import { supervisionRoutes } from './routes/supervision';
import { operationsRoutes, type ReadinessCheck } from './routes/operations';

export interface ApiDeps {
  config: Pick<Config, 'devMode' | 'auth'> & { http: Pick<Config['http'], 'publicBaseUrl'>; temporal: Pick<Config['temporal'], 'taskQueue'> };
  logger: Logger;
  prisma: PrismaClient;
  temporal: Client;
  /** Named probes for /readyz: each resolves when its dependency answers. */
  readiness: Record<string, ReadinessCheck>;
}

const MAX_BODY = '1mb';

/**
 * The HTTP API. Routes are grouped by audience; each group declares its endpoints once through
 * `ApiDefinition`, which validates input and publishes the OpenAPI document from the same schemas.
 */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const tokens = createTokenService(deps.config.auth);
  const api = new ApiDefinition(tokens);
  const metrics = createMetrics(deps.logger);

  app.use(metrics.middleware);
  app.use(express.json({ limit: MAX_BODY, type: ['application/json', 'application/*+json'] }));

  app.use(operationsRoutes(api, { checks: deps.readiness, metrics: metrics.registry }));

  const v1 = express.Router();
  if (deps.config.devMode) {
    v1.use(devAuthRoutes(api, tokens));
    v1.use(devRoutes(api, { prisma: deps.prisma }));
  }
  const { prisma, temporal } = deps;
  v1.use(identityRoutes(api, { prisma }));
  v1.use(citizenRoutes(api, { prisma, temporal, publicBaseUrl: deps.config.http.publicBaseUrl, taskQueue: deps.config.temporal.taskQueue }));
  v1.use(dossierRoutes(api, { prisma }));
  v1.use(staffRoutes(api, { prisma, temporal }));
  v1.use(supervisionRoutes(api, { prisma, temporal }));
  const document = api.document();
  v1.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  v1.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: `${API_BASE}/openapi.json` } }));
  app.use(API_BASE, v1);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
