import { localDateOf, type DeadlinePolicy, type WorkingCalendar } from '../../common/calendar';
import { databaseDeadlines, type DeadlineSource } from '../../common/deadline-store';
import type { PrismaClient, UnitKind } from '../../prisma/client';

/**
 * The reference data a filing reads: units and their kinds, lines of business, deadline settings and
 * the working-day calendar. Operators change these rows by hand, and rarely; every filing reads them.
 * The API keeps what it read for REFERENCE_TTL_MS rather than reading it per request (four of the
 * seven statements of a `POST /dossiers`, on an embedded database that is one session shared with
 * the worker). So an edited calendar day, deadline setting, unit or line of business reaches new
 * filings within REFERENCE_TTL_MS; the worker plans every later deadline from the database as it
 * stands.
 */
export const REFERENCE_TTL_MS = 30_000;

/** Calendars kept at most: one per unit that receives filings (a day's window each). */
const MAX_CALENDARS = 2_000;

export interface ReferenceData extends DeadlineSource {
  /** Every unit by code, with its kind. */
  units(): Promise<ReadonlyMap<string, UnitKind>>;
  /** The codes of every line of business (VSIC). */
  businessLines(): Promise<ReadonlySet<string>>;
}

/** Reads each from the database, every time. */
export function databaseReferenceData(prisma: PrismaClient): ReferenceData {
  return {
    ...databaseDeadlines(prisma),
    units: async () => new Map((await prisma.unit.findMany({ select: { code: true, kind: true } })).map((u) => [u.code, u.kind])),
    businessLines: async () => new Set((await prisma.businessLine.findMany({ select: { code: true } })).map((b) => b.code)),
  };
}

/**
 * Keeps what `source` answers for `ttlMs`. A calendar is kept per unit and local date: the window it
 * covers (see `loadCalendar`) starts from the date, so one read serves the whole day's filings.
 */
export function cachedReferenceData(source: ReferenceData, options: { ttlMs?: number; now?: () => number } = {}): ReferenceData {
  const ttl = { ttlMs: options.ttlMs ?? REFERENCE_TTL_MS, now: options.now };
  const units = new TtlCache<'all', ReadonlyMap<string, UnitKind>>({ ...ttl, maxEntries: 1 });
  const businessLines = new TtlCache<'all', ReadonlySet<string>>({ ...ttl, maxEntries: 1 });
  const policies = new TtlCache<string, DeadlinePolicy | null>({ ...ttl, maxEntries: 1_000 });
  const calendars = new TtlCache<string, WorkingCalendar>({ ...ttl, maxEntries: MAX_CALENDARS });
  return {
    units: () => units.get('all', () => source.units()),
    businessLines: () => businessLines.get('all', () => source.businessLines()),
    policy: (procedure, step) => policies.get(`${procedure}/${step}`, () => source.policy(procedure, step)),
    calendar: (unitCode, from) => calendars.get(`${unitCode}/${localDateOf(from)}`, () => source.calendar(unitCode, from)),
  };
}

/**
 * Values kept for a fixed time after they were loaded. Callers asking at once share one load; a load
 * that fails is not kept (the next caller loads again); beyond `maxEntries` the oldest goes.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: Promise<V>; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now?: (() => number) | undefined }) {
    this.now = options.now ?? Date.now;
  }

  get(key: K, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const kept = this.entries.get(key);
    if (kept && kept.expiresAt > now) return kept.value;
    this.entries.delete(key);
    const entry = { value: Promise.resolve().then(load), expiresAt: now + this.options.ttlMs };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }
}
