import { ApplicationFailure } from '@temporalio/common';
import { DeadlinePolicyError, WorkingCalendar, type DeadlinePolicy } from '../../common/calendar';
import { planDeadlinesFrom } from '../../common/deadline-store';
import { PROCEDURES } from '../../procedures';
import { unknownReferences } from '../../api/services/dossiers';
import { cachedReferenceData, REFERENCE_TTL_MS, TtlCache, type ReferenceData } from '../../api/services/reference-data';

const POLICY: DeadlinePolicy = {
  mode: 'working-days',
  workingDays: 3,
  cutoffTime: '15:00',
  endOfDayTime: '17:00',
  remindBeforeMinutes: 480,
  secondEscalationAfterWorkingDays: 2,
};

/** A database stand-in whose rows an operator may edit, counting what is read. */
function fakeDatabase() {
  const db = {
    units: new Map([
      ['W-BEN-THANH', 'WARD' as const],
      ['D-QUAN-1', 'DISTRICT' as const],
    ]),
    policy: POLICY as DeadlinePolicy | Error | null,
    holidays: [] as Array<{ date: string; working: boolean; name: string }>,
    reads: { units: 0, businessLines: 0, policy: 0, calendar: 0 },
  };
  const source: ReferenceData = {
    units: async () => {
      db.reads.units += 1;
      return new Map(db.units);
    },
    businessLines: async () => {
      db.reads.businessLines += 1;
      return new Set(['4711']);
    },
    policy: async () => {
      db.reads.policy += 1;
      if (db.policy instanceof Error) throw db.policy;
      return db.policy;
    },
    calendar: async () => {
      db.reads.calendar += 1;
      return new WorkingCalendar(db.holidays);
    },
  };
  return { db, source };
}

function clock(start = Date.parse('2026-03-13T02:00:00Z')) {
  const c = { ms: start, now: () => c.ms };
  return c;
}

describe('TtlCache', () => {
  it('loads a value once while it is fresh, and again once it is not', async () => {
    const time = clock();
    const cache = new TtlCache<string, number>({ ttlMs: 1_000, maxEntries: 10, now: time.now });
    let loads = 0;
    const load = async () => (loads += 1);
    expect(await cache.get('a', load)).toBe(1);
    time.ms += 999;
    expect(await cache.get('a', load)).toBe(1);
    time.ms += 1;
    expect(await cache.get('a', load)).toBe(2);
  });

  it('shares one load between callers asking at once', async () => {
    const cache = new TtlCache<string, number>({ ttlMs: 1_000, maxEntries: 10 });
    let loads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve((loads += 1)), 5));
    expect(await Promise.all([cache.get('a', load), cache.get('a', load), cache.get('a', load)])).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('keeps no failed load: the next caller loads again', async () => {
    const cache = new TtlCache<string, number>({ ttlMs: 60_000, maxEntries: 10 });
    await expect(cache.get('a', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    // A loader that throws before returning a promise fails the same way.
    await expect(cache.get('a', () => { throw new Error('no connection'); })).rejects.toThrow('no connection');
    expect(await cache.get('a', async () => 7)).toBe(7);
  });

  it('drops the oldest entries beyond its bound', async () => {
    const cache = new TtlCache<number, number>({ ttlMs: 60_000, maxEntries: 2 });
    for (const key of [1, 2, 3]) await cache.get(key, async () => key);
    expect(cache.size).toBe(2);
    expect(await cache.get(1, async () => -1)).toBe(-1);
  });
});

describe('cachedReferenceData', () => {
  it('reads the units once per TTL, and an edited unit reaches filings once it has passed', async () => {
    const time = clock();
    const { db, source } = fakeDatabase();
    const references = cachedReferenceData(source, { now: time.now });
    for (let i = 0; i < 5; i += 1) expect((await references.units()).get('W-BEN-THANH')).toBe('WARD');
    expect(db.reads.units).toBe(1);

    db.units.set('W-NEW', 'WARD');
    expect((await references.units()).has('W-NEW')).toBe(false);
    time.ms += REFERENCE_TTL_MS;
    expect((await references.units()).has('W-NEW')).toBe(true);
    expect(db.reads.units).toBe(2);
  });

  it('keeps one calendar per unit and local date (UTC+7)', async () => {
    const time = clock();
    const { db, source } = fakeDatabase();
    const references = cachedReferenceData(source, { now: time.now });
    // 2026-03-13 in the city from 17:00Z the day before until 16:59Z.
    await references.calendar('W-BEN-THANH', new Date('2026-03-12T17:00:00Z'));
    await references.calendar('W-BEN-THANH', new Date('2026-03-13T16:59:00Z'));
    expect(db.reads.calendar).toBe(1);
    await references.calendar('W-BEN-THANH', new Date('2026-03-13T17:00:00Z'));
    await references.calendar('W-TAN-DINH', new Date('2026-03-13T09:00:00Z'));
    expect(db.reads.calendar).toBe(3);
  });

  it('plans a deadline with an edited holiday or setting once the TTL has passed', async () => {
    const time = clock();
    const { db, source } = fakeDatabase();
    const references = cachedReferenceData(source, { now: time.now });
    const plan = () => planDeadlinesFrom(references, { procedure: 'civil-status-extract', step: 'dossier', unitCode: 'W-BEN-THANH', from: new Date('2026-03-13T02:00:00Z') });
    // Friday 09:00 local, 3 working days: Wednesday 17:00 local.
    expect((await plan()).dueAt.toISOString()).toBe('2026-03-18T10:00:00.000Z');

    db.holidays = [{ date: '2026-03-16', working: false, name: 'A day off' }];
    db.policy = { ...POLICY, workingDays: 4 };
    expect((await plan()).dueAt.toISOString()).toBe('2026-03-18T10:00:00.000Z');
    time.ms += REFERENCE_TTL_MS;
    // Four working days, Monday off: Friday 17:00 local.
    expect((await plan()).dueAt.toISOString()).toBe('2026-03-20T10:00:00.000Z');
    expect(db.reads).toMatchObject({ policy: 2, calendar: 2 });
  });

  it('refuses a malformed setting as the database does, and reads it again on the next filing', async () => {
    const { db, source } = fakeDatabase();
    const references = cachedReferenceData(source);
    db.policy = new DeadlinePolicyError('Deadline policy: workingDays must be a whole number ≥ 0, got -1');
    const plan = () => planDeadlinesFrom(references, { procedure: 'civil-status-extract', step: 'dossier', unitCode: 'W-BEN-THANH', from: new Date() });
    const refusal = await plan().catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApplicationFailure);
    expect(refusal).toMatchObject({ type: 'InvalidDeadlineSetting', nonRetryable: true });

    db.policy = POLICY;
    await expect(plan()).resolves.toHaveProperty('dueAt');
    expect(db.reads.policy).toBe(2);
  });
});

describe('unknownReferences', () => {
  it('names each registry entry a filing names that the kept units do not hold', async () => {
    const { db, source } = fakeDatabase();
    const references = cachedReferenceData(source);
    const extract = PROCEDURES.get('civil-status-extract')!;
    expect(await unknownReferences(references, extract, { registrationUnitCode: 'D-QUAN-1' }, 'data.')).toEqual([]);
    expect(await unknownReferences(references, extract, { registrationUnitCode: 'W-NOWHERE' }, 'data.')).toEqual([
      { path: 'data.registrationUnitCode', message: { vi: 'không có đơn vị W-NOWHERE', en: 'no such unit W-NOWHERE' } },
    ]);
    expect(db.reads.units).toBe(1);
  });
});
