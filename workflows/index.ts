// The worker's workflow bundle: the platform check and one workflow per procedure (as procedures/index.ts lists them).
export { platformCheckWorkflow } from './platform-check';
export { civilStatusExtractWorkflow } from '../procedures/civil-status-extract/workflow';
export { businessRegistrationWorkflow } from '../procedures/business-registration/workflow';
export { trafficFineWorkflow } from '../procedures/traffic-fine/workflow';
// The interpreter of procedures published as data (procedures/definitions/*.json): one workflow for all of them.
export { definedProcedureWorkflow } from './defined-procedure';
