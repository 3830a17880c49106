import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { PrismaClient } from '../../prisma/client';
import { planDeadlinesFrom } from '../../common/deadline-store';
import { PROCEDURES } from '../../procedures';
import { deadlineKeyOf, parseSupplement } from '../../procedures/define';
import { cancelDossierUpdate, supplementUpdate } from '../../workflows/shared/messages';
import { Awaiting } from '../../workflows/shared/types';
import { z, type ApiDefinition } from '../openapi';
import { requestLanguage } from '../language';
import { say } from '../messages';
import { issueMessage } from '../issue-messages';
import { problems, type FieldError } from '../problem';
import { vietnameseOfIssueText } from '../workflow-refusals';
import { statusWords } from '../status-words';
import { DossierId, UnitCode } from '../schemas';
import { createOnce } from '../services/idempotency';
import { isClosed, loadVisibleDossier, newDossierId, openDossier, reserveKeyAndDossier, unknownReferences } from '../services/dossiers';
import type { ReferenceData } from '../services/reference-data';
import { viaUpdate } from '../temporal-errors';

/** `POST /dossiers`: one branch per procedure of the registry as it is now, each with the procedure's own filing schema. */
function fileDossierSchema() {
  const [first, ...others] = PROCEDURES.citizenFiled.map((p) => z.object({ procedure: z.literal(p.id), unitCode: UnitCode, data: p.filing }).strict());
  return z
    .discriminatedUnion('procedure', [first!, ...others])
    .openapi('FileDossier', { description: 'A citizen files at a unit (`unitCode`): the procedure and its data.' });
}

export const Filed = z
  .object({ dossierId: z.string(), procedure: z.string(), status: z.string(), unitCode: z.string(), receivedAt: z.string(), dueAt: z.string() })
  .openapi('FiledDossier');

const CancelBody = z.object({ reason: z.string().trim().max(500).optional() }).strict().openapi('CancelDossier');
export const Cancelled = z.object({ dossierId: z.string(), status: z.string() }).openapi('CancelledDossier');
const AnswerBody = z
  .object({ data: z.record(z.string(), z.unknown()).openapi({ description: 'The filing fields that were asked for, with their new values' }) })
  .strict()
  .openapi('SupplementAnswer');
export const Answered = z.object({ dossierId: z.string(), status: z.string() }).openapi('AnsweredDossier');
const IdParams = z.object({ dossierId: DossierId });
export interface CitizenDeps {
  prisma: PrismaClient;
  temporal: Client;
  /** Units, lines of business, deadline settings and calendars, kept a short while (`reference-data.ts`). */
  references: ReferenceData;
  publicBaseUrl: string;
  taskQueue: string;
}

/**
 * A supplement's issues as FieldErrors of `data`, in both languages: the filing with the answer
 * applied is parsed again for zod's issues (a procedure document's rule says its own Vietnamese);
 * the checks of what was asked are words `workflow-refusals.ts` knows.
 */
function supplementErrors(filing: z.ZodType, merged: Record<string, unknown>, issues: ReadonlyArray<{ path: string; message: string }>): FieldError[] {
  const parsed = filing.safeParse(merged, { reportInput: true });
  const zodIssues = parsed.success ? [] : parsed.error.issues;
  return issues.map((issue) => {
    const same = zodIssues.find((z) => (z.path.map(String).join('.') || '(data)') === issue.path && z.message === issue.message);
    const message = same ? issueMessage(same) : { en: issue.message, vi: vietnameseOfIssueText(issue.message) };
    return { path: issue.path === '(data)' ? 'data' : `data.${issue.path}`, message };
  });
}

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);

/** What a citizen does: file a dossier, answer a supplement request, cancel before a decision. */
export function citizenRoutes(api: ApiDefinition, deps: CitizenDeps) {
  const router = Router();
  const { prisma } = deps;
  const FileDossier = fileDossierSchema();

  api.route(router, {
    method: 'post',
    path: '/dossiers',
    summary: 'File a dossier',
    description: 'Send an `Idempotency-Key` header: a repeat with the same key and body returns the first answer.',
    tags: ['citizen'],
    auth: ['citizen'],
    body: FileDossier,
    // Each procedure's demo filing, posted as its `example.as` citizen (GET /dev/demo names them too).
    // A definition published without an example (or with one its own schema refuses) shows none.
    examples: Object.fromEntries(
      PROCEDURES.citizenFiled
        .filter((p) => FileDossier.safeParse(p.example.body).success)
        .map((p) => [p.id, { summary: `${p.title}, filed as citizen ${p.example.as.sub}`, value: p.example.body as z.input<typeof FileDossier> }]),
    ),
    rateLimit: 'filings',
    responses: { 201: { description: 'Received', schema: Filed }, 422: { description: 'Valid, but the procedure does not allow it' } },
    handler: async ({ body, caller, req, res }) => {
      const procedure = PROCEDURES.get(body.procedure)!;
      const kind = (await deps.references.units()).get(body.unitCode);
      const unit = kind && { code: body.unitCode, kind };
      const unknown = [
        ...(unit ? [] : [{ path: 'unitCode', message: say.noUnit(body.unitCode) }]),
        ...(await unknownReferences(deps.references, procedure, body.data, 'data.')),
      ];
      if (unknown.length > 0 || !unit) throw problems.badRequest(say.unknownRegistryEntries, unknown);
      const refusal = procedure.admissible(body.data, { filerPin: caller.sub, unit });
      if (refusal) throw problems.unprocessable(refusal);
      // Planned before anything is written (from kept settings): with a key, the dossier's row goes
      // in with the key's reservation, in one statement.
      const receivedAt = new Date();
      const { dueAt } = await planDeadlinesFrom(deps.references, { procedure: deadlineKeyOf(procedure), step: 'dossier', unitCode: body.unitCode, from: receivedAt });
      // The applicant's mails go in the language they asked in (Vietnamese unless they prefer English).
      const language = requestLanguage(req);
      const opening = { procedure, unitCode: body.unitCode, applicantPin: caller.sub, ownerPins: procedure.owners(body.data, caller.sub), request: body.data, language };
      let written: { receivedAt: Date; dueAt: Date } | undefined;
      const created = await createOnce(
        prisma,
        { key: req.get('Idempotency-Key'), callerSub: caller.sub, route: 'POST /dossiers', body },
        () => newDossierId(procedure, receivedAt),
        async (dossierId, { freshId }) => ({
          status: 201,
          body: { ...(await openDossier({ ...deps, deadlines: deps.references }, { ...opening, dossierId, freshId, written })) },
        }),
        async (reservation) => {
          const reserved = await reserveKeyAndDossier(prisma, reservation, { ...opening, receivedAt, dueAt });
          if (reserved) written = { receivedAt, dueAt };
          return reserved;
        },
      );
      res.status(created.status).location(`/api/v1/dossiers/${String(created.body.dossierId)}`).json(created.body);
    },
  });

  api.route(router, {
    method: 'post',
    path: '/dossiers/:dossierId/cancel',
    summary: 'Cancel a dossier before its decision (owner only)',
    tags: ['citizen'],
    auth: ['citizen'],
    params: IdParams,
    body: CancelBody.optional(),
    responses: {
      200: { description: 'Cancelled; every open task was closed', schema: Cancelled },
      404: { description: 'No such dossier of the caller' },
      409: { description: 'Already decided or closed' },
    },
    handler: async ({ params, body, caller, res }) => {
      const { dossier, isFiler } = await loadVisibleDossier(prisma, caller, params.dossierId);
      if (!isFiler) throw problems.forbidden(say.onlyFilerMayCancel(dossier.id));
      if (isClosed(dossier.status)) throw problems.conflict(say.dossierAlready(dossier.id, statusWords(dossier.status, PROCEDURES.get(dossier.procedure)), dossier.status));
      const handle = deps.temporal.workflow.getHandle(dossier.id);
      const result = await viaUpdate(() => handle.executeUpdate(cancelDossierUpdate, { args: [{ reason: body?.reason }], updateId: 'cancel' }), handle, PROCEDURES.get(dossier.procedure));
      res.json(result);
    },
  });

  api.route(router, {
    method: 'post',
    path: '/dossiers/:dossierId/supplement',
    summary: 'Answer a supplement request (the filer)',
    description:
      'Only the fields the clerk asked for (`awaiting.items` of the dossier) may change; the filing with them applied must be ' +
      'valid as at filing. The review clock restarts from the answer.',
    tags: ['citizen'],
    auth: ['citizen'],
    params: IdParams,
    body: AnswerBody,
    responses: {
      200: { description: 'Answer recorded; the dossier is reviewed again', schema: Answered },
      404: { description: 'No such dossier of the caller' },
      409: { description: 'The dossier is not waiting for a supplement (none asked, already answered, lapsed or closed)' },
      422: { description: 'The procedure takes no supplement' },
    },
    handler: async ({ params, body, caller, res }) => {
      const { dossier, isFiler } = await loadVisibleDossier(prisma, caller, params.dossierId);
      const procedure = PROCEDURES.get(dossier.procedure);
      if (!procedure?.answers.includes('supplement')) {
        throw problems.unprocessable(say.takesNoSupplement(dossier.id, dossier.procedure));
      }
      if (!isFiler) throw problems.forbidden(say.onlyFilerMayAnswer(dossier.id));
      if (isClosed(dossier.status)) throw problems.conflict(say.dossierAlready(dossier.id, statusWords(dossier.status, PROCEDURES.get(dossier.procedure)), dossier.status));
      const awaiting = dossier.awaiting === null ? null : Awaiting.parse(dossier.awaiting);
      if (awaiting?.kind !== 'supplement') throw problems.conflict(say.notWaitingForSupplement(dossier.id));
      const requested = awaiting.items.map((i) => i.field);
      const parsed = parseSupplement(procedure.filing, dossier.data as Record<string, unknown>, requested, body.data);
      if (!parsed.ok) {
        const merged = { ...(dossier.data as Record<string, unknown>), ...body.data };
        throw problems.badRequest(say.supplementInvalid, supplementErrors(procedure.filing, merged, parsed.issues));
      }
      const unknown = await unknownReferences(deps.references, procedure, parsed.changes, 'data.');
      if (unknown.length > 0) throw problems.badRequest(say.supplementUnknownEntries, unknown);
      const answer = { data: parsed.changes, answeredBy: caller.sub };
      const handle = deps.temporal.workflow.getHandle(dossier.id);
      // The same answer retried is the same Update; another answer to the same round is refused (409).
      const updateId = `supplement/${awaiting.round}/${hashOf(answer)}`;
      res.json(await viaUpdate(() => handle.executeUpdate(supplementUpdate, { args: [answer], updateId }), handle, procedure));
    },
  });

  return router;
}
