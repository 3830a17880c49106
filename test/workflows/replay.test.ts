import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

// Histories recorded from runs of each workflow (RECORD_HISTORIES=1 with the workflow test files,
// not this one, which would read them half-written)
// must replay on the current code without a determinism error: a change to a workflow that running
// dossiers use must be versioned (patched()) or this test fails.
const HISTORIES = path.join(__dirname, '../histories');

describe('replay of recorded histories', () => {
  it('has at least one recorded history per workflow', async () => {
    const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(
      expect.arrayContaining([
        'platform-check.json',
        'civil-status-extract-approved.json',
        'civil-status-extract-archive-found.json',
        'civil-status-extract-cancelled.json',
        'business-registration-approved.json',
        'business-registration-supplement.json',
        // The lean path: store calls as local activities (DossierRun's 'lean-path-local-store').
        'civil-status-extract-approved-lean-path.json',
        'civil-status-extract-archive-found-lean-path.json',
        'civil-status-extract-cancelled-lean-path.json',
        'business-registration-approved-lean-path.json',
        'business-registration-supplement-lean-path.json',
        // The registry checks side by side (DossierRun's 'lean-path-v2', its only marker).
        'civil-status-extract-approved-lean-path-v2.json',
        'civil-status-extract-archive-found-lean-path-v2.json',
        'civil-status-extract-cancelled-lean-path-v2.json',
        'business-registration-approved-lean-path-v2.json',
        'business-registration-supplement-lean-path-v2.json',
        'traffic-fine-paid-lean-path-v2.json',
        'traffic-fine-published-lean-path-v2.json',
        'traffic-fine-dispute-upheld-lean-path-v2.json',
        'traffic-fine-paid.json',
        'traffic-fine-published.json',
        'traffic-fine-dispute-upheld.json',
      ]),
    );
  });

  it('replays every recorded history on the current workflow code', async () => {
    const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json'));
    for (const file of files) {
      const history = JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8'));
      await expect(
        Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, `replay-${file}`),
      ).resolves.toBeUndefined();
    }
  });
});
