import type { Claims } from './http';

/**
 * What the soak knows of each dossier it files: its path (what the staff decide on each task, what
 * the citizen does), who filed it, and what happened to it as the soak's clients saw it. Staff
 * desks and citizens share it: a desk decides a task by the plan of its dossier, an owner waits
 * for the ward's officer to have delivered the notice.
 */

/** A task as `GET /tasks` lists it. */
export interface TaskView {
  taskId: string;
  dossierId: string;
  procedure: string;
  step: string;
  unitCode: string;
  status: 'open' | 'claimed' | 'done' | 'cancelled';
  assignee: string | null;
  context: Record<string, unknown> | null;
}

/** What a member of staff decides on a task: an outcome with its data, or to leave it alone. */
export type TaskDecision = { outcome: string; data?: Record<string, unknown> } | 'leave';

/** One dossier of the soak, from its plan to what its clients saw. */
export interface DossierCase {
  /** Index of the dossier in the run (0…N-1). */
  n: number;
  path: string;
  expected: string;
  /** Who filed (a citizen) or posted the evidence (a camera system). */
  filer: Claims;
  /** The citizen who acts on it afterwards (the filer, or the vehicle's owner). */
  actor?: Claims;
  dossierId?: string;
  filedAt?: string;
  /** Decisions taken by staff, per step (`review#1`: the first review task). */
  decisions: Array<{ step: string; taskId: string; outcome: string; by: string; at: string }>;
  /** Where the dossier did not go the way its path expects (as its clients saw it). */
  deviations: string[];
  /** The citizen's part done (or given up: then `citizenError`). */
  citizenDone: boolean;
  citizenError?: string;
  /** Filing failed for good: no dossier. */
  filingError?: string;
}

type Decider = (task: TaskView, dossier: DossierCase) => TaskDecision;

export class Casebook {
  readonly cases: DossierCase[] = [];
  private readonly byDossier = new Map<string, { dossier: DossierCase; decide: Decider }>();
  private readonly waiters = new Map<string, Array<() => void>>();

  add(dossier: DossierCase): DossierCase {
    this.cases.push(dossier);
    return dossier;
  }

  /** The dossier's id is known (its filing answered): its tasks can be decided from now on. */
  filed(dossier: DossierCase, dossierId: string, decide: Decider): void {
    dossier.dossierId = dossierId;
    dossier.filedAt = new Date().toISOString();
    this.byDossier.set(dossierId, { dossier, decide });
  }

  get(dossierId: string): DossierCase | undefined {
    return this.byDossier.get(dossierId)?.dossier;
  }

  /** The decision on a task, or undefined for a dossier the soak did not file (or not yet told). */
  decide(task: TaskView): TaskDecision | undefined {
    const entry = this.byDossier.get(task.dossierId);
    return entry && entry.decide(task, entry.dossier);
  }

  /** A desk completed a task (200). */
  decided(task: TaskView, outcome: string, by: string): void {
    const entry = this.byDossier.get(task.dossierId);
    if (!entry) return;
    if (entry.dossier.decisions.some((d) => d.taskId === task.taskId)) return;
    entry.dossier.decisions.push({ step: task.step, taskId: task.taskId, outcome, by, at: new Date().toISOString() });
    const key = `${task.dossierId}/${task.step}`;
    for (const wake of this.waiters.get(key) ?? []) wake();
    this.waiters.delete(key);
  }

  /** Resolves true once a task of this step was decided, false after `timeoutMs`. */
  async stepDecided(dossierId: string, step: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.get(dossierId)?.decisions.some((d) => d.step === step)) return true;
    return new Promise<boolean>((resolve) => {
      const key = `${dossierId}/${step}`;
      const timer = setTimeout(() => resolve(false), timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(false);
      });
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), wake]);
    });
  }

  filedIds(): string[] {
    return this.cases.flatMap((c) => (c.dossierId ? [c.dossierId] : []));
  }
}
