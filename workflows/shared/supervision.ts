import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { notifications } from './activity-stubs';
import { nowIso } from './clock';
import type { HumanTasks } from './human-tasks';
import { formatLocalTime } from '../../common/local-time';
import { escalateDossierUpdate, FailureTypes, reassignTaskUpdate } from './messages';
import type { RunContext } from './run-context';

/**
 * Supervisors' actions that the workflow must know of, as Updates every dossier's workflow answers:
 * a task moved to another unit (its reminders and escalations follow it) and an escalation by hand
 * (mailed through the notification activity under a key, written to the history).
 *
 * Versioning: these handlers add commands only when a supervisor sends the Update, which is itself
 * in the history; a history without one runs exactly as before, so no `patched()` marker is needed
 * (the recorded histories of test/histories/ replay unchanged).
 */
export function installSupervisionHandlers(run: RunContext, tasks: HumanTasks): void {
  let escalations = 0;

  const refuseIfClosed = () => {
    if (run.closed || run.cancelRequested) {
      throw ApplicationFailure.nonRetryable(`Dossier ${run.dossierId} is ${run.cancelRequested ? 'cancelled' : run.status}`, FailureTypes.dossierClosed);
    }
  };

  setHandler(
    reassignTaskUpdate,
    async (r) => {
      const moved = tasks.moveTo(r.taskId, r.unitCode);
      const previousUnitCode = moved?.previousUnitCode ?? r.unitCode;
      if (moved) {
        const to = r.assignee ? `${r.unitCode} (${r.assignee})` : r.unitCode;
        await run.record({
          step: moved.step.id,
          actor: `supervisor:${r.by}`,
          outcome: 'reassigned',
          note: `${moved.step.title}: from ${previousUnitCode} to ${to}${r.reason ? `. Reason: ${r.reason}` : ''}`,
          unitCode: r.unitCode,
        });
      }
      return { taskId: r.taskId, unitCode: r.unitCode, previousUnitCode };
    },
    {
      validator: (r) => {
        refuseIfClosed();
        if (!tasks.isReassignable(r.taskId)) throw ApplicationFailure.nonRetryable(`Task ${r.taskId} is not open`, FailureTypes.taskNotOpen);
      },
    },
  );

  setHandler(
    escalateDossierUpdate,
    async (e) => {
      escalations += 1;
      const escalation = escalations;
      const open = tasks.openTaskViews();
      const waiting = open.length > 0 ? open.map((t) => `${t.step} at ${t.unitCode}, due ${formatLocalTime(t.dueAt)}`).join('; ') : `step ${run.currentStep}`;
      const { sent, unitCode } = await notifications.notifyUnitStaff({
        unitCode: e.toUnitCode,
        roles: ['supervisor'],
        levelsUp: 0,
        copyUnitMailbox: true,
        // One key per escalation of this dossier: a retried activity sends nothing twice.
        key: `${run.dossierId}/manual-escalation-${escalation}`,
        subject: `Escalation by ${e.by} (${e.fromUnitCode}): dossier ${run.dossierId}`,
        text:
          `Supervisor ${e.by} of ${e.fromUnitCode} escalated dossier ${run.dossierId} (${run.procedure.id}) to ${e.toUnitCode} ` +
          `on ${formatLocalTime(nowIso())}.\nNote: ${e.note}\nWaiting on: ${waiting}.`,
      });
      await run.record({ step: run.currentStep, actor: `supervisor:${e.by}`, outcome: 'escalated-by-hand', note: `Escalated from ${e.fromUnitCode} to ${unitCode}: ${e.note}`, unitCode });
      return { dossierId: run.dossierId, toUnitCode: unitCode, mailed: sent, escalation };
    },
    { validator: (_escalation) => refuseIfClosed() },
  );
}
