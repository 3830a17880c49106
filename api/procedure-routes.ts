import type { Client } from '@temporalio/client';
import type { Router } from 'express';
import type { Dossier, PrismaClient } from '../prisma/client';
import type { Caller } from './auth';
import type { ApiDefinition } from './openapi';

/**
 * What the API hands a procedure's own HTTP routes (`procedures/<id>/routes.ts`): its clients and the
 * dossier rules every route shares. Handed in rather than imported, so a procedure's routes depend on
 * the API's toolkit only and the API's services (which read the registry) never loop back to them.
 */
export interface ProcedureRouteDeps {
  prisma: PrismaClient;
  temporal: Client;
  publicBaseUrl: string;
  taskQueue: string;
  /** The dossier when the caller may see it; otherwise a 404 problem is thrown, as if it did not exist. */
  loadVisibleDossier(caller: Caller, dossierId: string): Promise<{ dossier: Dossier }>;
  /** Whether a status closes a dossier (any procedure's). */
  isClosed(status: string): boolean;
}

export type ProcedureRoutes = (api: ApiDefinition, deps: ProcedureRouteDeps) => Router;

/** A dossier as a filing answers it. */
export interface FiledDossier {
  dossierId: string;
  procedure: string;
  status: string;
  unitCode: string;
  receivedAt: string;
  dueAt: string;
}
