// The worker's workflow bundle: the platform check and every procedure's workflow (from the registry).
export { platformCheckWorkflow } from './platform-check';
export * from '../procedures';
