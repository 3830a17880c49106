// Payloads of the supervision endpoints, as the server's schemas define them (types only).
import type { z } from 'zod';
import type { BulkAnswer, Item, Stats as StatsSchema } from '../../api/routes/supervision';

export type SupervisedDossier = z.infer<typeof Item>;
export type SupervisionState = SupervisedDossier['state'];
export type Stats = z.infer<typeof StatsSchema>;
export type StatsRow = Stats['rows'][number];
export type BulkResult = z.infer<typeof BulkAnswer>;
