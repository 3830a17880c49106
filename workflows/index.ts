// The worker's workflow bundle: every workflow the engine runs is exported from here.
export { platformCheckWorkflow } from './platform-check';
export { civilStatusExtractWorkflow } from './civil-status-extract';
