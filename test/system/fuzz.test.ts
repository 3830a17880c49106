import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { failureReport, findSchemathesis, runSchemathesis, statusCounts, type FuzzRun } from '../fuzz/schemathesis';
import { devToken, startEmbeddedSystem, type RunningSystem } from '../fuzz/system';

// Schemathesis against `npm start` (embedded defaults, dev mode): one run per role, each through
// every phase (the document's examples, coverage, fuzzing, stateful sequences following the
// document's links). No answer may be a server error or fall outside the document. Rate limits are
// off so that the fuzzer is not throttled into 429s. FUZZ_MAX_EXAMPLES / FUZZ_SEED for longer or
// reproducible runs (the seed of a failed run is in its report).
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 30);
// 37 operations now; the citizen's run also files the five procedures' dossiers (73 in a quiet run
// of about a minute). Beside the rest of `npm test` on a 2-core machine it took over 150 s twice.
const RUN_TIMEOUT_MS = Number(process.env.FUZZ_RUN_TIMEOUT_MS ?? 300_000);
/** Fewer requests than this in a run means it did not really test (e.g. everything refused as unauthenticated). */
const MIN_REQUESTS_PER_RUN = 800;

const ROLES = [
  { label: 'citizen', claims: { sub: '079088004127', role: 'citizen' } },
  { label: 'clerk', claims: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' } },
  { label: 'supervisor', claims: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' } },
];

jest.setTimeout(Math.max(240_000, 120_000 + ROLES.length * RUN_TIMEOUT_MS));

describe('schemathesis against the OpenAPI document', () => {
  let system: RunningSystem | undefined;
  let reportDir: string;
  let passed = false;

  afterAll(async () => {
    if (system) {
      await system.stop();
      await rm(system.dataDir, { recursive: true, force: true });
    }
    // A failed run's reports (HAR: every request and answer) stay for a look.
    if (reportDir && passed && !process.env.FUZZ_KEEP_REPORTS) await rm(reportDir, { recursive: true, force: true });
  });

  it('finds no server error and no answer outside the document, as citizen, clerk and supervisor, and files dossiers', async () => {
    // Not skipped when missing: `.ci/run` installs it, and a skipped fuzzer is one nobody notices is gone.
    const { bin } = findSchemathesis();
    reportDir = await mkdtemp(path.join(os.tmpdir(), 'procedures-fuzz-'));
    system = await startEmbeddedSystem('procedures-fuzz-', {
      RATE_LIMIT_FILINGS: '0',
      RATE_LIMIT_VERIFICATIONS: '0',
      RATE_LIMIT_DEV_TOKENS: '0',
    });
    const schemaUrl = `${system.origin}/api/v1/openapi.json`;

    const runs: FuzzRun[] = [];
    // The citizen first: its filings give the clerk tasks and the supervisor dossiers to work on.
    for (const role of ROLES) {
      const token = await devToken(system.origin, role.claims);
      runs.push(
        await runSchemathesis(bin, {
          schemaUrl,
          label: role.label,
          headers: { Authorization: `Bearer ${token}` },
          reportDir,
          maxExamples: MAX_EXAMPLES,
          timeoutMs: RUN_TIMEOUT_MS,
          seed: process.env.FUZZ_SEED,
        }),
      );
    }

    const summary = runs.map((r) => `${r.label}: ${r.entries.length} requests, ${statusCounts(r.entries).get('POST /api/v1/dossiers 201') ?? 0} filed`);
    process.stdout.write(`schemathesis (max ${MAX_EXAMPLES} examples, reports in ${reportDir}): ${summary.join('; ')}\n`);
    const failed = runs.filter((r) => r.exitCode !== 0 || r.timedOut);
    if (failed.length > 0) throw new Error(`${failed.map(failureReport).join('\n\n')}\n\nReports (HAR) in ${reportDir}`);
    for (const run of runs) {
      const serverErrors = run.entries.filter((e) => e.response.status >= 500);
      expect({ run: run.label, serverErrors: serverErrors.map((e) => `${e.request.method} ${e.request.url} ${e.response.status}`) }).toEqual({
        run: run.label,
        serverErrors: [],
      });
      expect({ run: run.label, requests: run.entries.length >= MIN_REQUESTS_PER_RUN }).toEqual({ run: run.label, requests: true });
    }
    // The document's example filings reach a real filing (and from there, links to the dossier).
    const filed = statusCounts(runs[0]!.entries).get('POST /api/v1/dossiers 201') ?? 0;
    expect(filed).toBeGreaterThan(0);
    passed = true;
  });
});
