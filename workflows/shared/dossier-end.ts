import type { PeopleText } from '../../common/bilingual';

/**
 * How a run ends early, from any step: thrown by the machinery (or by `refuse`) and turned into the
 * closing of the dossier by `DossierRun.execute`, so a procedure's workflow reads as its happy path.
 */
export class DossierEnd extends Error {}

export class Refusal extends DossierEnd {
  constructor(
    readonly step: string,
    readonly actor: string,
    /** What the applicant is told: the deciding person's words, or the engine's in both languages. */
    readonly reason: PeopleText,
  ) {
    super(typeof reason === 'string' ? reason : reason.en);
  }
}

export class Cancellation extends DossierEnd {}

/** The applicant did not answer in time. */
export class Lapse extends DossierEnd {
  constructor(
    readonly step: string,
    readonly note: PeopleText,
  ) {
    super(typeof note === 'string' ? note : note.en);
  }
}
