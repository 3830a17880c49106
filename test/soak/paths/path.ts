import type { DossierCase, TaskDecision, TaskView } from '../casebook';
import type { CitizenContext } from '../citizen';
import type { Claims } from '../http';

/** The code procedures, and those published as data (run by the interpreter workflow): business registration is data since its retirement. */
export type ProcedureId = 'civil-status-extract' | 'business-registration' | 'traffic-fine' | 'marital-status-certificate' | 'birth-registration';

/** One dossier's plan: what is filed and by whom, what staff decide, what the citizen does next. */
export interface DossierPlan {
  filer: Claims;
  /** The citizen who acts on the dossier after filing (the filer, or the vehicle's owner). */
  actor?: Claims;
  route: '/dossiers' | '/violations';
  body: unknown;
  decide(task: TaskView): TaskDecision;
  /** The citizen's part once the dossier is filed; resolves when nothing more is theirs to do. */
  afterFiling?(dossierId: string, dossier: DossierCase): Promise<void>;
}

/** A path through a procedure that the soak drives dossiers along. */
export interface SoakPath {
  id: string;
  procedure: ProcedureId;
  /** The path in words (docs/soak.md lists them). */
  what: string;
  /** The dossier's final status when it goes this way. */
  expected: string;
  plan(n: number, ctx: CitizenContext): DossierPlan;
}

export const citizen = (pin: string): Claims => ({ sub: pin, role: 'citizen' });

/** Review rounds are numbered in the task's context (business registration). */
export function roundOf(task: TaskView): number {
  const round = task.context?.round;
  return typeof round === 'number' ? round : 1;
}

/** Fixed-width letters for a number: names built from it differ in letters, never only in digits. */
export function letters(n: number, width = 4): string {
  let out = '';
  let rest = Math.floor(n);
  for (let i = 0; i < width; i += 1) {
    out = String.fromCharCode(97 + (rest % 26)) + out;
    rest = Math.floor(rest / 26);
  }
  return out;
}

/** The city's calendar date (UTC+07:00) `days` from now. */
export function localDate(days = 0): string {
  return new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
