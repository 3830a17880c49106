import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { LEAN_STEPS } from '../../workflows/defined-procedure';
import { TASK_IN_ONE_CALL } from '../../workflows/shared/human-tasks';
import { quietRuntime, workflowBundle } from '../support/temporal';
import { activitiesOf, CODE_PREFIX, HISTORIES, patchesOf, readHistory } from './history-recording';

// Histories recorded from runs of each workflow, one folder per supported workflow version
// (`test/histories/<version>/`, written by the workflow test files with RECORD_HISTORIES=1, see
// history-recording.ts), must replay on the current code without a determinism error: a change to a
// workflow's commands is versioned with patched() (docs/versioning.md), or this test fails.

/** Every path of the 1.0 baseline, one history each. */
const BASELINE = [
  'platform-check',
  'civil-status-extract-approved',
  'civil-status-extract-archive-found',
  'civil-status-extract-archive-not-found',
  'civil-status-extract-cancelled',
  'civil-status-extract-identity-refused',
  'civil-status-extract-not-entitled',
  'civil-status-extract-refused',
  'business-registration-approved',
  'business-registration-supplement',
  'business-registration-supplement-lapsed',
  'business-registration-refused',
  'business-registration-cancelled',
  'traffic-fine-paid',
  'traffic-fine-published',
  'traffic-fine-dispute-upheld',
  'traffic-fine-dispute-dismissed',
  'traffic-fine-accepted-published',
  'traffic-fine-deliver-notice',
  'traffic-fine-owner-found-by-officer',
  'traffic-fine-plate-read',
];

/**
 * 1.1: the interpreter of procedures published as data (`definedProcedureWorkflow`), one history per
 * path of each published document (test/workflows/defined-procedure.test.ts).
 */
const INTERPRETER = [
  'marital-status-certificate-approved',
  'marital-status-certificate-refused',
  'marital-status-certificate-supplement',
  'marital-status-certificate-supplement-lapsed',
  'marital-status-certificate-cancelled',
  'marital-status-certificate-married-refused',
  'marital-status-certificate-married-other-purpose',
  'marital-status-certificate-unknown-applicant',
  'marital-status-certificate-mismatch',
  'marital-status-certificate-extended',
  'marital-status-certificate-extended-refused',
  'birth-registration-registered',
  'birth-registration-refused',
  'birth-registration-supplement',
  'birth-registration-supplement-lapsed',
  'birth-registration-cancelled',
  'birth-registration-unknown-parent',
];

/**
 * 1.3: the interpreter since LEAN_STEPS, one history per path of each shipped document: the 1.1 and
 * 1.2 paths, and the civil-status extract's and business registration's since they are documents
 * (test/workflows/defined-procedure*.test.ts).
 */
const INTERPRETER_1_3 = [
  ...INTERPRETER,
  'civil-status-extract-approved',
  'civil-status-extract-archive-found',
  'civil-status-extract-archive-not-found',
  'civil-status-extract-not-entitled',
  'civil-status-extract-too-little',
  'civil-status-extract-identity-refused',
  'civil-status-extract-cancelled',
  // Version 2 of the extract's document (its verify-and-sign shows registry views).
  'civil-status-extract-v2-archive-found',
  'business-registration-approved',
  'business-registration-supplement',
  'business-registration-supplement-lapsed',
  'business-registration-unknown-founder',
  'business-registration-name-taken',
  'business-registration-household-ward',
];

/** Paths that open no task: TASK_IN_ONE_CALL changes none of their commands, and their earlier histories stand for them. */
const WITHOUT_TASK = [
  'platform-check',
  'civil-status-extract-identity-refused',
  'civil-status-extract-not-entitled',
  'civil-status-extract-too-little',
  'business-registration-unknown-founder',
  'marital-status-certificate-married-refused',
  'marital-status-certificate-unknown-applicant',
  'marital-status-certificate-mismatch',
  'birth-registration-unknown-parent',
];

/**
 * 1.4: since TASK_IN_ONE_CALL (a task opens in one call), every path that opens a task: the
 * interpreter's (the 1.3 paths, and version 2 of the extract's electronic path) and those of the
 * workflows written as code (the 1.0 paths, named `code-<path>`).
 */
const TASK_IN_ONE_CALL_1_4 = [
  ...INTERPRETER_1_3.filter((p) => !WITHOUT_TASK.includes(p)),
  'civil-status-extract-v2-approved',
  ...BASELINE.filter((p) => !WITHOUT_TASK.includes(p)).map((p) => `${CODE_PREFIX}${p}`),
];

async function historyFiles(): Promise<string[]> {
  const versions = await readdir(HISTORIES);
  const files = await Promise.all(versions.map(async (v) => (await readdir(path.join(HISTORIES, v))).map((f) => path.join(v, f))));
  return files.flat().filter((f) => f.endsWith('.json'));
}

describe('replay of recorded histories', () => {
  beforeAll(() => quietRuntime());

  it('has the 1.0 baseline: one history per path of every workflow', async () => {
    const baseline = (await readdir(path.join(HISTORIES, '1.0'))).map((f) => f.replace(/\.json$/, ''));
    expect(baseline.sort()).toEqual([...BASELINE].sort());
  });

  it("has the 1.1 histories: one per path of the interpreter's published documents", async () => {
    const recorded = (await readdir(path.join(HISTORIES, '1.1'))).map((f) => f.replace(/\.json$/, ''));
    expect(recorded.sort()).toEqual([...INTERPRETER].sort());
  });

  it('has the 1.2 histories: the same paths since MAIL_ASIDE (a mail to the applicant goes out beside the run)', async () => {
    const recorded = (await readdir(path.join(HISTORIES, '1.2'))).map((f) => f.replace(/\.json$/, ''));
    expect(recorded.sort()).toEqual([...INTERPRETER].sort());
  });

  it('has the 1.3 histories: every path of every shipped document since LEAN_STEPS (fewer calls one after the other)', async () => {
    const recorded = (await readdir(path.join(HISTORIES, '1.3'))).map((f) => f.replace(/\.json$/, ''));
    expect(recorded.sort()).toEqual([...INTERPRETER_1_3].sort());
  });

  it('has the 1.4 histories: every path that opens a task since TASK_IN_ONE_CALL, of the interpreter and of the workflows written as code', async () => {
    const recorded = (await readdir(path.join(HISTORIES, '1.4'))).map((f) => f.replace(/\.json$/, ''));
    expect(recorded.sort()).toEqual([...TASK_IN_ONE_CALL_1_4].sort());
  });

  it('each 1.3 history and each 1.4 history of the interpreter carries the LEAN_STEPS marker, and no 1.1 or 1.2 history does', async () => {
    for (const file of await historyFiles()) {
      const patches = patchesOf(await readHistory(file));
      const interpreter14 = file.startsWith(`1.4${path.sep}`) && !path.basename(file).startsWith(CODE_PREFIX);
      if (file.startsWith(`1.3${path.sep}`) || interpreter14) expect({ file, lean: patches.includes(LEAN_STEPS) }).toEqual({ file, lean: true });
      if (file.startsWith(`1.1${path.sep}`) || file.startsWith(`1.2${path.sep}`)) expect({ file, lean: patches.includes(LEAN_STEPS) }).toEqual({ file, lean: false });
    }
  });

  it('each 1.4 history carries the TASK_IN_ONE_CALL marker and opens its tasks in one call; no earlier history does either', async () => {
    for (const file of await historyFiles()) {
      const history = await readHistory(file);
      const activities = activitiesOf(history);
      const seen = { file, marker: patchesOf(history).includes(TASK_IN_ONE_CALL), inOneCall: activities.includes('openPlannedTask'), openTask: activities.includes('openTask') };
      if (file.startsWith(`1.4${path.sep}`)) expect(seen).toEqual({ file, marker: true, inOneCall: true, openTask: false });
      else expect(seen).toMatchObject({ file, marker: false, inOneCall: false });
    }
  });

  it('replays every recorded history of every supported version on the current workflow code', async () => {
    const files = await historyFiles();
    expect(files.length).toBeGreaterThanOrEqual(BASELINE.length + 2 * INTERPRETER.length + INTERPRETER_1_3.length + TASK_IN_ONE_CALL_1_4.length);
    expect(files.filter((f) => f.startsWith(`1.1${path.sep}`))).toHaveLength(INTERPRETER.length);
    expect(files.filter((f) => f.startsWith(`1.3${path.sep}`))).toHaveLength(INTERPRETER_1_3.length);
    expect(files.filter((f) => f.startsWith(`1.4${path.sep}`))).toHaveLength(TASK_IN_ONE_CALL_1_4.length);
    for (const file of files) {
      const history = await readHistory(file);
      await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, `replay-${path.basename(file)}`)).resolves.toBeUndefined();
    }
  });

  it('replays them all on one worker too, as a worker takes up many dossiers: each after the first of a document shares its interpretation', async () => {
    const files = await historyFiles();
    const histories = await Promise.all(files.map(async (file) => ({ workflowId: `replay-${file}`, history: await readHistory(file) })));
    const failed: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
      if (result.error) failed.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failed).toEqual([]);
  });
});
