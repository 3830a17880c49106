import { procedureRegistry } from './define';
import businessRegistration from './business-registration';
import civilStatusExtract from './civil-status-extract';
import trafficFine from './traffic-fine';
import { DEFINED_PROCEDURES } from './definitions';
import type { ProcedureModule } from './module';

/**
 * The registry of procedures: one line per procedure (its folder's module). The API (filing and
 * outcome schemas, OpenAPI, a procedure's own routes), the worker's activities, supervision's
 * systems and the deadline settings all derive from it. Each procedure's workflow is exported by the
 * workflow bundle's entry (`workflows/index.ts`), which a test holds to this list.
 */
export const PROCEDURE_MODULES = [trafficFine] as const;

/**
 * Procedures once written as code and now published as data (procedures/definitions/): the API no
 * longer offers their code, but their workflows (in the bundle) and activities stay in the worker
 * until no run started under them is open (docs/versioning.md, "Retiring a workflow written as code").
 */
export const RETIRED_MODULES: readonly ProcedureModule[] = [
  // Since 2026-12: procedures/definitions/civil-status-extract.json (procedures/civil-status-extract/README.md).
  civilStatusExtract,
  // Since 2026-12: procedures/definitions/business-registration.json (procedures/business-registration/README.md).
  businessRegistration,
];

/** The order the catalog, supervision's figures and the console list the shipped procedures in (the busiest first); a procedure published later comes after them. */
const CATALOG_ORDER = ['civil-status-extract', 'business-registration', 'traffic-fine', 'marital-status-certificate', 'birth-registration'];

function inCatalogOrder<P extends { id: string }>(procedures: P[]): P[] {
  const rank = (p: P) => (CATALOG_ORDER.includes(p.id) ? CATALOG_ORDER.indexOf(p.id) : CATALOG_ORDER.length);
  return [...procedures].sort((a, b) => rank(a) - rank(b));
}

/** Every module whose activities the worker registers and whose systems supervision names. */
export const WORKER_MODULES: readonly ProcedureModule[] = [...PROCEDURE_MODULES, ...RETIRED_MODULES];

/**
 * Every procedure the API offers: those written as code (above) and those the engine ships as data
 * (`procedures/definitions/*.json`, run by the one interpreter workflow). A newer version published
 * at run time replaces its procedure's entry (`api/services/published-procedures.ts`).
 */
export const PROCEDURES = procedureRegistry(
  inCatalogOrder([...PROCEDURE_MODULES.map((m) => m.definition), ...DEFINED_PROCEDURES.filter((p, i) => DEFINED_PROCEDURES.findIndex((q) => q.id === p.id) === i)]),
  (p) => p.published !== undefined,
);
// A procedure shipped in several versions: the later ones join as if published, the older kept for the dossiers filed under them.
for (const later of DEFINED_PROCEDURES.filter((p, i) => DEFINED_PROCEDURES.findIndex((q) => q.id === p.id) !== i)) PROCEDURES.publish(later);
