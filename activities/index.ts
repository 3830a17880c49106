import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../prisma/client';
import { createNotificationActivities } from './notification';
import { createPlatformActivities } from './platform';

export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Transporter;
  mailFrom: string;
}

/**
 * Every activity the worker registers, built from the clients it is handed: only the worker (and
 * tests) construct real clients, so each group can be tested against a real neighbour or a fake.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformActivities({ prisma: deps.prisma }),
    ...createNotificationActivities({ prisma: deps.prisma, mailer: deps.mailer, from: deps.mailFrom }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
