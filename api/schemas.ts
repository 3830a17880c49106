import { PROCEDURES } from '../procedures';
import { Awaiting } from '../workflows/shared/types';
import { bilingual } from './translations';
import { z } from './zod';

/** Schemas shared by several route groups. Every one is what the OpenAPI document publishes. */
export { IsoDate, Pin, UnitCode } from '../common/schemas';
export const TASK_STATUSES = ['open', 'claimed', 'done', 'cancelled'] as const;
export { DossierId, TaskId } from './ids';
// Checked against the registry when a request comes, not when this module loads: procedures published
// as data join the registry at run time.
export const Procedure = z
  .string()
  .refine((id) => PROCEDURES.get(id) !== undefined, { message: bilingual({ vi: 'phải là mã của một thủ tục (GET /procedures liệt kê các thủ tục)', en: 'must be the id of a procedure (GET /procedures lists them)' }) })
  .openapi({ description: "A procedure's id (`GET /procedures` lists them)", example: 'civil-status-extract' });
export const DossierStatus = z
  .string()
  .refine((status) => PROCEDURES.statuses.includes(status), {
    message: bilingual({
      vi: 'phải là một trạng thái hồ sơ của một thủ tục (GET /procedures nêu trạng thái của từng thủ tục)',
      en: "must be a dossier status of a procedure (each procedure's statuses in GET /procedures)",
    }),
  })
  .openapi({ description: "A dossier's status: the shared lifecycle's (received, awaiting-supplement, refused, cancelled, lapsed…) or one of its procedure's", example: 'received' });
export const TaskStatus = z.enum(TASK_STATUSES);

export const HistoryEntry = z.object({ at: z.string(), step: z.string(), actor: z.string(), outcome: z.string(), note: z.string().nullable() });

export const DossierSummary = z
  .object({
    dossierId: z.string(),
    procedure: Procedure,
    status: DossierStatus,
    unitCode: z.string(),
    receivedAt: z.string(),
    dueAt: z.string(),
    overdue: z.boolean(),
    currentStep: z.string(),
  })
  .openapi('DossierSummary');

export const DossierDetail = DossierSummary.extend({
  history: z.array(HistoryEntry),
  result: z.record(z.string(), z.unknown()).nullable(),
  awaiting: Awaiting.nullable().meta({ description: 'What the dossier waits for from the applicant (a supplement: which fields, why, by when)' }),
  openTasks: z.array(z.object({ taskId: z.string(), step: z.string(), unitCode: z.string(), dueAt: z.string(), overdue: z.boolean() })),
}).openapi('Dossier');

export const TaskView = z
  .object({
    taskId: z.string(),
    dossierId: z.string(),
    procedure: Procedure,
    step: z.string(),
    unitCode: z.string(),
    status: TaskStatus,
    assignee: z.string().nullable(),
    createdAt: z.string(),
    dueAt: z.string(),
    overdue: z.boolean(),
    outcomes: z.array(z.string()),
    context: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description:
          'What the person deciding should know (e.g. name conflicts). A step of a procedure published as data lists what it shows ' +
          '(`shows`): earlier results under `results`, the filing\'s fields under `filing`, by path',
      }),
  })
  .openapi('Task');

const Words = z.object({ vi: z.string(), en: z.string() });
const ShownLine = z.object({ key: z.string(), label: Words, text: Words });
export const ShownField = z
  .object({
    key: z.string(),
    label: Words,
    text: Words.optional(),
    items: z.array(z.array(ShownLine)).optional().openapi({ description: 'Several things of one kind (founders, name conflicts, a record): each a list of labelled lines' }),
    images: z
      .array(z.object({ href: z.string().nullable().openapi({ description: 'The image through the API (`GET /tasks/{taskId}/evidence/{index}`); null: posted without an address' }), sha256: z.string() }))
      .optional(),
  })
  .openapi('TaskShownField', { description: 'A labelled value the person deciding reads, in Vietnamese and English' });

export const TaskDetail = TaskView.extend({
  shown: z.array(ShownField).openapi({
    description:
      "What the person deciding sees, labelled: the filing's fields and earlier results the step shows, the registry data it rests on " +
      '(a record, the applicant as the population data knows them, the evidence of a violation). Identification numbers show their last 4 digits only',
  }),
}).openapi('TaskDetail');
