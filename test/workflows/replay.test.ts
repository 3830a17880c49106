import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { LEAN_STEPS } from '../../workflows/defined-procedure';
import { quietRuntime, workflowBundle } from '../support/temporal';

// Histories recorded from runs of each workflow, one folder per supported workflow version
// (`test/histories/<version>/`, written by the workflow test files with RECORD_HISTORIES=1), must
// replay on the current code without a determinism error: a change to a workflow's commands is
// versioned with patched() (docs/versioning.md), or this test fails.
const HISTORIES = path.join(__dirname, '../histories');

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

interface RecordedHistory {
  events: Array<{ markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> } }>;
}

/** The ids of the patches a recorded history's markers name (`core_patch` markers; each payload is `{"id": …}` as base64 JSON). */
function patchesOf(history: RecordedHistory): string[] {
  return history.events
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_patch')
    .flatMap((m) => m?.details?.['patch-data']?.payloads ?? [])
    .map((p) => (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8')) as { id?: string }).id ?? '');
}

async function readHistory(file: string): Promise<RecordedHistory> {
  return JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8')) as RecordedHistory;
}

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

  it('each 1.3 history carries the LEAN_STEPS marker, and no 1.1 or 1.2 history does', async () => {
    for (const file of await historyFiles()) {
      const patches = patchesOf(await readHistory(file));
      if (file.startsWith(`1.3${path.sep}`)) expect({ file, lean: patches.includes(LEAN_STEPS) }).toEqual({ file, lean: true });
      if (file.startsWith(`1.1${path.sep}`) || file.startsWith(`1.2${path.sep}`)) expect({ file, lean: patches.includes(LEAN_STEPS) }).toEqual({ file, lean: false });
    }
  });

  it('replays every recorded history of every supported version on the current workflow code', async () => {
    const files = await historyFiles();
    expect(files.length).toBeGreaterThanOrEqual(BASELINE.length + 2 * INTERPRETER.length + INTERPRETER_1_3.length);
    expect(files.filter((f) => f.startsWith(`1.1${path.sep}`))).toHaveLength(INTERPRETER.length);
    expect(files.filter((f) => f.startsWith(`1.3${path.sep}`))).toHaveLength(INTERPRETER_1_3.length);
    for (const file of files) {
      const history = await readHistory(file);
      await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, `replay-${path.basename(file)}`)).resolves.toBeUndefined();
    }
  });
});
