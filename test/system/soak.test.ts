import { workflowBundle } from '../support/temporal';
import { DEFAULT_OPTIONS, withDerivedDefaults } from '../soak/options';
import { PATHS } from '../soak/paths';
import { describeResult } from '../soak/report';
import { quietTemporalRuntime } from '../soak/runtime';
import { runSoak } from '../soak/soak';

// The soak of `npm run soak` (docs/soak.md), small: 40 dossiers along every path (19) of the five
// procedures (the three in code, and the two published as data, run by the interpreter workflow),
// filed and driven through the HTTP API by automated citizens and staff, on an API process and two
// worker processes with a workflow cache of 5 (evicted workflows replay), with two workers and the
// Temporal dev server killed by SIGKILL on the way. Every history, closed and open, the
// interpreter's included, is then replayed on the current workflow code. Any nondeterminism, wedged
// dossier, duplicate or 500 fails it.
const DOSSIERS = 40;

describe('soak: every path of every procedure, workers and Temporal killed on the way', () => {
  it('closes every dossier once, with no nondeterminism, duplicate or 500, and every history replays', async () => {
    quietTemporalRuntime();
    const options = withDerivedDefaults({
      ...DEFAULT_OPTIONS,
      label: 'npm-test',
      dossiers: DOSSIERS,
      workerKills: 2,
      // Cheap (the dev server is back in about 4 s): clients see 503s and retry, workers reconnect.
      temporalRestarts: 1,
      databaseOutageSeconds: 0,
      // A fresh database on TEST_DATABASE_URL's server, as every integration test uses.
      database: 'server',
      filingRate: 2,
      faultGapSeconds: 15,
      restartDelaySeconds: 2,
      // The lapse and the publication happen 1-2 minutes after their wait opens.
      applicantMinutes: 1,
      settleSeconds: 180,
      progressSeconds: 30,
      workflowBundle: workflowBundle(),
    });
    const lines: string[] = [];
    const result = await runSoak(options, (line) => lines.push(line));
    process.stdout.write(`${lines.join('\n')}\n${describeResult(result)}\n`);

    expect(Object.entries(result.dossiers.byPath).filter(([, p]) => p.filed === 0).map(([id]) => id)).toEqual([]);
    expect(Object.keys(result.dossiers.byPath)).toHaveLength(PATHS.length);
    expect(result.faults.done).toEqual({ 'worker-kill': 2, 'temporal-restart': 1, 'database-outage': 0 });
    const nondeterministic = (message: string) => /nondetermin|TMPRL1100/i.test(message);
    expect({
      lost: [...result.dossiers.lost.map((l) => `${l.dossierId}: ${l.what}`), ...result.dossiers.filingsGivenUp.map((f) => `filing ${f.n} (${f.path}): ${f.error}`)],
      wedged: result.openDossiers.map((o) => `${o.dossierId} (${o.path}): ${o.reason}`),
      replayFailures: result.replay.byError.map((g) => `${g.count} × ${g.error}`),
      nondeterministicWorkflowTasks: result.replay.workflowTaskFailures.byError.filter((g) => nondeterministic(g.error)).map((g) => `${g.count} × ${g.error}`),
      nondeterminismInWorkerLogs: result.workerLogs.nondeterminismLines,
      duplicateMail: [...result.duplicates.mail.sameMessageTwice, ...result.duplicates.mail.sameRecipientAndSubjectTwice].map((d) => `${d.to}: ${d.subject} ×${d.deliveries} (${(d.idempotencyKeys ?? d.messageIds).join(', ')})`),
      doubleCharges: result.duplicates.doubleCharges,
      duplicateCodes: [...result.duplicates.codes, ...result.duplicates.codeMismatches],
      duplicateRuns: result.workflows.runsPerIdAboveOne,
      storedButNotFiled: result.dossiers.storedButNotFiled,
      serverErrors: result.http.serverErrors.map((e) => `${e.status} ${e.method} ${e.route}: ${e.body.slice(0, 200)}`),
    }).toEqual({
      lost: [],
      wedged: [],
      replayFailures: [],
      nondeterministicWorkflowTasks: [],
      nondeterminismInWorkerLogs: 0,
      duplicateMail: [],
      doubleCharges: [],
      duplicateCodes: [],
      duplicateRuns: [],
      storedButNotFiled: [],
      serverErrors: [],
    });
    expect(result.replay.histories).toBe(result.dossiers.workflows);
  }, 15 * 60_000);
});
