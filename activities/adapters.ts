import { ApplicationFailure } from '@temporalio/common';
import { apply, truthy, type RulesLogic } from 'json-logic-js';
import { localDateOf } from '../common/calendar';
import type { Prisma, PrismaClient } from '../prisma/client';
import { createActivities as createCivilStatusActivities, type RecordQuery } from '../procedures/civil-status-extract/activities';
import { CIVIL_STATUS_KINDS, type CivilStatusKind } from '../procedures/civil-status-extract/definition';
import { ADAPTER_SPECS, type AdapterName } from '../procedures/adapter-specs';
import { valueAt } from '../procedures/defined';
import type { AdapterSpec, ProcedureDocument, Text } from '../procedures/document';
import { checkBusinessName, registerBusiness } from './adapters-business';
import { CIVIL_STATUS_ADAPTERS } from './adapters-civil-status';
import { issueDocumentOnce, type IssuedDocumentRef } from './documents';
import { createPopulationActivities } from './population';
import { templateNamed } from './templates';

/**
 * The adapters of procedures published as data (procedures/document.ts): a `check` step names one,
 * the interpreter workflow (workflows/defined-procedure.ts) calls it through the `runAdapter`
 * activity, and its outcome picks the next step. Each adapter reads the dossier's filing from its
 * row (`Dossier.data`) and evaluates the step's input expressions (JSON Logic over
 * `{filing, results, applicant: {pin}}`), so no personal data travels through Temporal; what it
 * returns goes into the workflow's history, so it is ids, outcomes, unit codes and counts only.
 */

/** A person the document declares (`filing.persons`): paths into the filing. */
export type PersonRef = ProcedureDocument['filing']['persons'][number];

/** Results of earlier steps, as the workflow keeps them: `{outcome, ...result}` per step id. */
export type StepResults = Record<string, Record<string, unknown>>;

/** What the workflow asks of an adapter: the step's input expressions, evaluated here. */
export interface AdapterCall {
  dossierId: string;
  procedure: string;
  step: string;
  adapter: string;
  /** The step's input: JSON Logic over `{filing, results, applicant}`. */
  input: Record<string, unknown>;
  results: StepResults;
  /** The document's declared persons (`population.verify-persons` reads them). */
  persons: PersonRef[];
}

/** An adapter's answer: its outcome, and data without personal data (ids, outcomes, unit codes, counts). */
export interface AdapterOutcome {
  outcome: string;
  result: Record<string, unknown>;
}

/** The dossier as an adapter sees it: its filing as stored (amended by supplements) and its filer. */
export interface AdapterDossier {
  id: string;
  unitCode: string;
  applicantPin: string | null;
  filing: Record<string, unknown>;
}

export interface AdapterContext {
  prisma: PrismaClient;
  dossier: AdapterDossier;
  /** The step's input, evaluated. */
  input: Record<string, unknown>;
  persons: PersonRef[];
}

/** How an adapter does what its spec (procedures/adapter-specs.ts) promises. */
interface Implementation {
  /** What it does, in words (for the people who write documents). */
  description: string;
  /** The system it talks to, in words. */
  system: string;
  run(context: AdapterContext): Promise<AdapterOutcome>;
}

export type Adapter = AdapterSpec & Implementation;

/** The input a document gave does not fit the adapter: no retry can fix it. */
function badInput(adapter: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${adapter}: ${message}`, 'AdapterInput');
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

function requiredString(adapter: string, input: Record<string, unknown>, key: string): string {
  const value = optionalString(input[key]);
  if (value === undefined) throw badInput(adapter, `input ${key} must be a non-empty string, got ${JSON.stringify(input[key] ?? null)}`);
  return value;
}

/** Identification numbers at a filing path: one, an array of them, or none (an optional person left out). */
function pinsAt(filing: Record<string, unknown>, path: string): string[] {
  const value = valueAt(filing, path);
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

// ---------------------------------------------------------------------------------------------
// The adapters

const verifyPersons: Implementation = {
  description:
    "Every person the document declares (filing.persons) is looked up in the population data by their identification number; a name or birth date the filing gives must match. A person whose number the filing leaves out is skipped. With input applicant true, the filer is verified first, with the name and birth date the filing declares under `applicant` (as the civil-status extract does). Result: how many were checked and, on failure, which person (`applicant`, or the position in filing.persons); with input identify true, also which of that person's numbers (`position`, 1-based, e.g. the 2nd founder) and its last 4 digits (`pinEnding`).",
  system: 'the population data',
  async run({ prisma, dossier, persons, input }) {
    const { verifyApplicant } = createPopulationActivities({ prisma });
    let checked = 0;
    if (truthy(input.applicant)) {
      checked += 1;
      const check = await verifyApplicant({ dossierId: dossier.id });
      if (!check.verified) return failed(check.reason, checked, 'applicant');
    }
    for (const [index, person] of persons.entries()) {
      for (const [position, pin] of pinsAt(dossier.filing, person.pin).entries()) {
        checked += 1;
        const fullName = person.fullName ? optionalString(valueAt(dossier.filing, person.fullName)) : undefined;
        const dateOfBirth = person.birthDate ? optionalString(valueAt(dossier.filing, person.birthDate)) : undefined;
        const check = await verifyApplicant({ pin, ...(fullName ? { fullName } : {}), ...(dateOfBirth ? { dateOfBirth } : {}) });
        // With identify: which one of its kind (founder no. 2) and the last 4 digits of the number, to find the typo.
        if (!check.verified) return failed(check.reason, checked, index + 1, truthy(input.identify) ? { position: position + 1, pinEnding: pin.slice(-4) } : {});
      }
    }
    return { outcome: 'verified', result: { checked } };
  },
};

function failed(
  reason: 'unknown-person' | 'name-mismatch' | 'birth-date-mismatch',
  checked: number,
  person: number | 'applicant',
  which: { position?: number; pinEnding?: string } = {},
): AdapterOutcome {
  return reason === 'unknown-person'
    ? { outcome: 'unknown-person', result: { checked, person, ...which } }
    : { outcome: 'mismatch', result: { checked, person, ...which, mismatch: reason === 'name-mismatch' ? 'name' : 'birth-date' } };
}

const findRecord: Implementation = {
  description:
    "The civil-status registry's look-up, as the civil-status extract makes it (every unit's records): by recordRef, else by the person (subjectPin, else the applicant) and kind, narrowed by registrationUnitCode, bookNumber, pageNumber. Result when found: recordId, registrationUnitCode, storage (ELECTRONIC or PAPER_ARCHIVE) and whether the applicant is named in it (entitled); otherwise the unit holding the book when the filing names it.",
  system: 'the civil-status registry',
  async run({ prisma, dossier, input }) {
    const kind = requiredString('civil-status.find-record', input, 'kind');
    if (!(CIVIL_STATUS_KINDS as readonly string[]).includes(kind)) throw badInput('civil-status.find-record', `kind must be one of ${CIVIL_STATUS_KINDS.join(', ')}`);
    const pageNumber = typeof input.pageNumber === 'number' ? input.pageNumber : undefined;
    const query: RecordQuery = { kind: kind as CivilStatusKind, applicantPin: dossier.applicantPin ?? '' };
    for (const key of ['recordRef', 'subjectPin', 'registrationUnitCode', 'bookNumber'] as const) {
      const value = optionalString(input[key]);
      if (value !== undefined) query[key] = value;
    }
    if (pageNumber !== undefined) query.pageNumber = pageNumber;
    const lookup = await createCivilStatusActivities({ prisma }).findCivilStatusRecord(query);
    if (lookup.outcome === 'found') {
      const { recordId, registrationUnitCode, storage, entitled } = lookup;
      return { outcome: 'found', result: { recordId, registrationUnitCode, storage, entitled } };
    }
    return { outcome: lookup.outcome, result: lookup.holdingUnitCode ? { holdingUnitCode: lookup.holdingUnitCode } : {} };
  },
};

const maritalStatus: Implementation = {
  description:
    "The marital status of a person (input pin; the applicant when absent) from the civil-status registry: no MARRIAGE record naming them: single; their latest marriage (by registration date) noted as dissolved by a divorce (details.divorcedOn): divorced; their spouse in it has a DEATH record: widowed; otherwise married. Records only in the paper archive count as well. Result: the latest marriage's record id and how many marriages the registry holds.",
  system: 'the civil-status registry',
  async run({ prisma, dossier, input }) {
    const pin = optionalString(input.pin) ?? dossier.applicantPin;
    if (!pin) throw badInput('civil-status.marital-status', 'no pin given and the dossier has no applicant');
    const marriages = await prisma.civilStatusRecord.findMany({
      where: { kind: 'MARRIAGE', partyPins: { has: pin } },
      orderBy: [{ registeredOn: 'desc' }, { id: 'desc' }],
      select: { id: true, partyPins: true, details: true },
    });
    const latest = marriages[0];
    if (!latest) return { outcome: 'single', result: { marriages: 0 } };
    const result = { marriages: marriages.length, marriageRecordId: latest.id };
    const details = (latest.details ?? {}) as Record<string, unknown>;
    if (optionalString(details.divorcedOn)) return { outcome: 'divorced', result };
    const spouses = latest.partyPins.filter((p) => p !== pin);
    const death = spouses.length > 0 ? await prisma.civilStatusRecord.findFirst({ where: { kind: 'DEATH', subjectPin: { in: spouses } }, select: { id: true } }) : null;
    return death ? { outcome: 'widowed', result: { ...result, deathRecordId: death.id } } : { outcome: 'married', result };
  },
};

const registerBirth: Implementation = {
  description:
    "Writes the BIRTH record of the dossier into the civil-status registry, electronic, registered at the dossier's unit today: one per dossier (id HT-BIRTH-<dossier id>), so a retry writes nothing twice. Input: childName, dateOfBirth, placeOfBirth, and the parents' identification numbers fatherPin and/or motherPin (their names come from the population data), optionally childPin and sex. Its parties are the child (when numbered) and the parents, so a parent finds it with the civil-status extract procedure (by its id, or by the child's number). Result: recordId, registrationUnitCode.",
  system: 'the civil-status registry',
  async run({ prisma, dossier, input }) {
    const name = 'civil-status.register-birth';
    const childName = requiredString(name, input, 'childName');
    const dateOfBirth = requiredString(name, input, 'dateOfBirth');
    const placeOfBirth = requiredString(name, input, 'placeOfBirth');
    const [fatherPin, motherPin, childPin, sex] = (['fatherPin', 'motherPin', 'childPin', 'sex'] as const).map((k) => optionalString(input[k]));
    if (!fatherPin && !motherPin) throw badInput(name, 'give fatherPin or motherPin');
    const recordId = `HT-BIRTH-${dossier.id}`;
    const existing = await prisma.civilStatusRecord.findUnique({ where: { id: recordId }, select: { registrationUnitCode: true } });
    if (existing) return { outcome: 'registered', result: { recordId, registrationUnitCode: existing.registrationUnitCode } };
    const parentPins = [fatherPin, motherPin].filter((p): p is string => p !== undefined);
    const parents = await prisma.person.findMany({ where: { pin: { in: parentPins } }, select: { pin: true, fullName: true } });
    const nameOf = (pin: string | undefined) => (pin ? (parents.find((p) => p.pin === pin)?.fullName ?? null) : null);
    const details = { childName, dateOfBirth, placeOfBirth, fatherName: nameOf(fatherPin), motherName: nameOf(motherPin), ...(sex ? { sex } : {}) };
    await prisma.civilStatusRecord.upsert({
      where: { id: recordId },
      create: {
        id: recordId,
        kind: 'BIRTH',
        registrationUnitCode: dossier.unitCode,
        registeredOn: new Date(`${localDateOf(new Date())}T00:00:00Z`),
        storage: 'ELECTRONIC',
        subjectPin: childPin ?? null,
        partyPins: [...(childPin ? [childPin] : []), ...parentPins],
        details: details as Prisma.InputJsonValue,
      },
      update: {},
    });
    return { outcome: 'registered', result: { recordId, registrationUnitCode: dossier.unitCode } };
  },
};

const IMPLEMENTATIONS: Record<AdapterName, Implementation> = {
  'population.verify-persons': verifyPersons,
  'civil-status.find-record': findRecord,
  'civil-status.marital-status': maritalStatus,
  'civil-status.register-birth': registerBirth,
  'business-registry.check-name': checkBusinessName,
  'business-registry.register': registerBusiness,
  ...CIVIL_STATUS_ADAPTERS,
};

/** Every adapter a document may name, by name: its spec (procedures/adapter-specs.ts) and how it runs. */
export const ADAPTERS: Readonly<Record<string, Adapter>> = Object.fromEntries(
  (Object.keys(IMPLEMENTATIONS) as AdapterName[]).map((name) => [name, { ...ADAPTER_SPECS[name], ...IMPLEMENTATIONS[name] }]),
);

/** What each adapter promises (its outcomes and input keys): `checkDocument`'s `adapters`. */
export { ADAPTER_SPECS };

/** An expression of a document (JSON Logic) evaluated over what an activity sees. */
export function evaluate(expression: unknown, scope: Record<string, unknown>): unknown {
  return apply(expression as RulesLogic, scope);
}

function evaluateAll(expressions: Record<string, unknown>, scope: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(expressions).map(([key, expression]) => [key, evaluate(expression, scope)]));
}

/** What a document's issued document is: its template, its title and fields (JSON Logic over the filing and results). */
export interface DefinedDocumentRequest {
  dossierId: string;
  procedure: string;
  template: string;
  title: Text;
  fields: Record<string, unknown>;
  results: StepResults;
}

/**
 * The activities of procedures published as data: `runAdapter` (a check step), `issueDefinedDocument`
 * (an issue step) and `unitAbove` (a task at the unit above the filing unit).
 */
export function createAdapterActivities({ prisma }: { prisma: PrismaClient }) {
  async function dossierOf(dossierId: string): Promise<AdapterDossier> {
    const row = await prisma.dossier.findUnique({ where: { id: dossierId }, select: { unitCode: true, applicantPin: true, data: true } });
    if (!row) throw ApplicationFailure.nonRetryable(`No dossier ${dossierId}`, 'DossierMissing');
    const filing = row.data !== null && typeof row.data === 'object' && !Array.isArray(row.data) ? (row.data as Record<string, unknown>) : {};
    return { id: dossierId, unitCode: row.unitCode, applicantPin: row.applicantPin, filing };
  }

  const scopeOf = (dossier: AdapterDossier, results: StepResults) => ({ filing: dossier.filing, results, applicant: { pin: dossier.applicantPin } });

  async function runAdapter(call: AdapterCall): Promise<AdapterOutcome> {
    const adapter = ADAPTERS[call.adapter];
    if (!adapter) throw ApplicationFailure.nonRetryable(`No adapter ${call.adapter} (known: ${Object.keys(ADAPTERS).join(', ')})`, 'UnknownAdapter');
    const dossier = await dossierOf(call.dossierId);
    const input = evaluateAll(call.input, scopeOf(dossier, call.results));
    return adapter.run({ prisma, dossier, input, persons: call.persons });
  }

  /**
   * The document of an issue step, with a verification code: one per dossier, so a retry returns it.
   * Its fields see the applicant as the population data knows them (`applicant.fullName`,
   * `applicant.dateOfBirth`): a citizen declares nothing the city already holds.
   */
  async function issueDefinedDocument(request: DefinedDocumentRequest): Promise<IssuedDocumentRef> {
    const existing = await prisma.issuedDocument.findUnique({ where: { dossierId: request.dossierId }, select: { code: true, issuedAt: true } });
    if (existing) return { code: existing.code, issuedAt: existing.issuedAt.toISOString() };
    const dossier = await dossierOf(request.dossierId);
    const person = dossier.applicantPin
      ? await prisma.person.findUnique({ where: { pin: dossier.applicantPin }, select: { fullName: true, dateOfBirth: true } })
      : null;
    const applicant = { pin: dossier.applicantPin, fullName: person?.fullName ?? null, dateOfBirth: person ? localDateOf(person.dateOfBirth) : null };
    const fields = evaluateAll(request.fields, { ...scopeOf(dossier, request.results), applicant });
    const rendered = await templateNamed(request.template)({
      prisma,
      dossierId: request.dossierId,
      procedure: request.procedure,
      template: request.template,
      title: request.title,
      issuedBy: dossier.unitCode,
      fields,
    });
    return issueDocumentOnce(prisma, { dossierId: request.dossierId, ...rendered });
  }

  /** The unit above a unit in the unit tree (the top unit answers for itself). */
  async function unitAbove(input: { unitCode: string }): Promise<{ unitCode: string }> {
    const unit = await prisma.unit.findUnique({ where: { code: input.unitCode }, select: { parentCode: true } });
    if (!unit) throw ApplicationFailure.nonRetryable(`Unknown unit ${input.unitCode}`, 'UnknownUnit');
    return { unitCode: unit.parentCode ?? input.unitCode };
  }

  return { runAdapter, issueDefinedDocument, unitAbove };
}

export type AdapterActivities = ReturnType<typeof createAdapterActivities>;
