import { ApplicationFailure } from '@temporalio/common';
import { civilStatusExtractOf } from '../../procedures/civil-status-extract/activities';
import type { Template } from './index';

/**
 * The extract of a civil-status record (template `civil-status-extract`): the record's content as
 * the registry holds it, of kind `civil-status-extract/<KIND>`, exactly as the procedure written in
 * TypeScript issued it. The issue step's field `recordId` names the record.
 */
export const civilStatusExtractTemplate: Template = async ({ prisma, fields, procedure }) => {
  const recordId = fields.recordId;
  if (typeof recordId !== 'string' || recordId === '') {
    throw ApplicationFailure.nonRetryable(`${procedure}: the civil-status-extract template needs the field recordId, got ${JSON.stringify(recordId ?? null)}`, 'TemplateInput');
  }
  return civilStatusExtractOf(prisma, recordId);
};
