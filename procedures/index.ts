import { procedureRegistry } from './define';
import { businessRegistration } from './business-registration/definition';
import { civilStatusExtract } from './civil-status-extract/definition';
import { trafficFine } from './traffic-fine/definition';

/**
 * The registry of procedures: one line per procedure here, and one export of its workflow below.
 * The API (filing and outcome schemas, OpenAPI), the worker (workflows, and activities found in
 * `procedures/<id>/activities.ts`), the deadline settings and the test fakes all derive from it.
 */
export const PROCEDURES = procedureRegistry([civilStatusExtract, businessRegistration, trafficFine]);

// The workflow bundle's entry (workflows/index.ts) re-exports these: one workflow type per procedure.
export { civilStatusExtractWorkflow } from './civil-status-extract/workflow';
export { businessRegistrationWorkflow } from './business-registration/workflow';
export { trafficFineWorkflow } from './traffic-fine/workflow';
