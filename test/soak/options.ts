import path from 'node:path';
import type { WorkflowBundleOption } from '@temporalio/worker';

/**
 * What a soak run does: how many dossiers, which faults, how fast. Every option has an environment
 * variable (`SOAK_DOSSIERS=60`) and a flag (`--dossiers=60`); the flag wins. docs/soak.md lists them.
 */
export interface SoakOptions {
  /** Names the result file: bench/results/soak-<date>-<label>.json. */
  label: string;
  dossiers: number;
  /** Worker processes (`tsx worker/main.ts`), each with `WORKER_MAX_CACHED_WORKFLOWS=workerCache`. */
  workers: number;
  workerCache: number;
  workerKills: number;
  temporalRestarts: number;
  /** Seconds the database is stopped (`pg_ctl stop -m fast`), once; 0: no outage. */
  databaseOutageSeconds: number;
  /**
   * `cluster`: a throwaway PostgreSQL cluster of the soak's own (initdb + pg_ctl under the run
   * directory), which it can stop; `server`: a fresh database on TEST_DATABASE_URL's server, which it
   * never stops (no database outage then).
   */
  database: 'cluster' | 'server';
  /** Filings per second at most (the filings are also spread over the whole fault phase). */
  filingRate: number;
  /** Citizens acting at once (filing, answering); one waiting minutes for a deadline does not count. */
  concurrency: number;
  /** Seconds at least between two faults (each also waits for the system to be back). */
  faultGapSeconds: number;
  /** Seconds a killed worker or Temporal server stays down before it is started again. */
  restartDelaySeconds: number;
  /** The applicant's time to answer (supplement, notice), in minutes: the lapse and the publication happen after it. */
  applicantMinutes: number;
  /** Bound on the settle period after the last filing and fault, in seconds. */
  settleSeconds: number;
  /** Where the result file goes. */
  resultsDir: string;
  /** Keep the run directory (logs, Temporal's SQLite file, the cluster) instead of deleting it. */
  keepRunDir: boolean;
  /** Progress lines on stdout every this many seconds; 0: quiet. */
  progressSeconds: number;
  /** The workflow bundle to replay with (jest's global setup builds one); default: bundle workflows/ here. */
  workflowBundle?: WorkflowBundleOption;
}

const ROOT = path.join(__dirname, '../..');

export const DEFAULT_OPTIONS: SoakOptions = {
  label: 'run',
  dossiers: 600,
  workers: 2,
  workerCache: 5,
  workerKills: 10,
  temporalRestarts: 3,
  databaseOutageSeconds: 25,
  database: 'cluster',
  filingRate: 1.5,
  concurrency: 24,
  faultGapSeconds: 20,
  restartDelaySeconds: 3,
  applicantMinutes: 3,
  settleSeconds: 0,
  resultsDir: path.join(ROOT, 'bench/results'),
  keepRunDir: false,
  progressSeconds: 15,
};

/** Option name → environment variable. */
const ENV: Record<Exclude<keyof SoakOptions, 'workflowBundle'>, string> = {
  label: 'SOAK_LABEL',
  dossiers: 'SOAK_DOSSIERS',
  workers: 'SOAK_WORKERS',
  workerCache: 'SOAK_WORKER_CACHE',
  workerKills: 'SOAK_WORKER_KILLS',
  temporalRestarts: 'SOAK_TEMPORAL_RESTARTS',
  databaseOutageSeconds: 'SOAK_DB_OUTAGE_S',
  database: 'SOAK_DATABASE',
  filingRate: 'SOAK_FILING_RATE',
  concurrency: 'SOAK_CONCURRENCY',
  faultGapSeconds: 'SOAK_FAULT_GAP_S',
  restartDelaySeconds: 'SOAK_RESTART_DELAY_S',
  applicantMinutes: 'SOAK_APPLICANT_MINUTES',
  settleSeconds: 'SOAK_SETTLE_S',
  resultsDir: 'SOAK_RESULTS_DIR',
  keepRunDir: 'SOAK_KEEP',
  progressSeconds: 'SOAK_PROGRESS_S',
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `--dossiers=60`, `--keep-run-dir`, `--label before` → name/value pairs. */
function flags(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}: options are --name=value (see docs/soak.md)`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const next = argv[i + 1];
    if (inline !== undefined) out.set(name!, inline);
    else if (next !== undefined && !next.startsWith('--')) {
      out.set(name!, next);
      i += 1;
    } else out.set(name!, 'true');
  }
  return out;
}

function parseValue<K extends keyof SoakOptions>(name: K, raw: string): SoakOptions[K] {
  const fallback = DEFAULT_OPTIONS[name];
  if (typeof fallback === 'number') {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${ENV[name as keyof typeof ENV]} / --${kebab(name)}: a number ≥ 0, got ${JSON.stringify(raw)}`);
    return value as SoakOptions[K];
  }
  if (typeof fallback === 'boolean') return (raw === 'true' || raw === '1') as SoakOptions[K];
  if (name === 'database' && raw !== 'cluster' && raw !== 'server') throw new Error(`SOAK_DATABASE / --database: cluster or server, got ${JSON.stringify(raw)}`);
  return raw as SoakOptions[K];
}

/** The options of `npm run soak`: defaults, then the environment, then the flags. */
export function soakOptionsFrom(env: NodeJS.ProcessEnv, argv: readonly string[]): SoakOptions {
  const given = flags(argv);
  const options: SoakOptions = { ...DEFAULT_OPTIONS };
  const known = new Set(Object.keys(ENV).map(kebab));
  for (const name of given.keys()) if (!known.has(name)) throw new Error(`Unknown option --${name} (see docs/soak.md)`);
  for (const name of Object.keys(ENV) as Array<keyof typeof ENV>) {
    const raw = given.get(kebab(name)) ?? env[ENV[name]];
    if (raw !== undefined && raw !== '') Object.assign(options, { [name]: parseValue(name, raw) });
  }
  return withDerivedDefaults(options);
}

/** The settle bound follows the applicant's time unless given: a lapse filed last must have the time to happen. */
export function withDerivedDefaults(options: SoakOptions): SoakOptions {
  const settleSeconds = options.settleSeconds > 0 ? options.settleSeconds : options.applicantMinutes * 60 + 240;
  const databaseOutageSeconds = options.database === 'server' ? 0 : options.databaseOutageSeconds;
  return { ...options, settleSeconds, databaseOutageSeconds, dossiers: Math.floor(options.dossiers) };
}

export const soakEnvironmentVariables = ENV;
