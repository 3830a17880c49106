import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { notifications } from './activity-stubs';
import { nowIso } from './clock';
import type { HumanTasks } from './human-tasks';
import { escalateDossierUpdate, FailureTypes, reassignTaskUpdate } from './messages';
import type { RunContext } from './run-context';
import { labelOf, supervisionTexts } from './texts';

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
          note: supervisionTexts.reassignedNote(tasks.titleOf(moved.step), previousUnitCode, to, r.reason),
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
      const waiting = supervisionTexts.waitingOn(tasks.openTaskTitles(), labelOf(run.procedure, run.currentStep));
      const { sent, unitCode } = await notifications.notifyUnitStaff({
        unitCode: e.toUnitCode,
        roles: ['supervisor'],
        levelsUp: 0,
        copyUnitMailbox: true,
        // One key per escalation of this dossier: a retried activity sends nothing twice.
        key: `${run.dossierId}/manual-escalation-${escalation}`,
        // Staff read Vietnamese.
        ...supervisionTexts.escalationMail(e, run.dossierId, labelOf(run.procedure, run.procedure.id), nowIso(), waiting),
      });
      await run.record({ step: run.currentStep, actor: `supervisor:${e.by}`, outcome: 'escalated-by-hand', note: supervisionTexts.escalatedNote(e.fromUnitCode, unitCode, e.note), unitCode });
      return { dossierId: run.dossierId, toUnitCode: unitCode, mailed: sent, escalation };
    },
    { validator: (_escalation) => refuseIfClosed() },
  );
}
