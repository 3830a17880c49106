import type { Client as TemporalClient } from '@temporalio/client';
import { Client } from 'pg';

/**
 * The soak's account of what the engine holds at the end: the dossiers' rows and the payments,
 * documents and codes in the database; the workflows in Temporal, and for each one still open why
 * (a pending activity that keeps failing, a workflow task failing again and again with its message
 * from the history).
 */

export interface StoredDossier {
  id: string;
  procedure: string;
  status: string;
  currentStep: string;
  awaitingKind: string | null;
}

export interface DatabaseAccount {
  dossiers: StoredDossier[];
  /** Cases paid more than once, or more than their fine. */
  doubleCharges: Array<{ dossierId: string; fine: number | null; payments: number; paid: number }>;
  duplicateCodes: Array<{ what: string; code: string; count: number }>;
  /** A dossier whose result names another code than the one issued for it (a second issuance). */
  codeMismatches: Array<{ dossierId: string; what: string; result: string; stored: string }>;
  openTasks: Map<string, Array<{ taskId: string; step: string; unitCode: string; status: string }>>;
  /** Message-ID (without its angle brackets) → the idempotency key of the Notification that sent it. */
  notificationKeys: Map<string, string>;
}

async function withDatabase<T>(url: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** `<id@host>` → `id@host`. */
export const bare = (messageId: string) => messageId.replace(/^<|>$/g, '');

export function databaseAccount(url: string): Promise<DatabaseAccount> {
  return withDatabase(url, async (db) => {
    const dossiers = (
      await db.query<StoredDossier>(
        `SELECT id, procedure, status, "currentStep", awaiting->>'kind' AS "awaitingKind" FROM "Dossier" ORDER BY id`,
      )
    ).rows;
    const doubleCharges = (
      await db.query<{ dossierId: string; fine: number | null; payments: string; paid: string }>(
        `SELECT v."dossierId", v."fineAmount" AS fine, count(p.id) AS payments, COALESCE(sum(p.amount), 0) AS paid
         FROM "Violation" v LEFT JOIN "Payment" p ON p."dossierId" = v."dossierId"
         GROUP BY v."dossierId", v."fineAmount"
         HAVING count(p.id) > 1 OR COALESCE(sum(p.amount), 0) > COALESCE(v."fineAmount", 0)`,
      )
    ).rows.map((r) => ({ ...r, payments: Number(r.payments), paid: Number(r.paid) }));
    const duplicateCodes = (
      await db.query<{ what: string; code: string; count: string }>(
        `SELECT 'document verification code' AS what, code, count(*) FROM "IssuedDocument" GROUP BY code HAVING count(*) > 1
         UNION ALL
         SELECT 'traffic notice code', "noticeCode", count(*) FROM "Violation" WHERE "noticeCode" IS NOT NULL GROUP BY "noticeCode" HAVING count(*) > 1
         UNION ALL
         SELECT 'enterprise code', "enterpriseCode", count(*) FROM "Business" GROUP BY "enterpriseCode" HAVING count(*) > 1
         UNION ALL
         SELECT 'documents of one dossier', "dossierId", count(*) FROM "IssuedDocument" GROUP BY "dossierId" HAVING count(*) > 1
         UNION ALL
         SELECT 'businesses of one dossier', "dossierId", count(*) FROM "Business" WHERE "dossierId" IS NOT NULL GROUP BY "dossierId" HAVING count(*) > 1`,
      )
    ).rows.map((r) => ({ ...r, count: Number(r.count) }));
    const codeMismatches = (
      await db.query<{ dossierId: string; what: string; result: string; stored: string }>(
        `SELECT d.id AS "dossierId", 'document code' AS what, d.result->>'documentCode' AS result, i.code AS stored
         FROM "Dossier" d JOIN "IssuedDocument" i ON i."dossierId" = d.id
         WHERE d.procedure <> 'traffic-fine' AND d.result ? 'documentCode' AND d.result->>'documentCode' <> i.code
         UNION ALL
         SELECT d.id, 'notice code', d.result->>'noticeCode', v."noticeCode"
         FROM "Dossier" d JOIN "Violation" v ON v."dossierId" = d.id
         WHERE d.result ? 'noticeCode' AND d.result->>'noticeCode' IS DISTINCT FROM v."noticeCode"
         UNION ALL
         SELECT d.id, 'enterprise code', d.result->>'enterpriseCode', b."enterpriseCode"
         FROM "Dossier" d JOIN "Business" b ON b."dossierId" = d.id
         WHERE d.result ? 'enterpriseCode' AND d.result->>'enterpriseCode' <> b."enterpriseCode"`,
      )
    ).rows;
    const openTasks = new Map<string, Array<{ taskId: string; step: string; unitCode: string; status: string }>>();
    const tasks = await db.query<{ dossierId: string; taskId: string; step: string; unitCode: string; status: string }>(
      `SELECT "dossierId", id AS "taskId", step, "unitCode", status FROM "Task" WHERE status IN ('open', 'claimed') ORDER BY id`,
    );
    for (const t of tasks.rows) openTasks.set(t.dossierId, [...(openTasks.get(t.dossierId) ?? []), t]);
    const notifications = await db.query<{ messageId: string; idempotencyKey: string }>(
      `SELECT "messageId", "idempotencyKey" FROM "Notification" WHERE "messageId" IS NOT NULL`,
    );
    const notificationKeys = new Map(notifications.rows.map((n) => [bare(n.messageId), n.idempotencyKey]));
    return { dossiers, doubleCharges, duplicateCodes, codeMismatches, openTasks, notificationKeys };
  });
}

/** How many of these dossiers are closed in the database (for the settle loop). */
export function closedCount(url: string, ids: string[], closedStatuses: ReadonlySet<string>): Promise<number> {
  return withDatabase(url, async (db) => {
    const { rows } = await db.query<{ status: string }>(`SELECT status FROM "Dossier" WHERE id = ANY($1)`, [ids]);
    return rows.filter((r) => closedStatuses.has(r.status)).length;
  });
}

export interface WorkflowRun {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
}

export async function listWorkflows(client: TemporalClient): Promise<WorkflowRun[]> {
  const runs: WorkflowRun[] = [];
  for await (const w of client.workflow.list()) {
    runs.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, status: w.status.name });
  }
  return runs;
}

export async function runningWorkflows(client: TemporalClient): Promise<number> {
  const { count } = await client.workflow.count('ExecutionStatus = "Running"');
  return count;
}

/**
 * True when every running workflow has a workflow task that keeps failing (attempt ≥ `attempts`):
 * nothing will move any more without a code change, waiting longer only delays the account.
 */
export async function onlyFailingWorkflowTasksLeft(client: TemporalClient, attempts = 5): Promise<boolean> {
  let running = 0;
  for await (const w of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    running += 1;
    const { raw } = await client.workflow.getHandle(w.workflowId).describe();
    if ((raw.pendingWorkflowTask?.attempt ?? 0) < attempts) return false;
  }
  return running > 0;
}

/** Why a workflow is still open, from Temporal's side. */
export interface OpenWorkflow {
  pendingActivities: Array<{ activity: string; attempt: number; lastFailure?: string }>;
  /** The pending workflow task's attempt (> 1: it keeps failing). */
  workflowTaskAttempt?: number;
  /** The message of the last WorkflowTaskFailed event of its history. */
  lastWorkflowTaskFailure?: string;
  workflowTaskFailures: number;
}

export async function whyOpen(client: TemporalClient, workflowId: string): Promise<OpenWorkflow> {
  const handle = client.workflow.getHandle(workflowId);
  const { raw } = await handle.describe();
  const pendingActivities = (raw.pendingActivities ?? []).map((a) => ({
    activity: a.activityType?.name ?? '?',
    attempt: a.attempt ?? 0,
    ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
  }));
  const attempt = raw.pendingWorkflowTask?.attempt ?? undefined;
  const events = (await handle.fetchHistory()).events ?? [];
  const failures = events.filter((e) => e.workflowTaskFailedEventAttributes);
  const last = failures.at(-1)?.workflowTaskFailedEventAttributes?.failure?.message ?? undefined;
  return {
    pendingActivities,
    ...(attempt ? { workflowTaskAttempt: attempt } : {}),
    ...(last ? { lastWorkflowTaskFailure: last } : {}),
    workflowTaskFailures: failures.length,
  };
}
