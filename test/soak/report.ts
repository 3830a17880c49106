import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DossierCase } from './casebook';
import { CLOSED_STATUSES } from './citizen';
import type { FaultKind, FaultRecord } from './faults';
import type { ServerError } from './http';
import { bare, type DatabaseAccount, type OpenWorkflow, type WorkflowRun } from './inventory';
import type { Duplicate } from './mail-sink';
import type { LoggedError } from './processes';
import type { SoakOptions } from './options';
import type { SoakPath } from './paths';
import { genericMessage, type ErrorGroup, type ReplayAccount } from './replay';

/**
 * The result of a soak run: what was filed, stored and run; what closed and what is still open
 * (and why); duplicates of every kind; the HTTP answers; the faults; the replay of every history;
 * and the goal line. Printed, and written to bench/results/soak-<date>-<label>.json.
 */

export interface OpenDossier {
  dossierId: string;
  path: string;
  status: string;
  currentStep: string;
  workflowStatus: string;
  /** In words: what it waits for, and what keeps failing. */
  reason: string;
  openTasks: Array<{ taskId: string; step: string; unitCode: string; status: string }>;
  temporal?: OpenWorkflow;
  citizen?: string;
}

export interface LoggedErrorGroup extends LoggedError {
  count: number;
}

export interface Goal {
  goal: string;
  value: number | string;
  met: boolean;
}

export interface SoakResult {
  label: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  code: { commit: string; branch: string; dirty: boolean };
  machine: { cpus: number; loadAverageAtEnd: number[] };
  options: Omit<SoakOptions, 'workflowBundle' | 'resultsDir'>;
  dossiers: {
    planned: number;
    filed: number;
    filingsGivenUp: Array<{ n: number; path: string; error: string }>;
    stored: number;
    workflows: number;
    closed: number;
    open: number;
    lost: Array<{ dossierId: string; what: string }>;
    storedButNotFiled: string[];
    byPath: Record<string, { procedure: string; what: string; expected: string; filed: number; outcomes: Record<string, number>; unexpected: number }>;
    deviations: Array<{ dossierId: string; path: string; what: string[] }>;
  };
  openDossiers: OpenDossier[];
  workflows: { byStatus: Record<string, number>; failedOrTerminated: Array<{ workflowId: string; status: string }>; runsPerIdAboveOne: string[] };
  duplicates: {
    mail: { delivered: number; sameMessageTwice: Duplicate[]; sameRecipientAndSubjectTwice: Duplicate[] };
    doubleCharges: DatabaseAccount['doubleCharges'];
    codes: DatabaseAccount['duplicateCodes'];
    codeMismatches: DatabaseAccount['codeMismatches'];
  };
  http: {
    byStatus: Record<string, number>;
    byRoute: Record<string, Record<string, number>>;
    /** The 500s grouped by status, method, route and body. */
    serverErrorGroups: Array<{ status: number; method: string; route: string; body: string; count: number; first: string; last: string }>;
    serverErrors: ServerError[];
  };
  /** Error lines of the API's and the workers' logs, grouped: what the 500s were, from the inside. */
  engineErrors: { api: LoggedErrorGroup[]; workers: LoggedErrorGroup[] };
  staff: { refusals: string[]; mostStuckSeenBySupervisor: number };
  faults: { planned: Record<FaultKind, number>; done: Record<FaultKind, number>; failed: number; log: FaultRecord[] };
  replay: ReplayAccount;
  workerLogs: { nondeterminismLines: number; workerStarts: number };
  warnings: string[];
  goals: Goal[];
  passed: boolean;
}

export interface ResultInputs {
  options: SoakOptions;
  startedAt: Date;
  paths: readonly SoakPath[];
  cases: readonly DossierCase[];
  database: DatabaseAccount;
  runs: WorkflowRun[];
  open: Map<string, OpenWorkflow>;
  mail: { delivered: number; sameMessageTwice: Duplicate[]; sameSubjectTwice: Duplicate[] };
  http: { byStatus: Record<string, number>; byRoute: Record<string, Record<string, number>>; serverErrors: ServerError[] };
  staff: { refusals: string[]; mostStuck: number; lastStuck: Array<{ dossierId: string; reason: string }> };
  faults: { planned: FaultKind[]; done: FaultRecord[] };
  replay: ReplayAccount;
  workerLogs: { nondeterminismLines: number; workerStarts: number };
  engineErrors: { api: LoggedError[]; workers: LoggedError[] };
  warnings: string[];
}

const NONDETERMINISM = /nondetermin|TMPRL1100/i;
/** The workflows that run a dossier: one per code procedure, and the interpreter of the procedures published as data. */
const DOSSIER_WORKFLOWS = new Set(['civilStatusExtractWorkflow', 'businessRegistrationWorkflow', 'trafficFineWorkflow', 'definedProcedureWorkflow']);

const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
};

function groupLogged(errors: readonly LoggedError[]): LoggedErrorGroup[] {
  const groups = new Map<string, LoggedErrorGroup>();
  for (const e of errors) {
    const key = JSON.stringify([e.msg, e.method, e.route, e.error && genericMessage(e.error)]);
    const group = groups.get(key) ?? { ...e, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function groupServerErrors(errors: readonly ServerError[]): SoakResult['http']['serverErrorGroups'] {
  const groups = new Map<string, SoakResult['http']['serverErrorGroups'][number]>();
  for (const e of errors) {
    const key = `${e.status} ${e.method} ${e.route} ${e.body}`;
    const group = groups.get(key) ?? { status: e.status, method: e.method, route: e.route, body: e.body, count: 0, first: e.at, last: e.at };
    group.count += 1;
    group.last = e.at;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function gitState(): SoakResult['code'] {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: path.join(__dirname, '../..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  return { commit: git('rev-parse', 'HEAD'), branch: git('rev-parse', '--abbrev-ref', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
}

/** Why a dossier is still open, in words: its step, what it waits for, what keeps failing. */
function reasonOf(row: { status: string; currentStep: string; awaitingKind: string | null } | undefined, tasks: OpenDossier['openTasks'], temporal: OpenWorkflow | undefined, stuck: string | undefined): string {
  const parts: string[] = [];
  if (!row) parts.push('no row in the database');
  else parts.push(`${row.status} at ${row.currentStep}`);
  if (row?.awaitingKind) parts.push(`waits for the applicant's ${row.awaitingKind}`);
  if (tasks.length > 0) parts.push(`open task(s): ${tasks.map((t) => `${t.step} at ${t.unitCode} (${t.status})`).join(', ')}`);
  if (temporal?.workflowTaskAttempt && temporal.workflowTaskAttempt > 1) {
    parts.push(`workflow task failing (attempt ${temporal.workflowTaskAttempt}): ${temporal.lastWorkflowTaskFailure ?? 'no failure in history'}`);
  }
  for (const a of temporal?.pendingActivities ?? []) {
    if (a.attempt > 1 || a.lastFailure) parts.push(`activity ${a.activity} attempt ${a.attempt}${a.lastFailure ? `: ${a.lastFailure}` : ''}`);
  }
  if (stuck) parts.push(`supervision: ${stuck}`);
  return parts.join('; ');
}

export function buildResult(input: ResultInputs): SoakResult {
  const { options, cases, database, runs } = input;
  const rows = new Map(database.dossiers.map((d) => [d.id, d]));
  const dossierRuns = runs.filter((r) => DOSSIER_WORKFLOWS.has(r.type));
  const latestRun = new Map(dossierRuns.map((r) => [r.workflowId, r]));
  const filed = cases.filter((c) => c.dossierId !== undefined);
  const filedIds = new Set(filed.map((c) => c.dossierId!));

  const lost: SoakResult['dossiers']['lost'] = [];
  for (const c of filed) {
    const id = c.dossierId!;
    if (!rows.has(id)) lost.push({ dossierId: id, what: 'filed (the client got its id), but no row in the database' });
    if (!latestRun.has(id)) lost.push({ dossierId: id, what: 'filed, but no workflow in Temporal' });
  }
  for (const r of dossierRuns) if (r.status === 'FAILED' || r.status === 'TERMINATED') lost.push({ dossierId: r.workflowId, what: `workflow ${r.status}` });

  const isClosed = (id: string) => latestRun.get(id)?.status === 'COMPLETED' && CLOSED_STATUSES.has(rows.get(id)?.status ?? '');
  const stuckReasons = new Map(input.staff.lastStuck.map((s) => [s.dossierId, s.reason]));
  const openDossiers: OpenDossier[] = filed
    .filter((c) => rows.has(c.dossierId!) && latestRun.has(c.dossierId!) && !isClosed(c.dossierId!) && !['FAILED', 'TERMINATED'].includes(latestRun.get(c.dossierId!)!.status))
    .map((c) => {
      const id = c.dossierId!;
      const row = rows.get(id);
      const tasks = (database.openTasks.get(id) ?? []).map(({ taskId, step, unitCode, status }) => ({ taskId, step, unitCode, status }));
      const temporal = input.open.get(id);
      return {
        dossierId: id,
        path: c.path,
        status: row?.status ?? '(no row)',
        currentStep: row?.currentStep ?? '',
        workflowStatus: latestRun.get(id)?.status ?? '(none)',
        reason: reasonOf(row, tasks, temporal, stuckReasons.get(id)),
        openTasks: tasks,
        ...(temporal ? { temporal } : {}),
        ...(c.citizenError ? { citizen: c.citizenError } : {}),
      };
    });

  const byPath: SoakResult['dossiers']['byPath'] = {};
  for (const p of input.paths) {
    const mine = filed.filter((c) => c.path === p.id);
    const outcomes = countBy(mine, (c) => rows.get(c.dossierId!)?.status ?? '(no row)');
    byPath[p.id] = { procedure: p.procedure, what: p.what, expected: p.expected, filed: mine.length, outcomes, unexpected: mine.length - (outcomes[p.expected] ?? 0) };
  }

  const runsPerId = countBy(dossierRuns, (r) => r.workflowId);
  const withKeys = (duplicates: Duplicate[]) =>
    duplicates.map((d) => ({ ...d, idempotencyKeys: d.messageIds.map((id) => database.notificationKeys.get(bare(id)) ?? `(no Notification for ${id})`) }));
  const mailDuplicates = input.mail.sameMessageTwice.length + input.mail.sameSubjectTwice.length;
  const duplicateCount =
    mailDuplicates + database.doubleCharges.length + database.duplicateCodes.length + database.codeMismatches.length + Object.values(runsPerId).filter((n) => n > 1).length;
  const storedButNotFiled = database.dossiers.filter((d) => !filedIds.has(d.id)).map((d) => d.id);
  const serverErrors = Object.entries(input.http.byStatus)
    .filter(([status]) => /^5\d\d$/.test(status) && status !== '503')
    .reduce((sum, [, n]) => sum + n, 0);
  const givenUp = cases.filter((c) => c.filingError !== undefined);
  const replayShare = input.replay.histories === 0 ? 0 : input.replay.replayed / input.replay.histories;
  const nondeterministicTasks = input.replay.workflowTaskFailures.byError.filter((g) => NONDETERMINISM.test(g.error)).reduce((sum, g) => sum + g.count, 0);

  const goals: Goal[] = [
    { goal: '0 lost (filings given up, filed without row or workflow, workflows failed or terminated)', value: lost.length + givenUp.length, met: lost.length + givenUp.length === 0 },
    { goal: '0 wedged (filed dossiers still open after the settle period)', value: openDossiers.length, met: openDossiers.length === 0 },
    {
      goal: '0 duplicates (mail, charges, codes, runs, rows no client filed)',
      value: duplicateCount + storedButNotFiled.length,
      met: duplicateCount + storedButNotFiled.length === 0,
    },
    { goal: '0 × 500 (server errors other than 503)', value: serverErrors, met: serverErrors === 0 },
    { goal: '100 % of histories replay', value: `${(replayShare * 100).toFixed(1)} % (${input.replay.replayed}/${input.replay.histories})`, met: input.replay.histories > 0 && input.replay.failed === 0 },
    {
      goal: '0 nondeterministic workflow tasks during the run (WorkflowTaskFailed in the histories, lines in the workers’ logs)',
      value: nondeterministicTasks + input.workerLogs.nondeterminismLines,
      met: nondeterministicTasks + input.workerLogs.nondeterminismLines === 0,
    },
  ];

  const pathOf = new Map(filed.map((c) => [c.dossierId!, c.path]));
  const withPaths = (groups: ErrorGroup[]) => groups.map((g) => ({ ...g, paths: countBy(g.workflowIds, (id) => pathOf.get(id) ?? '(not filed by the soak)') }));
  const replay: ReplayAccount = {
    ...input.replay,
    byError: withPaths(input.replay.byError),
    workflowTaskFailures: { ...input.replay.workflowTaskFailures, byError: withPaths(input.replay.workflowTaskFailures.byError) },
  };

  const finishedAt = new Date();
  const { workflowBundle: _bundle, resultsDir: _dir, ...shownOptions } = options;
  return {
    label: options.label,
    startedAt: input.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: Math.round((finishedAt.getTime() - input.startedAt.getTime()) / 1000),
    code: gitState(),
    machine: { cpus: os.cpus().length, loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))) },
    options: shownOptions,
    dossiers: {
      planned: cases.length,
      filed: filed.length,
      filingsGivenUp: givenUp.map((c) => ({ n: c.n, path: c.path, error: c.filingError! })),
      stored: database.dossiers.length,
      workflows: latestRun.size,
      closed: filed.filter((c) => isClosed(c.dossierId!)).length,
      open: openDossiers.length,
      lost,
      storedButNotFiled,
      byPath,
      deviations: filed.filter((c) => c.deviations.length > 0).map((c) => ({ dossierId: c.dossierId!, path: c.path, what: c.deviations })),
    },
    openDossiers,
    workflows: {
      byStatus: countBy(dossierRuns, (r) => r.status),
      failedOrTerminated: dossierRuns.filter((r) => r.status === 'FAILED' || r.status === 'TERMINATED').map((r) => ({ workflowId: r.workflowId, status: r.status })),
      runsPerIdAboveOne: Object.entries(runsPerId).filter(([, n]) => n > 1).map(([id]) => id),
    },
    duplicates: {
      mail: { delivered: input.mail.delivered, sameMessageTwice: withKeys(input.mail.sameMessageTwice), sameRecipientAndSubjectTwice: withKeys(input.mail.sameSubjectTwice) },
      doubleCharges: database.doubleCharges,
      codes: database.duplicateCodes,
      codeMismatches: database.codeMismatches,
    },
    http: { byStatus: input.http.byStatus, byRoute: input.http.byRoute, serverErrorGroups: groupServerErrors(input.http.serverErrors), serverErrors: input.http.serverErrors },
    engineErrors: { api: groupLogged(input.engineErrors.api), workers: groupLogged(input.engineErrors.workers) },
    staff: { refusals: input.staff.refusals, mostStuckSeenBySupervisor: input.staff.mostStuck },
    faults: {
      planned: faultCounts(input.faults.planned),
      done: faultCounts(input.faults.done.filter((f) => !f.error).map((f) => f.kind)),
      failed: input.faults.done.filter((f) => f.error).length,
      log: input.faults.done,
    },
    replay,
    workerLogs: input.workerLogs,
    warnings: input.warnings,
    goals,
    passed: goals.every((g) => g.met),
  };
}

function faultCounts(kinds: readonly FaultKind[]): Record<FaultKind, number> {
  return {
    'worker-kill': kinds.filter((k) => k === 'worker-kill').length,
    'temporal-restart': kinds.filter((k) => k === 'temporal-restart').length,
    'database-outage': kinds.filter((k) => k === 'database-outage').length,
  };
}

/** bench/results/soak-<YYYY-MM-DD>-<label>.json */
export async function writeResult(result: SoakResult, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `soak-${result.startedAt.slice(0, 10)}-${result.label.replace(/[^\w.-]+/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** The result for a human: figures, what failed and why, and the goal line. */
export function describeResult(result: SoakResult): string {
  const d = result.dossiers;
  const lines = [
    `soak ${result.label}: ${result.durationSeconds} s on ${result.code.branch}@${result.code.commit.slice(0, 10)}${result.code.dirty ? ' (uncommitted changes)' : ''}`,
    `dossiers: planned ${d.planned}, filed ${d.filed}, stored ${d.stored}, workflows ${d.workflows}, closed ${d.closed}, open ${d.open}, lost ${d.lost.length + d.filingsGivenUp.length}`,
    ...Object.entries(d.byPath).map(([id, p]) => `  ${id.padEnd(44)} filed ${String(p.filed).padStart(4)}  ${Object.entries(p.outcomes).map(([s, n]) => `${s} ${n}`).join(', ')}${p.unexpected > 0 ? `  (expected ${p.expected})` : ''}`),
    `workflows: ${Object.entries(result.workflows.byStatus).map(([s, n]) => `${s} ${n}`).join(', ')}`,
    `faults: ${Object.entries(result.faults.done).map(([k, n]) => `${k} ${n}/${result.faults.planned[k as FaultKind]}`).join(', ')}${result.faults.failed ? `, ${result.faults.failed} failed` : ''}`,
    `http: ${Object.entries(result.http.byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}`,
    ...result.http.serverErrorGroups.slice(0, 20).map((g) => `  ${g.count} × ${g.status} ${g.method} ${g.route}: ${g.body.slice(0, 160)}`),
    ...(result.engineErrors.api.length > 0 ? ['errors the API logged:'] : []),
    ...result.engineErrors.api.slice(0, 10).map((g) => `  ${g.count} × ${g.method ?? ''} ${g.route ?? ''} ${g.msg}: ${(g.error ?? '').slice(0, 300)}`),
    `mail: ${result.duplicates.mail.delivered} delivered, ${result.duplicates.mail.sameMessageTwice.length} sent twice, ${result.duplicates.mail.sameRecipientAndSubjectTwice.length} asked twice; double charges ${result.duplicates.doubleCharges.length}; duplicate codes ${result.duplicates.codes.length + result.duplicates.codeMismatches.length}`,
    ...[...result.duplicates.mail.sameMessageTwice, ...result.duplicates.mail.sameRecipientAndSubjectTwice].slice(0, 20).map((d) => `  ${d.to} "${d.subject}" ×${d.deliveries}: ${(d.idempotencyKeys ?? d.messageIds).join(', ')}`),
    `replay: ${result.replay.replayed}/${result.replay.histories} histories replay, ${result.replay.failed} fail`,
    ...result.replay.byError.map((g) => `  ${g.count} × ${g.error.slice(0, 300)}\n      ${Object.entries(g.paths ?? {}).map(([p, n]) => `${p} ${n}`).join(', ')}`),
    `workflow task failures in the histories: ${result.replay.workflowTaskFailures.events} in ${result.replay.workflowTaskFailures.workflows} workflows`,
    ...result.replay.workflowTaskFailures.byError.slice(0, 10).map((g) => `  ${g.count} × ${g.error.slice(0, 300)}\n      ${Object.entries(g.paths ?? {}).map(([p, n]) => `${p} ${n}`).join(', ')}`),
    ...(result.openDossiers.length > 0 ? [`open dossiers (${result.openDossiers.length}):`] : []),
    ...result.openDossiers.slice(0, 40).map((o) => `  ${o.dossierId} ${o.path}: ${o.reason.slice(0, 400)}`),
    ...result.warnings.map((w) => `warning: ${w}`),
    `goals: ${result.goals.map((g) => `${g.met ? 'ok' : 'MISSED'} ${g.goal.split(' (')[0]} = ${g.value}`).join(' · ')}`,
    result.passed ? 'SOAK PASSED' : 'SOAK FAILED',
  ];
  return lines.join('\n');
}
