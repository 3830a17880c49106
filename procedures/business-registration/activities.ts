import { ApplicationFailure } from '@temporalio/common';
import { issueDocumentOnce } from '../../activities/documents';
import { localDateOf } from '../../common/calendar';
import { Prisma, type Business, type BusinessKind, type PrismaClient } from '../../prisma/client';
import { describeIssues } from '../define';
import { businessRegistration, type BusinessRegistrationFiling } from './definition';
import { normalizeBusinessName } from './names';

/**
 * The business registry's side of business registration (procedures/business-registration/README.md): founders checked against
 * the population data, the name check, the registry entry with its enterprise code, and the
 * certificate. Every activity reads the filing from the dossier row (`Dossier.data`, amended by
 * each supplement), so what travels through Temporal's history is a dossier id, not personal data.
 */

// ---------------------------------------------------------------------------------------------
// The filing, as stored

type StoredFiling = BusinessRegistrationFiling;

/**
 * The stored filing parsed with the procedure's own schema (the one the API validated it with): the
 * row is JSON from a database, and a bad one must fail with a clear reason that no retry can fix.
 */
function readFiling(dossierId: string, data: unknown): StoredFiling {
  const parsed = businessRegistration.filing.safeParse(data);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.nonRetryable(`Dossier ${dossierId}: the stored filing is invalid: ${describeIssues(parsed.error.issues)}`, 'MalformedFiling');
}

// ---------------------------------------------------------------------------------------------
// Enterprise codes

/** The tax authority's province prefix of Ho Chi Minh City. */
const PROVINCE_PREFIX = '03';
const ENTERPRISE_CODE_COUNTER = 'enterprise-code';
const MAX_SERIAL = 9_999_999n;

/**
 * The 10th digit of a Vietnamese tax code (which the enterprise code is): the first nine digits
 * weighted 31, 29, 23, 19, 17, 13, 7, 5, 3, summed, and the check digit is 10 − (sum mod 11).
 * A remainder of 0 would need a "10": no valid code has those nine digits (the serial is skipped).
 */
const CHECK_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

export function enterpriseCodeCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new Error(`Not nine digits: ${firstNine}`);
  const sum = CHECK_WEIGHTS.reduce((total, weight, i) => total + weight * Number(firstNine[i]), 0);
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

/** `03` + 7-digit serial + check digit, or null for a serial that has no valid check digit. */
export function enterpriseCodeFor(serial: bigint): string | null {
  const firstNine = `${PROVINCE_PREFIX}${serial.toString().padStart(7, '0')}`;
  const check = enterpriseCodeCheckDigit(firstNine);
  return check === null ? null : `${firstNine}${check}`;
}

export function isValidEnterpriseCode(code: string): boolean {
  return /^\d{10}$/.test(code) && enterpriseCodeCheckDigit(code.slice(0, 9)) === Number(code[9]);
}

/**
 * The next enterprise code, allocated inside the caller's transaction: the UPDATE locks the counter
 * row until that transaction ends, so concurrent registrations queue on it and never share a
 * serial, and a registration that rolls back gives its serial back (no gaps from failures).
 * Serials without a check digit, and codes already in the registry (entries that predate the
 * counter), are skipped.
 */
async function allocateEnterpriseCode(tx: Prisma.TransactionClient): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const rows = await tx.$queryRaw<Array<{ value: bigint | number | string }>>`
      UPDATE "Counter" SET "value" = "value" + 1 WHERE "name" = ${ENTERPRISE_CODE_COUNTER} RETURNING "value"`;
    // A missing counter row is an installation fault an operator fixes: retried until then.
    if (rows.length === 0) throw new Error(`The "${ENTERPRISE_CODE_COUNTER}" counter row is missing`);
    const serial = BigInt(rows[0]!.value);
    if (serial > MAX_SERIAL) throw ApplicationFailure.nonRetryable('Enterprise code serials are exhausted', 'EnterpriseCodesExhausted');
    const code = enterpriseCodeFor(serial);
    if (code === null) continue;
    const taken = await tx.business.findUnique({ where: { enterpriseCode: code }, select: { enterpriseCode: true } });
    if (!taken) return code;
  }
  throw new Error('No free enterprise code found in 100 serials');
}

// Interactive transactions wait 2 s for a connection by default; 20 approvals at once may queue longer.
const REGISTER_TRANSACTION = { maxWait: 15_000, timeout: 15_000 } as const;

// ---------------------------------------------------------------------------------------------
// Shared with the adapters of the procedure as data (activities/adapters-business.ts)

/** A registered business whose name conflicts with a proposed one: public registry data. */
export interface NameConflict {
  enterpriseCode: string;
  name: string;
}

/**
 * Registered businesses whose name conflicts with the proposed one: the same normalised key
 * (unique and indexed, so at most one). A dissolved business counts too: the law would let its
 * name be reused, but the registry keeps one entry per name key, so offering it would only fail
 * at registration. Reusing dissolved names needs a partial unique index first. The dossier's own
 * entry does not count, should the check run again after registration.
 */
export async function findNameConflicts(prisma: PrismaClient, proposedName: string, dossierId: string): Promise<NameConflict[]> {
  return prisma.business.findMany({
    where: {
      normalizedName: normalizeBusinessName(proposedName),
      OR: [{ dossierId: null }, { dossierId: { not: dossierId } }],
    },
    select: { enterpriseCode: true, name: true },
    orderBy: { enterpriseCode: 'asc' },
  });
}

/**
 * The registration certificate of the business a dossier registered: its kind
 * (`business-registration/<kind of business>`) and content, from the registry entry and the
 * population data.
 */
export async function businessCertificateOf(prisma: PrismaClient, dossierId: string): Promise<{ kind: string; content: Prisma.InputJsonValue }> {
  const business = await prisma.business.findUnique({ where: { dossierId }, include: { registrationUnit: { select: { name: true } } } });
  if (!business) throw ApplicationFailure.nonRetryable(`No business registered for dossier ${dossierId}`, 'BusinessMissing');
  return { kind: `business-registration/${business.kind}`, content: await certificateContent(prisma, business) };
}

/**
 * Declare once: names, birth dates and addresses of the founders and the representative are the
 * population data's, not what anyone typed into the filing.
 */
async function certificateContent(prisma: PrismaClient, business: Business & { registrationUnit: { name: string } }): Promise<Prisma.InputJsonValue> {
  const pins = [...new Set([...business.founderPins, business.legalRepresentativePin])];
  const [persons, lines] = await Promise.all([
    prisma.person.findMany({ where: { pin: { in: pins } }, select: { pin: true, fullName: true, dateOfBirth: true, address: true } }),
    prisma.businessLine.findMany({ where: { code: { in: business.businessLines } }, select: { code: true, name: true } }),
  ]);
  const byPin = new Map(persons.map((p) => [p.pin, p]));
  const person = (pin: string) => {
    const found = byPin.get(pin);
    if (!found) throw ApplicationFailure.nonRetryable(`Business ${business.enterpriseCode}: a founder is missing from the population data`, 'PersonMissing');
    return { fullName: found.fullName, dateOfBirth: found.dateOfBirth.toISOString().slice(0, 10), address: found.address };
  };
  const lineNames = new Map(lines.map((l) => [l.code, l.name]));
  return {
    title: business.kind === 'HOUSEHOLD_BUSINESS' ? 'Household business registration certificate' : 'Enterprise registration certificate',
    enterpriseCode: business.enterpriseCode,
    name: business.name,
    kind: business.kind,
    headOffice: business.address,
    ...(business.charterCapital !== null ? { charterCapital: jsonInteger(business.charterCapital) } : {}),
    businessLines: business.businessLines.map((code) => ({ code, name: lineNames.get(code) ?? null })),
    founders: business.founderPins.map(person),
    legalRepresentative: person(business.legalRepresentativePin),
    registeredAt: business.registrationUnit.name,
    registeredOn: business.registeredOn.toISOString().slice(0, 10),
  };
}

// ---------------------------------------------------------------------------------------------
// Activities

export interface UnknownFounder {
  role: 'founder' | 'legal-representative';
  /** 1-based position in `founders`; 0 for the legal representative. */
  position: number;
  /** Last 4 digits of the ID: enough to find the typo, and no full ID in the workflow history. */
  pinEnding: string;
}

export function createBusinessRegistrationActivities({ prisma }: { prisma: PrismaClient }) {
  async function filingOf(dossierId: string): Promise<StoredFiling> {
    const row = await prisma.dossier.findUnique({ where: { id: dossierId }, select: { data: true } });
    if (!row) throw ApplicationFailure.nonRetryable(`No dossier ${dossierId}`, 'DossierMissing');
    return readFiling(dossierId, row.data);
  }

  /** Declare once: every founder and the legal representative must be in the population data. */
  async function verifyFounders(input: { dossierId: string }): Promise<{ unknown: UnknownFounder[] }> {
    const filing = await filingOf(input.dossierId);
    const pins = [...new Set([...filing.founders.map((f) => f.pin), filing.legalRepresentativePin])];
    const known = new Set((await prisma.person.findMany({ where: { pin: { in: pins } }, select: { pin: true } })).map((p) => p.pin));
    const unknown: UnknownFounder[] = filing.founders.flatMap((f, i) =>
      known.has(f.pin) ? [] : [{ role: 'founder' as const, position: i + 1, pinEnding: f.pin.slice(-4) }],
    );
    if (!known.has(filing.legalRepresentativePin)) {
      unknown.push({ role: 'legal-representative', position: 0, pinEnding: filing.legalRepresentativePin.slice(-4) });
    }
    return { unknown };
  }

  /** Registered businesses whose name conflicts with the proposed one (`findNameConflicts`). */
  async function checkBusinessName(input: { dossierId: string }): Promise<{ conflicts: NameConflict[] }> {
    const filing = await filingOf(input.dossierId);
    return { conflicts: await findNameConflicts(prisma, filing.proposedName, input.dossierId) };
  }

  /**
   * Writes the business to the registry under a new enterprise code. Once per dossier: a retry (or a
   * concurrent duplicate) finds the entry by its unique dossierId and returns the same code.
   */
  async function registerBusiness(input: { dossierId: string; registrationUnitCode: string }): Promise<{ enterpriseCode: string; registeredOn: string }> {
    const { dossierId } = input;
    const existing = await prisma.business.findUnique({ where: { dossierId } });
    if (existing) return registration(existing);

    const filing = await filingOf(dossierId);
    const [ward, registrationUnit] = await Promise.all([
      prisma.unit.findUnique({ where: { code: filing.headOffice.unitCode }, select: { name: true, parent: { select: { name: true } } } }),
      prisma.unit.findUnique({ where: { code: input.registrationUnitCode }, select: { code: true } }),
    ]);
    if (!ward) throw ApplicationFailure.nonRetryable(`Unknown head-office unit ${filing.headOffice.unitCode}`, 'UnknownUnit');
    if (!registrationUnit) throw ApplicationFailure.nonRetryable(`Unknown registration unit ${input.registrationUnitCode}`, 'UnknownUnit');

    const normalizedName = normalizeBusinessName(filing.proposedName);
    try {
      const created = await prisma.$transaction(async (tx) => {
        const enterpriseCode = await allocateEnterpriseCode(tx);
        return tx.business.create({
          data: {
            enterpriseCode,
            name: filing.proposedName,
            normalizedName,
            kind: filing.kind satisfies BusinessKind,
            address: [filing.headOffice.street, ward.name, ward.parent?.name].filter(Boolean).join(', '),
            legalRepresentativePin: filing.legalRepresentativePin,
            registrationUnitCode: input.registrationUnitCode,
            registeredOn: new Date(`${localDateOf(new Date())}T00:00:00.000Z`),
            status: 'ACTIVE',
            dossierId,
            headOfficeUnitCode: filing.headOffice.unitCode,
            charterCapital: BigInt(filing.charterCapital),
            businessLines: filing.businessLines,
            founderPins: filing.founders.map((f) => f.pin),
          },
        });
      }, REGISTER_TRANSACTION);
      return registration(created);
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
      return afterUniqueViolation(dossierId, filing.proposedName, normalizedName, error);
    }
  }

  /**
   * The insert hit a unique key. Either this dossier's entry was written meanwhile (a concurrent
   * attempt of the same activity): return it. Or another business holds the name key: no retry
   * changes that, the dossier is refused. Anything else is unexpected and retried.
   */
  async function afterUniqueViolation(dossierId: string, name: string, normalizedName: string, error: unknown) {
    const mine = await prisma.business.findUnique({ where: { dossierId } });
    if (mine) return registration(mine);
    const holder = await prisma.business.findUnique({ where: { normalizedName }, select: { enterpriseCode: true, name: true, status: true } });
    if (holder) {
      // A dissolved holder passes the name check but still owns the unique key: same refusal.
      throw ApplicationFailure.nonRetryable(
        `"${name}" conflicts with "${holder.name}" (${holder.enterpriseCode}, ${holder.status.toLowerCase()}), registered meanwhile`,
        'BusinessNameTaken',
      );
    }
    throw error;
  }

  /** The registration certificate, from the registry entry and the population data; one per dossier. */
  async function issueBusinessCertificate(input: { dossierId: string }): Promise<{ code: string; issuedAt: string }> {
    const { dossierId } = input;
    const existing = await prisma.issuedDocument.findUnique({ where: { dossierId }, select: { code: true, issuedAt: true } });
    if (existing) return { code: existing.code, issuedAt: existing.issuedAt.toISOString() };
    return issueDocumentOnce(prisma, { dossierId, ...(await businessCertificateOf(prisma, dossierId)) });
  }

  return { verifyFounders, checkBusinessName, registerBusiness, issueBusinessCertificate };
}

/** The worker finds each procedure's activities under this name (procedures/activities.ts). */
export const createActivities = createBusinessRegistrationActivities;

function registration(business: Pick<Business, 'enterpriseCode' | 'registeredOn'>): { enterpriseCode: string; registeredOn: string } {
  return { enterpriseCode: business.enterpriseCode, registeredOn: business.registeredOn.toISOString().slice(0, 10) };
}

/** JSON has no BigInt: a number while exact (always, for VND amounts the filing allows), else a string. */
function jsonInteger(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
