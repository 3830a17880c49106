import type { Casebook, TaskView } from './casebook';
import { detailOf, GaveUp, type Claims, type SoakApi } from './http';

/**
 * The automated staff: one desk per member of staff, polling the unit's inbox (`GET /tasks`),
 * claiming a task (`POST /tasks/{id}/claim`) and completing it (`POST /tasks/{id}/complete`) with
 * the decision its dossier's path asks for. Two members of the same unit compete for the same tasks,
 * as colleagues do (the loser's claim answers 409). A supervisor watches the stuck list.
 */

/** Who works in the soak: the clerks and officers whose inboxes the paths' tasks land in. */
export const STAFF: readonly Claims[] = [
  ...['W-BEN-THANH', 'W-SAI-GON', 'W-TAN-DINH', 'W-BINH-THANH', 'W-THU-DUC'].map((unit) => member('clerk', unit)),
  member('clerk', 'HCMC-DOF'),
  member('clerk', 'HCMC-DOF', 2),
  member('officer', 'HCMC-PC08'),
  member('officer', 'HCMC-PC08', 2),
  // The police of the wards where the vehicles' owners live away from the cameras.
  member('officer', 'W-THU-DAU-MOT'),
  member('officer', 'W-VUNG-TAU'),
];

export const CITY_SUPERVISOR: Claims = member('supervisor', 'HCMC');

function member(role: 'clerk' | 'officer' | 'supervisor', unit: string, seq?: number): Claims {
  return { sub: `${role}${seq === undefined ? '' : `-${seq}`}.${unit.toLowerCase()}`, role, unit };
}

export interface DeskOptions {
  pollMs: number;
  /** Tasks one member of staff works on at once. */
  parallel: number;
}

/** Someone at work until `stop()`: `run` loops while not `stopped`; calls in flight are abandoned on `closing`. */
abstract class OnDuty {
  protected stopped = false;
  protected readonly closing = new AbortController();
  private loop?: Promise<void>;

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing.abort();
    await this.loop;
  }

  protected abstract run(): Promise<void>;
}

/** One member of staff at work until `stop()`. */
export class Desk extends OnDuty {
  private readonly working = new Set<string>();
  /** Tasks this desk completed lately (their row may still read claimed for a moment), or failed to: not before then. */
  private readonly notBefore = new Map<string, number>();
  readonly refusals: string[] = [];

  constructor(
    private readonly api: SoakApi,
    readonly staff: Claims,
    private readonly casebook: Casebook,
    private readonly options: DeskOptions = { pollMs: 1500, parallel: 3 },
  ) {
    super();
  }

  protected async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (!this.stopped) {
      for (const task of await this.inbox()) {
        if (inFlight.size >= this.options.parallel) break;
        if (!this.mine(task)) continue;
        const decision = this.casebook.decide(task);
        if (decision === undefined || decision === 'leave') continue;
        this.working.add(task.taskId);
        const work = this.handle(task, decision).finally(() => {
          this.working.delete(task.taskId);
          inFlight.delete(work);
        });
        inFlight.add(work);
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    }
    await Promise.all(inFlight);
  }

  /** Open, or claimed by this member; not being worked on; not completed a moment ago. */
  private mine(task: TaskView): boolean {
    if (this.working.has(task.taskId)) return false;
    if ((this.notBefore.get(task.taskId) ?? 0) > Date.now()) return false;
    return task.status === 'open' || (task.status === 'claimed' && task.assignee === this.staff.sub);
  }

  private async inbox(): Promise<TaskView[]> {
    try {
      const answer = await this.api.as(this.staff, 'GET', '/tasks?limit=500', { signal: this.closing.signal });
      return answer.status === 200 ? (answer.body as TaskView[]) : [];
    } catch (error) {
      if (error instanceof GaveUp) return [];
      throw error;
    }
  }

  private async handle(task: TaskView, decision: { outcome: string; data?: Record<string, unknown> }): Promise<void> {
    try {
      if (task.status === 'open') {
        const claim = await this.api.as(this.staff, 'POST', `/tasks/${task.taskId}/claim`, { signal: this.closing.signal });
        // 409: a colleague took it first; 404: withdrawn meanwhile.
        if (claim.status !== 200) return;
      }
      const done = await this.api.as(this.staff, 'POST', `/tasks/${task.taskId}/complete`, {
        body: { outcome: decision.outcome, ...(decision.data ? { data: decision.data } : {}) },
        // "A decision on dossier … is being recorded; try again shortly".
        retryConflict: (answer) => /try again/i.test(detailOf(answer)),
        signal: this.closing.signal,
      });
      // Done, or refused for a reason another try a moment later will not change: come back in 30 s.
      this.notBefore.set(task.taskId, Date.now() + 30_000);
      if (done.status === 200) {
        this.casebook.decided(task, decision.outcome, this.staff.sub);
      } else if (done.status === 422 || done.status === 400) {
        this.refusals.push(`${task.taskId} ${decision.outcome}: ${done.status} ${detailOf(done)}`);
        this.casebook.get(task.dossierId)?.deviations.push(`${task.step} ${decision.outcome} refused: ${done.status} ${detailOf(done)}`);
      }
      // A 409 (done already, or the dossier closed meanwhile): the next look at the inbox tells.
    } catch (error) {
      if (!(error instanceof GaveUp)) throw error;
    }
  }
}

/** A city supervisor reading `GET /supervision/dossiers?state=stuck` now and then: the most seen at once. */
export class StuckWatch extends OnDuty {
  mostStuck = 0;
  lastStuck: Array<{ dossierId: string; reason: string }> = [];

  constructor(
    private readonly api: SoakApi,
    private readonly everyMs = 20_000,
  ) {
    super();
  }

  protected async run(): Promise<void> {
    while (!this.stopped) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, this.everyMs);
        this.closing.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
      if (this.stopped) break;
      try {
        const answer = await this.api.as(CITY_SUPERVISOR, 'GET', '/supervision/dossiers?state=stuck&limit=500', { signal: this.closing.signal });
        if (answer.status !== 200) continue;
        const stuck = answer.body as Array<{ dossierId: string; reason: string }>;
        this.mostStuck = Math.max(this.mostStuck, stuck.length);
        this.lastStuck = stuck.map((s) => ({ dossierId: s.dossierId, reason: s.reason }));
      } catch (error) {
        if (!(error instanceof GaveUp)) throw error;
      }
    }
  }
}
