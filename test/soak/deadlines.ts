import { Client } from 'pg';

/**
 * The applicant's deadlines within the soak, by data only (no product change). A business
 * supplement's deadline (`business-registration/supplement`, 60 calendar days) and a traffic
 * notice's (`traffic-fine/response`, 20 calendar days) come from DeadlineSetting rows and the
 * working calendar, read by the worker when the wait opens. The soak sets both to
 * `same-day-cutoff` with the cut-off and the end of the day a few minutes ahead in
 * Asia/Ho_Chi_Minh, rolled forward every few seconds, and makes today and the next days working
 * days in the calendar (`CalendarDay`, scope `*`): a wait opened now ends `minutes` (+ at most one)
 * minutes later. A reminder goes out a minute before (at the deadline when `minutes` is 1).
 *
 * Near local midnight the end of the day cannot be later than 23:59: waits opened in the last
 * minutes before midnight end at 23:59, and after midnight the next day's times apply.
 */
export const APPLICANT_WAITS = [
  { procedure: 'business-registration', step: 'supplement' },
  { procedure: 'traffic-fine', step: 'response' },
] as const;

const CITY_OFFSET_MS = 7 * 3_600_000;

/** HH:MM in the city, `minutes` from `now` rounded up to the next whole minute; 23:59 at most. */
export function localTimeAhead(now: Date, minutes: number): { hhmm: string; clamped: boolean } {
  const local = new Date(now.getTime() + CITY_OFFSET_MS);
  const ahead = new Date(Math.ceil((local.getTime() + minutes * 60_000) / 60_000) * 60_000);
  if (ahead.toISOString().slice(0, 10) !== local.toISOString().slice(0, 10)) return { hhmm: '23:59', clamped: true };
  return { hhmm: ahead.toISOString().slice(11, 16), clamped: false };
}

const localDate = (now: Date, days: number) => new Date(now.getTime() + CITY_OFFSET_MS + days * 86_400_000).toISOString().slice(0, 10);

export class ApplicantDeadlines {
  /** Times the end of the day had to be clamped at 23:59. */
  clamped = 0;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly databaseUrl: string,
    private readonly minutes: number,
    private readonly everyMs = 10_000,
  ) {}

  /** Today and the next two days working days; the settings set once (then kept rolling by `start`). */
  async apply(): Promise<void> {
    const now = new Date();
    await this.sql(async (db) => {
      for (let day = 0; day <= 2; day += 1) {
        await db.query(
          `INSERT INTO "CalendarDay" ("scope", "date", "working", "name") VALUES ('*', $1::date, true, 'Soak: a working day')
           ON CONFLICT ("scope", "date") DO UPDATE SET "working" = true, "name" = 'Soak: a working day'`,
          [localDate(now, day)],
        );
      }
    });
    await this.roll();
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await new Promise((resolve) => setTimeout(resolve, this.everyMs));
        // The database may be down (the outage): the next round sets it.
        await this.roll().catch(() => undefined);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /**
   * A minute before the deadline; at the deadline itself when the applicant has a single minute
   * (a reminder due before the wait opened would go out at once, before anyone could answer).
   */
  private get remindBeforeMinutes(): number {
    return Math.min(1, Math.max(0, this.minutes - 1));
  }

  private async roll(): Promise<void> {
    const { hhmm, clamped } = localTimeAhead(new Date(), this.minutes);
    if (clamped) this.clamped += 1;
    await this.sql(async (db) => {
      for (const { procedure, step } of APPLICANT_WAITS) {
        await db.query(
          `UPDATE "DeadlineSetting" SET "mode" = 'same-day-cutoff', "workingDays" = 0, "cutoffTime" = $3, "endOfDayTime" = $3, "remindBeforeMinutes" = $4
           WHERE "procedure" = $1 AND "step" = $2`,
          [procedure, step, hhmm, this.remindBeforeMinutes],
        );
      }
    });
  }

  private async sql(work: (db: Client) => Promise<void>): Promise<void> {
    const db = new Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 3000 });
    await db.connect();
    try {
      await work(db);
    } finally {
      await db.end();
    }
  }
}
