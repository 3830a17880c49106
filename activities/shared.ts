import type { Transporter } from 'nodemailer';
import type { Bilingual } from '../common/bilingual';
import { SYSTEM_NAMES } from '../common/system-names';
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

/**
 * The system each shared activity talks to, in words of each language: supervision names it in a
 * stuck dossier's reason (the English words are those clients and suites already read).
 */
export const SHARED_ACTIVITY_SYSTEMS: { [K in keyof SharedActivities]: Bilingual } = {
  recordSystemCheck: SYSTEM_NAMES.engineDatabase,
  sendEmail: SYSTEM_NAMES.mail,
  notifyApplicant: SYSTEM_NAMES.mail,
  notifyUnitStaff: SYSTEM_NAMES.mail,
  notifyTaskHolder: SYSTEM_NAMES.mail,
  planDeadlines: SYSTEM_NAMES.engineDatabase,
  updateDossier: SYSTEM_NAMES.engineDatabase,
  openTask: SYSTEM_NAMES.engineDatabase,
  openPlannedTask: SYSTEM_NAMES.engineDatabase,
  recordTaskCompletion: SYSTEM_NAMES.engineDatabase,
  cancelOpenTasks: SYSTEM_NAMES.engineDatabase,
  markTaskReminded: SYSTEM_NAMES.engineDatabase,
  markTaskEscalated: SYSTEM_NAMES.engineDatabase,
  verifyApplicant: SYSTEM_NAMES.population,
  // Each adapter names its own system (procedures/adapter-specs.ts `adapterSystem`); together they are the registries.
  runAdapter: SYSTEM_NAMES.registries,
  issueDefinedDocument: SYSTEM_NAMES.documentIssuing,
  unitAbove: SYSTEM_NAMES.engineDatabase,
};
