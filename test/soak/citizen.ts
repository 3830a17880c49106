import type { Casebook, DossierCase } from './casebook';
import { detailOf, type ApiAnswer, type Claims, type SoakApi } from './http';

/**
 * What citizens (and vehicle owners) share across paths: filing with an idempotency key, following
 * their dossier (`GET /dossiers/{id}`) until it shows what they wait for, and a limit on how many act
 * at once (one waiting minutes for a deadline steps aside while it waits).
 */

/** A dossier as its owner reads it. */
export interface DossierView {
  dossierId: string;
  status: string;
  currentStep: string;
  awaiting: { kind: 'supplement' | 'respond'; items: Array<{ field: string; problem: string }>; dueAt: string; round: number } | null;
  openTasks: Array<{ taskId: string; step: string; unitCode: string }>;
}

export const CLOSED_STATUSES = new Set(['issued', 'registered', 'refused', 'cancelled', 'lapsed', 'paid', 'dismissed']);

/** Citizens acting at once; `aside` lets one wait without holding its place. */
export class Slots {
  private free: number;
  private readonly queue: Array<() => void> = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.free += 1;
  }

  /** Runs `wait` without holding a place, then takes one again. */
  async aside<T>(wait: () => Promise<T>): Promise<T> {
    this.release();
    try {
      return await wait();
    } finally {
      await this.acquire();
    }
  }
}

/** What a path's citizen has at hand. */
export interface CitizenContext {
  api: SoakApi;
  casebook: Casebook;
  slots: Slots;
  /** Letters naming the run: unique business names, evidence and keys. */
  run: string;
  /** The fine of each violation code, integer VND (printed on the notice). */
  fines: ReadonlyMap<string, number>;
  /** The applicant's time to answer, as the soak set it (minutes). */
  applicantMinutes: number;
  signal: AbortSignal;
}

export class CitizenGaveUp extends Error {}

/** Files (`POST` to `path`) with an idempotency key, retried as a real client would; the new dossier's id. */
export async function fileWithKey(ctx: CitizenContext, as: Claims, path: string, body: unknown, key: string): Promise<string> {
  const answer = await ctx.api.as(as, 'POST', path, { body, idempotencyKey: key, signal: ctx.signal });
  const dossierId = (answer.body as { dossierId?: string } | undefined)?.dossierId;
  if ((answer.status === 201 || answer.status === 200) && dossierId) return dossierId;
  throw new CitizenGaveUp(`POST ${path} answered ${answer.status}: ${detailOf(answer)}`);
}

/**
 * Reads the dossier until `until` holds (or it closed), every `pollMs` (slower as it waits), at most
 * `timeoutMs`. A 404 is "not yet visible" (a traffic case before its notice).
 */
export async function follow(
  ctx: CitizenContext,
  as: Claims,
  dossierId: string,
  until: (view: DossierView) => boolean,
  { pollMs = 1000, timeoutMs = 300_000 }: { pollMs?: number; timeoutMs?: number } = {},
): Promise<DossierView> {
  const deadline = Date.now() + timeoutMs;
  let wait = pollMs;
  for (;;) {
    if (ctx.signal.aborted) throw new CitizenGaveUp(`stopped while waiting on ${dossierId}`);
    const answer: ApiAnswer = await ctx.api.as(as, 'GET', `/dossiers/${dossierId}`, { signal: ctx.signal });
    if (answer.status === 200) {
      const view = answer.body as DossierView;
      if (until(view) || CLOSED_STATUSES.has(view.status)) return view;
    } else if (answer.status !== 404) {
      throw new CitizenGaveUp(`GET /dossiers/${dossierId} answered ${answer.status}: ${detailOf(answer)}`);
    }
    if (Date.now() > deadline) throw new CitizenGaveUp(`${dossierId}: what was awaited did not come within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * 300));
    wait = Math.min(wait * 1.5, 5000);
  }
}

/** Records that the dossier went another way than its path expects. */
export function deviated(dossier: DossierCase, what: string): void {
  dossier.deviations.push(what);
}
