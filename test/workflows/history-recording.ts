import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TASK_IN_ONE_CALL } from '../../workflows/shared/human-tasks';

// Recorded histories (test/histories/<version>/<path>.json): where the workflow test files record
// them (RECORD_HISTORIES=1) and what the replay test reads of them.

export const HISTORIES = path.join(__dirname, '../histories');

/**
 * The folder new recordings go to: the workflow version of the latest patch, TASK_IN_ONE_CALL. The
 * folders before it stay as recorded: 1.0 (the procedures written as code), 1.1 (the interpreter
 * before MAIL_ASIDE), 1.2 (before LEAN_STEPS), 1.3 (since LEAN_STEPS).
 */
export const HISTORY_VERSION = '1.4';
/** The patch every history of HISTORY_VERSION carries: a path that never reaches it runs as its history in an earlier folder. */
export const HISTORY_VERSION_PATCH = TASK_IN_ONE_CALL;

/**
 * A workflow written as code records under this prefix: its paths are named like the interpreter's
 * for the same procedure (the civil-status extract and business registration were code before they
 * were documents), and since 1.4 one folder holds both.
 */
export const CODE_PREFIX = 'code-';

export interface RecordedHistory {
  events: Array<{
    eventType?: string;
    markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> };
    activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  }>;
}

/** The ids of the patches a recorded history's markers name (`core_patch` markers; each payload is `{"id": …}` as base64 JSON). */
export function patchesOf(history: RecordedHistory): string[] {
  return history.events
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_patch')
    .flatMap((m) => m?.details?.['patch-data']?.payloads ?? [])
    .map((p) => (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8')) as { id?: string }).id ?? '');
}

/** The activity types a recorded history schedules, in order. */
export function activitiesOf(history: RecordedHistory): string[] {
  return history.events.flatMap((e) => {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    return name ? [name] : [];
  });
}

export async function readHistory(file: string): Promise<RecordedHistory> {
  return JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8')) as RecordedHistory;
}

/**
 * With RECORD_HISTORIES=1, records the history of this path under HISTORY_VERSION when it carries
 * that version's patch (a path that opens no task made the commands it made before, and its earlier
 * history stands for it). An existing file is never overwritten: a version's histories stay as
 * recorded and must keep replaying.
 */
export async function recordHistory(handle: WorkflowHandle, file: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const json = historyToJSON(await handle.fetchHistory());
  if (!patchesOf(JSON.parse(json) as RecordedHistory).includes(HISTORY_VERSION_PATCH)) return;
  await mkdir(path.join(HISTORIES, HISTORY_VERSION), { recursive: true });
  await writeFile(path.join(HISTORIES, HISTORY_VERSION, file), json, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}
