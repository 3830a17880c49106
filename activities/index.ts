import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../prisma/client';
import { createCalendarActivities } from './calendar';
import { createCivilStatusRegistryActivities } from './civil-status-registry';
import { createDocumentActivities } from './documents';
import { createDossierActivities } from './dossiers';
import { createNotificationActivities } from './notification';
import { createPlatformActivities } from './platform';
import { createPopulationActivities } from './population';

export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Transporter;
  mailFrom: string;
}

/**
 * Every activity the worker registers, grouped by the system each group talks to and built from
 * the clients it is handed: only the worker (and tests) construct real clients.
 */
export function createActivities(deps: ActivityDeps) {
  const { prisma } = deps;
  return {
    ...createPlatformActivities({ prisma }),
    ...createNotificationActivities({ prisma, mailer: deps.mailer, from: deps.mailFrom }),
    ...createDossierActivities({ prisma }),
    ...createCalendarActivities({ prisma }),
    ...createPopulationActivities({ prisma }),
    ...createCivilStatusRegistryActivities({ prisma }),
    ...createDocumentActivities({ prisma }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
