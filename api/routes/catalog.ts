import { Router } from 'express';
import { z as plainZod } from 'zod';
import { PROCEDURES } from '../../procedures';
import { ANSWER_KINDS, deadlineKeyOf, type ProcedureDefinition } from '../../procedures/define';
import { z, type ApiDefinition } from '../openapi';
import type { ReferenceData } from '../services/reference-data';

/**
 * The procedures as the citizens' portal shows them before and while filing: each procedure's
 * name, legal basis, where it is filed, its deadline and the JSON Schema of its filing (the one
 * `POST /dossiers` validates with), with the names of its fields, statuses and steps per language.
 */

const Text = z.object({ vi: z.string(), en: z.string() });

export const CitizenCatalog = z
  .array(
    z.object({
      id: z.string(),
      title: Text,
      legalBasis: Text.optional(),
      openedBy: z.enum(['citizen', 'administration']).openapi({ description: 'Filed by citizens (`POST /dossiers`), or opened by the administration (traffic fines): its owners only follow and answer it' }),
      filedAt: z.array(z.string()).openapi({ description: 'The kinds of unit (`Unit.kind`) it is filed at; empty: any unit' }),
      deadline: z
        .object({ mode: z.enum(['same-day-cutoff', 'working-days', 'calendar-days']), days: z.number().int() })
        .openapi({ description: "The dossier's deadline from receipt: the same working day (before the cut-off), or N working or calendar days" }),
      answers: z.array(z.enum(ANSWER_KINDS)).openapi({ description: 'What the applicant may be asked for while it runs' }),
      labels: z
        .object({ vi: z.record(z.string(), z.string()), en: z.record(z.string(), z.string()) })
        .openapi({ description: 'What people read, per language, by id: the procedure, its steps, statuses, outcomes and filing fields' }),
      filing: z
        .record(z.string(), z.unknown())
        .optional()
        .openapi({ description: "JSON Schema (draft 7) of `data` in `POST /dossiers`, from the procedure's definition (citizen-filed procedures only)" }),
    }),
  )
  .openapi('CitizenCatalog');
type CatalogEntry = z.infer<typeof CitizenCatalog>[number];

async function entryOf(procedure: ProcedureDefinition, references: ReferenceData): Promise<CatalogEntry> {
  // The stored setting wins over the definition's default, as when a dossier is filed.
  const policy = (await references.policy(deadlineKeyOf(procedure), 'dossier')) ?? procedure.deadlines.dossier;
  const { labels, about } = procedure;
  return {
    id: procedure.id,
    title: { vi: labels.vi[procedure.id] ?? procedure.title, en: labels.en[procedure.id] ?? procedure.title },
    ...(about?.legalBasis ? { legalBasis: about.legalBasis } : {}),
    filedAt: [...(about?.filedAt ?? [])],
    deadline: { mode: policy.mode, days: policy.workingDays },
    openedBy: procedure.openedBy ?? 'citizen',
    answers: [...procedure.answers],
    labels,
    // What a client may send (`input`), in draft 7, which form libraries (and Ajv's default) take.
    ...((procedure.openedBy ?? 'citizen') === 'citizen'
      ? { filing: plainZod.toJSONSchema(procedure.filing, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) }
      : {}),
  };
}

export function catalogRoutes(api: ApiDefinition, deps: { references: ReferenceData }) {
  const router = Router();
  api.route(router, {
    method: 'get',
    path: '/catalog',
    summary: 'The procedures, with what filing each needs (public)',
    description:
      "Each procedure's name and legal basis in Vietnamese and English, the kinds of unit it is filed at (`GET /units` names " +
      'them), its deadline and, for those citizens file, the JSON Schema of its filing. Procedures opened by the administration ' +
      '(traffic fines) are listed too, without a filing: their owners follow and answer them.',
    tags: ['citizen'],
    auth: 'public',
    responses: { 200: { description: 'In the order the city lists them', schema: CitizenCatalog } },
    handler: async ({ res }) => {
      res.json(await Promise.all(PROCEDURES.all.map((p) => entryOf(p, deps.references))));
    },
  });
  return router;
}
