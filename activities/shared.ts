import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../prisma/client';
import { createAdapterActivities } from './adapters';
import { createCalendarActivities } from './calendar';
import { createDossierActivities } from './dossiers';
import { createNotificationActivities } from './notification';
import { createPlatformActivities } from './platform';
import { createPopulationActivities } from './population';

/** The clients every activity factory may be handed: only the worker (and tests) construct real ones. */
export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Transporter;
  mailFrom: string;
}

/**
 * The shared machinery's activities, grouped by the system each group talks to and built from the
 * clients it is handed.
 */
export function createSharedActivities(deps: ActivityDeps) {
  const { prisma } = deps;
  return {
    ...createPlatformActivities({ prisma }),
    ...createNotificationActivities({ prisma, mailer: deps.mailer, from: deps.mailFrom }),
    ...createDossierActivities({ prisma }),
    ...createCalendarActivities({ prisma }),
    ...createPopulationActivities({ prisma }),
    // Procedures published as data: their adapters, issued documents and the unit tree.
    ...createAdapterActivities({ prisma }),
  };
}

export type SharedActivities = ReturnType<typeof createSharedActivities>;

/** The system each shared activity talks to, in words: supervision names it in a stuck dossier's reason. */
export const SHARED_ACTIVITY_SYSTEMS: { [K in keyof SharedActivities]: string } = {
  recordSystemCheck: "the engine's database",
  sendEmail: 'mail (SMTP)',
  notifyApplicant: 'mail (SMTP)',
  notifyUnitStaff: 'mail (SMTP)',
  notifyTaskHolder: 'mail (SMTP)',
  planDeadlines: "the engine's database",
  updateDossier: "the engine's database",
  openTask: "the engine's database",
  recordTaskCompletion: "the engine's database",
  cancelOpenTasks: "the engine's database",
  markTaskReminded: "the engine's database",
  markTaskEscalated: "the engine's database",
  verifyApplicant: 'the population data',
  // Each adapter names its own system (activities/adapters.ts `ADAPTERS`); together they are the registries.
  runAdapter: 'the registries (population data, civil-status registry)',
  issueDefinedDocument: 'document issuing',
  unitAbove: "the engine's database",
};
