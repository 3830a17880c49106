import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
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

  it('replays every recorded history of every supported version on the current workflow code', async () => {
    const files = await historyFiles();
    expect(files.length).toBeGreaterThanOrEqual(BASELINE.length + INTERPRETER.length);
    expect(files.filter((f) => f.startsWith(`1.1${path.sep}`))).toHaveLength(INTERPRETER.length);
    for (const file of files) {
      const history = JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8'));
      await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, `replay-${path.basename(file)}`)).resolves.toBeUndefined();
    }
  });
});
