import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../prisma/client';
import type { ReadinessCheck } from '../api/routes/operations';

/** What /readyz probes: each check resolves only when its dependency really answered. */
export function readinessChecks(deps: { temporal: Client; prisma: PrismaClient; mailer: Transporter }): Record<string, ReadinessCheck> {
  return {
    temporal: () => deps.temporal.connection.workflowService.getSystemInfo({}),
    database: () => deps.prisma.$queryRaw`SELECT 1`,
    smtp: () => deps.mailer.verify(),
  };
}
