import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CancelRequest, CancelResult, DossierState, TaskCompletion, TaskCompletionResult } from './types';

/**
 * Messages every procedure's workflow answers, declared once with their types. The API imports
 * this module (and workflow types only), never the workflow code itself.
 */
export const completeTaskUpdate = defineUpdate<TaskCompletionResult, [TaskCompletion]>('completeTask');
export const cancelDossierUpdate = defineUpdate<CancelResult, [CancelRequest]>('cancelDossier');
export const dossierStateQuery = defineQuery<DossierState>('dossierState');

/** Failure types the API maps to HTTP: conflicts with the dossier's state (409) or the procedure's rules (422). */
export const FailureTypes = {
  dossierClosed: 'DossierClosed',
  dossierDecided: 'DossierDecided',
  decisionInProgress: 'DecisionInProgress',
  taskNotOpen: 'TaskNotOpen',
  invalidOutcome: 'InvalidOutcome',
  invalidTaskData: 'InvalidTaskData',
} as const;

/** Workflow type names, for clients that start workflows without importing their code. */
export const WorkflowTypes = {
  civilStatusExtract: 'civilStatusExtractWorkflow',
  platformCheck: 'platformCheckWorkflow',
} as const;
