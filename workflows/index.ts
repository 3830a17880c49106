// The worker's workflow bundle: the platform check and one workflow per procedure (as procedures/index.ts lists them).
//
// The SDK evaluates this module anew for every workflow it runs, each with its own instance of every
// module it imports (but the shared ones: workflows/preloaded.ts). So each procedure's workflow
// loads its module when a workflow of that type first runs: a dossier run by the interpreter holds
// none of the procedures written as code, nor they each other (test/bench/scenarios/memory.ts measures
// what a waiting dossier costs).
import type * as CivilStatusExtract from '../procedures/civil-status-extract/workflow';
import type * as BusinessRegistration from '../procedures/business-registration/workflow';
import type * as TrafficFine from '../procedures/traffic-fine/workflow';
import type * as DefinedProcedure from './defined-procedure';

export { platformCheckWorkflow } from './platform-check';

export function civilStatusExtractWorkflow(input: CivilStatusExtract.CivilStatusExtractInput): ReturnType<typeof CivilStatusExtract.civilStatusExtractWorkflow> {
  const workflow: typeof CivilStatusExtract = require('../procedures/civil-status-extract/workflow');
  return workflow.civilStatusExtractWorkflow(input);
}

export function businessRegistrationWorkflow(input: BusinessRegistration.BusinessRegistrationInput): ReturnType<typeof BusinessRegistration.businessRegistrationWorkflow> {
  const workflow: typeof BusinessRegistration = require('../procedures/business-registration/workflow');
  return workflow.businessRegistrationWorkflow(input);
}

export function trafficFineWorkflow(input: TrafficFine.TrafficFineInput): ReturnType<typeof TrafficFine.trafficFineWorkflow> {
  const workflow: typeof TrafficFine = require('../procedures/traffic-fine/workflow');
  return workflow.trafficFineWorkflow(input);
}

/** The interpreter of procedures published as data (procedures/definitions/*.json): one workflow for all of them. */
export function definedProcedureWorkflow(input: DefinedProcedure.DefinedProcedureInput): ReturnType<typeof DefinedProcedure.definedProcedureWorkflow> {
  const workflow: typeof DefinedProcedure = require('./defined-procedure');
  return workflow.definedProcedureWorkflow(input);
}
