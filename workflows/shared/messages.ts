import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ApplicantAnswer,
  ApplicantAnswerResult,
  CancelRequest,
  CancelResult,
  DossierState,
  EscalationResult,
  ManualEscalation,
  TaskCompletion,
  TaskCompletionResult,
  TaskReassignment,
  TaskReassignmentResult,
} from './types';

/**
 * Messages every procedure's workflow answers, declared once with their types. The API imports
 * this module (and workflow types only), never the workflow code itself.
 */
export const completeTaskUpdate = defineUpdate<TaskCompletionResult, [TaskCompletion]>('completeTask');
export const cancelDossierUpdate = defineUpdate<CancelResult, [CancelRequest]>('cancelDossier');
/** The applicant's answer to a supplement request (`POST /dossiers/{id}/supplement`). */
export const supplementUpdate = defineUpdate<ApplicantAnswerResult, [ApplicantAnswer]>('supplement');
/** The vehicle owner's answer to a traffic-fine notice (`POST /dossiers/{id}/respond`). */
export const respondUpdate = defineUpdate<ApplicantAnswerResult, [ApplicantAnswer]>('respond');
/** Supervisors: move an open task to another unit or person; escalate a dossier by hand. */
export const reassignTaskUpdate = defineUpdate<TaskReassignmentResult, [TaskReassignment]>('reassignTask');
export const escalateDossierUpdate = defineUpdate<EscalationResult, [ManualEscalation]>('escalateDossier');
export const dossierStateQuery = defineQuery<DossierState>('dossierState');

/** Failure types the API maps to HTTP: conflicts with the dossier's state (409) or the procedure's rules (422). */
export const FailureTypes = {
  dossierClosed: 'DossierClosed',
  dossierDecided: 'DossierDecided',
  decisionInProgress: 'DecisionInProgress',
  taskNotOpen: 'TaskNotOpen',
  notAwaiting: 'NotAwaiting',
  invalidOutcome: 'InvalidOutcome',
  invalidTaskData: 'InvalidTaskData',
  invalidAnswer: 'InvalidAnswer',
} as const;
