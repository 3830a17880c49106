import type { SoakDatabase } from './database';
import type { EngineProcess } from './processes';
import { WORKER_READY } from './processes';
import type { TemporalDevServer } from './temporal-server';

/**
 * The faults of a soak run, spread evenly over its fault phase: worker processes killed with
 * SIGKILL (each started again after a moment, and polling before the next fault), the Temporal dev
 * server killed with SIGKILL and started again on the same SQLite file, and one database outage
 * (`pg_ctl stop -m fast`, which ends every session, then start). One fault at a time.
 */
export type FaultKind = 'worker-kill' | 'temporal-restart' | 'database-outage';

export interface FaultRecord {
  kind: FaultKind;
  target: string;
  at: string;
  /** From the kill (or stop) until the part answered again. */
  downMs: number;
  error?: string;
}

export interface FaultPlan {
  workerKills: number;
  temporalRestarts: number;
  databaseOutageSeconds: number;
}

/** The order of the faults: the rarer kinds spread among the worker kills. */
export function faultSequence(plan: FaultPlan): FaultKind[] {
  const rare = Array<FaultKind>(plan.temporalRestarts).fill('temporal-restart');
  if (plan.databaseOutageSeconds > 0) rare.splice(Math.floor(rare.length / 2), 0, 'database-outage');
  const total = plan.workerKills + rare.length;
  const sequence = Array<FaultKind>(total).fill('worker-kill');
  // Positions (i + ½) × total / rare: at least one apart, all below total.
  rare.forEach((kind, i) => {
    sequence[Math.floor(((i + 0.5) * total) / rare.length)] = kind;
  });
  return sequence;
}

export interface FaultTargets {
  workers: EngineProcess[];
  temporal: TemporalDevServer;
  database: SoakDatabase;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FaultInjector {
  readonly done: FaultRecord[] = [];
  private workerTurn = 0;

  constructor(
    private readonly targets: FaultTargets,
    private readonly plan: FaultPlan,
    private readonly restartDelayMs: number,
    private readonly log: (line: string) => void,
  ) {}

  get planned(): FaultKind[] {
    return faultSequence(this.plan);
  }

  /** Injects every fault, the i-th at `start + (i + 1) × phase / (count + 1)` and at least `gapMs` after the one before. */
  async run(start: number, phaseMs: number, gapMs: number, signal: AbortSignal): Promise<void> {
    const sequence = this.planned;
    let lastEnded = 0;
    for (const [i, kind] of sequence.entries()) {
      const at = Math.max(start + ((i + 1) * phaseMs) / (sequence.length + 1), lastEnded + gapMs);
      while (Date.now() < at && !signal.aborted) await sleep(Math.min(500, at - Date.now()));
      if (signal.aborted) return;
      await this.inject(kind);
      lastEnded = Date.now();
    }
  }

  private async inject(kind: FaultKind): Promise<void> {
    const at = new Date();
    let target = '';
    try {
      if (kind === 'worker-kill') target = await this.killWorker();
      else if (kind === 'temporal-restart') target = await this.restartTemporal();
      else target = await this.databaseOutage();
      this.done.push({ kind, target, at: at.toISOString(), downMs: Date.now() - at.getTime() });
      this.log(`fault: ${kind} ${target}, back after ${((Date.now() - at.getTime()) / 1000).toFixed(1)} s`);
    } catch (error) {
      this.done.push({ kind, target, at: at.toISOString(), downMs: Date.now() - at.getTime(), error: String(error) });
      this.log(`fault: ${kind} ${target} FAILED: ${String(error)}`);
    }
  }

  private async killWorker(): Promise<string> {
    const worker = this.targets.workers[this.workerTurn % this.targets.workers.length]!;
    this.workerTurn += 1;
    const target = `${worker.name} (pid ${worker.pid()})`;
    await worker.kill();
    await sleep(this.restartDelayMs);
    await worker.start(WORKER_READY);
    return target;
  }

  private async restartTemporal(): Promise<string> {
    const target = `Temporal dev server (pid ${this.targets.temporal.pid()})`;
    await this.targets.temporal.kill();
    await sleep(this.restartDelayMs);
    await this.targets.temporal.start();
    return target;
  }

  private async databaseOutage(): Promise<string> {
    await this.targets.database.stop();
    await sleep(this.plan.databaseOutageSeconds * 1000);
    await this.targets.database.start();
    return `PostgreSQL, ${this.plan.databaseOutageSeconds} s`;
  }
}
