import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Schemathesis (from PyPI: `pip install schemathesis==4.*`) run against the system's own OpenAPI
 * document: every answer must be declared there (status, content type, body, headers) and none may
 * be a server error. `.ci/run` installs it; the test fails, naming the install, where it is missing.
 */
export const SCHEMATHESIS_PACKAGE = 'schemathesis==4.32.5';

/** What each answer is checked for (`schemathesis run --help` lists them). */
export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'unsupported_method',
  'allow_header_conformance',
  'missing_required_header',
  'ignored_auth',
  'use_after_free',
  // Not `ensure_resource_availability`: it expects every GET its inferred links lead to from a 201
  // to answer, and `GET /dossiers/{id}/document` rightly answers 404 until a document is issued.
  // Nor `negative_data_rejection` / `positive_data_acceptance`: the document cannot express every
  // rule (registry lookups, procedure rules).
];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pythonScriptsDir(): string | undefined {
  try {
    return execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_path('scripts'))"], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** `schemathesis` on PATH or in Python's scripts directory (where `pip install` puts it), at major version 4. */
export function findSchemathesis(): { bin: string; version: string } {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), pythonScriptsDir()].filter((d): d is string => Boolean(d));
  const bin = dirs.map((d) => path.join(d, 'schemathesis')).find(executable);
  if (!bin) {
    throw new Error(
      `schemathesis is not installed (not on PATH nor in Python's scripts directory): ` +
        `run \`python3 -m pip install ${SCHEMATHESIS_PACKAGE}\` (bash .ci/run does)`,
    );
  }
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim().replace(/^schemathesis, version /, '');
  if (!version.startsWith('4.')) throw new Error(`${bin} is schemathesis ${version}; this test drives the v4 CLI: pip install ${SCHEMATHESIS_PACKAGE}`);
  return { bin, version };
}

export interface HarEntry {
  request: { method: string; url: string };
  response: { status: number; content?: { mimeType?: string; text?: string } };
}

export interface FuzzRun {
  label: string;
  exitCode: number | null;
  timedOut: boolean;
  output: string;
  /** Every request schemathesis made, with its answer (its HAR report). */
  entries: HarEntry[];
  command: string[];
}

export interface FuzzOptions {
  schemaUrl: string;
  /** Names the run (and its report file). */
  label: string;
  headers?: Record<string, string>;
  reportDir: string;
  maxExamples: number;
  /** The run is killed after this long (and counts as failed). */
  timeoutMs: number;
  seed?: string;
}

/** One `schemathesis run` (every phase: examples, coverage, fuzzing, stateful), with its HAR report read back. */
export async function runSchemathesis(bin: string, options: FuzzOptions): Promise<FuzzRun> {
  const har = path.join(options.reportDir, `${options.label}.har`);
  const args = [
    'run',
    options.schemaUrl,
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    String(options.maxExamples),
    '--generation-database',
    'none',
    '--no-color',
    '--report',
    'har',
    '--report-har-path',
    har,
    ...(options.seed ? ['--seed', options.seed] : []),
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
  ];
  const child: ChildProcess = spawn(bin, args, {
    cwd: options.reportDir,
    env: { ...process.env, NO_COLOR: '1', COLUMNS: '160' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  let entries: HarEntry[] = [];
  try {
    entries = (JSON.parse(await readFile(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
  } catch {
    // No report (killed, or it stopped before testing): the exit code says so.
  }
  const shown = args.map((a) => (a.startsWith('Authorization:') ? 'Authorization: Bearer …' : a));
  return { label: options.label, exitCode, timedOut, output, entries, command: [bin, ...shown] };
}

/** Counts per `METHOD path-template status`, e.g. `POST /api/v1/dossiers 201`. */
export function statusCounts(entries: HarEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const key = `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** What a failed run reports: from its FAILURES / ERRORS sections on, or its last lines. */
export function failureReport(run: FuzzRun): string {
  const start = run.output.search(/^=+ (FAILURES|ERRORS) =+$/m);
  const text = start >= 0 ? run.output.slice(start) : run.output.split('\n').slice(-60).join('\n');
  return `schemathesis run "${run.label}" ${run.timedOut ? 'timed out' : `exited ${run.exitCode}`}\n$ ${run.command.join(' ')}\n${text.slice(0, 20_000)}`;
}
