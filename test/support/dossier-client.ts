import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { bearer, eventually } from './http';

/** A task as `GET /tasks` answers it (the fields the HTTP tests read). */
export interface TaskView {
  taskId: string;
  dossierId: string;
  procedure: string;
  step: string;
  unitCode: string;
  status: string;
  assignee: string | null;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  outcomes: string[];
  context: Record<string, unknown> | null;
}

/** A dossier as `GET /dossiers/{id}` answers it. */
export interface DossierView {
  dossierId: string;
  procedure: string;
  status: string;
  unitCode: string;
  receivedAt: string;
  dueAt: string;
  overdue: boolean;
  currentStep: string;
  history: Array<{ at: string; step: string; actor: string; outcome: string; note: string | null }>;
  result: Record<string, unknown> | null;
  awaiting: { kind: string; items: Array<{ field: string; problem: string }>; dueAt: string; round: number } | null;
  openTasks: Array<{ taskId: string; step: string; unitCode: string; dueAt: string; overdue: boolean }>;
}

export interface DossierClientOptions {
  /** How long a wait for a task or a status may take. */
  waitMs: number;
  /** Wait for an open task of the step only (a done one of an earlier round does not count). */
  openTasksOnly?: boolean;
  /** The filer's Accept-Language: the language of the applicant's mails (Vietnamese when absent). */
  language?: 'vi' | 'en';
}

/**
 * What the procedures' HTTP tests do as citizens and staff: file, read the inbox and the dossier,
 * wait for a task or a status, complete a task. `app` is read at each call (tests create it in beforeAll).
 */
export function dossierClient(app: () => Express, options: DossierClientOptions) {
  const file = (token: string, body: unknown, key: string = randomUUID()) => {
    const req = request(app()).post('/api/v1/dossiers').set(bearer(token)).set('Idempotency-Key', key);
    return (options.language ? req.set('Accept-Language', options.language) : req).send(body as object);
  };

  /** Files and expects 201; the dossier id. */
  async function fileOk(token: string, body: unknown): Promise<string> {
    const res = await file(token, body);
    if (res.status !== 201) throw new Error(`filing answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.dossierId as string;
  }

  async function listTasks(token: string, query: Record<string, string> = {}): Promise<TaskView[]> {
    const res = await request(app()).get('/api/v1/tasks').query(query).set(bearer(token));
    if (res.status !== 200) throw new Error(`GET /tasks answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as TaskView[];
  }

  /** Polls the caller's inbox until the dossier's task of that step shows up. */
  function waitForTask(token: string, dossierId: string, step: string, intervalMs = 50): Promise<TaskView> {
    const wanted = (task: TaskView) => task.dossierId === dossierId && task.step === step && (!options.openTasksOnly || task.status === 'open');
    return eventually(async () => (await listTasks(token)).find(wanted), options.waitMs, intervalMs);
  }

  async function getDossier(token: string, dossierId: string): Promise<DossierView> {
    const res = await request(app()).get(`/api/v1/dossiers/${dossierId}`).set(bearer(token));
    if (res.status !== 200) throw new Error(`GET /dossiers/${dossierId} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as DossierView;
  }

  function waitForStatus(token: string, dossierId: string, status: string): Promise<DossierView> {
    return eventually(async () => {
      const dossier = await getDossier(token, dossierId);
      return dossier.status === status ? dossier : undefined;
    }, options.waitMs);
  }

  const complete = (token: string, taskId: string, body: Record<string, unknown>) =>
    request(app()).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(token)).send(body);

  return { file, fileOk, listTasks, waitForTask, getDossier, waitForStatus, complete };
}
