import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../prisma/client';
import { createProcedureActivities } from '../procedures/activities';
import { createCalendarActivities } from './calendar';
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
 * The shared machinery's activities, grouped by the system each group talks to and built from the
 * clients it is handed: only the worker (and tests) construct real clients.
 */
export function createSharedActivities(deps: ActivityDeps) {
  const { prisma } = deps;
  return {
    ...createPlatformActivities({ prisma }),
    ...createNotificationActivities({ prisma, mailer: deps.mailer, from: deps.mailFrom }),
    ...createDossierActivities({ prisma }),
    ...createCalendarActivities({ prisma }),
    ...createPopulationActivities({ prisma }),
  };
}

export type SharedActivities = ReturnType<typeof createSharedActivities>;

/** Every activity the worker registers: the shared ones and each procedure's own. */
export function createActivities(deps: ActivityDeps) {
  return { ...createSharedActivities(deps), ...createProcedureActivities(deps) };
}
