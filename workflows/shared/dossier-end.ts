/**
 * How a run ends early, from any step: thrown by the machinery (or by `refuse`) and turned into the
 * closing of the dossier by `DossierRun.execute`, so a procedure's workflow reads as its happy path.
 */
export class DossierEnd extends Error {}

export class Refusal extends DossierEnd {
  constructor(
    readonly step: string,
    readonly actor: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class Cancellation extends DossierEnd {}

/** The applicant did not answer in time. */
export class Lapse extends DossierEnd {
  constructor(
    readonly step: string,
    readonly note: string,
  ) {
    super(note);
  }
}
