// The API's payloads, as the server's zod schemas define them: types only (erased from the bundle),
// so that the portal cannot drift from what the API answers.
import type { z } from 'zod';
import type { DossierDetail, DossierSummary } from '../../api/schemas';
import type { CitizenCatalog } from '../../api/routes/catalog';
import type { Answered, Cancelled, Filed } from '../../api/routes/citizen';
import type { WorkingTime } from '../../api/routes/console';
import type { IssuedDocument } from '../../api/routes/dossiers';
import type { Me, Unit } from '../../api/routes/identity';
import type { Notice, Responded } from '../../procedures/traffic-fine/routes';

export type Dossier = z.infer<typeof DossierDetail>;
export type DossierRow = z.infer<typeof DossierSummary>;
export type Catalog = z.infer<typeof CitizenCatalog>;
export type CatalogEntry = Catalog[number];
export type FiledDossier = z.infer<typeof Filed>;
export type AnsweredDossier = z.infer<typeof Answered>;
export type CancelledDossier = z.infer<typeof Cancelled>;
export type WorkingTimeView = z.infer<typeof WorkingTime>;
export type DocumentView = z.infer<typeof IssuedDocument>;
export type TrafficNotice = z.infer<typeof Notice>;
export type TrafficAnswered = z.infer<typeof Responded>;
export type Caller = z.infer<typeof Me>;
export type UnitView = z.infer<typeof Unit>;
export type { DemoDirectory } from '../../prisma/seed';
