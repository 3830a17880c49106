import { ApplicationFailure } from '@temporalio/common';
import type { Prisma, PrismaClient } from '../../prisma/client';
import { civilStatusExtractOf } from '../../procedures/civil-status-extract/activities';

/**
 * The extract of a civil-status record (template `civil-status-extract`): the record's content as
 * the registry holds it, of kind `civil-status-extract/<KIND>`, exactly as the procedure written in
 * TypeScript issued it. The issue step's field `recordId` names the record. (A `Template` of
 * ./index.ts, which imports it: its type is stated here, as much of it as it reads.)
 */
export async function civilStatusExtractTemplate({ prisma, fields, procedure }: {
  prisma: PrismaClient;
  procedure: string;
  fields: Record<string, unknown>;
}): Promise<{ kind: string; content: Prisma.InputJsonValue }> {
  const recordId = fields.recordId;
  if (typeof recordId !== 'string' || recordId === '') {
    throw ApplicationFailure.nonRetryable(`${procedure}: the civil-status-extract template needs the field recordId, got ${JSON.stringify(recordId ?? null)}`, 'TemplateInput');
  }
  return civilStatusExtractOf(prisma, recordId);
}
