// The API's payloads, as the server's zod schemas define them: types only (erased from the bundle),
// so that the console cannot drift from what the API answers.
import type { z } from 'zod';
import type { DossierDetail, ShownField as ShownFieldSchema, TaskDetail as TaskDetailSchema, TaskView } from '../../api/schemas';
import type { ProcedureCatalog, StaffMember, WorkingTime } from '../../api/routes/console';
import type { Me, Unit } from '../../api/routes/identity';

export type Task = z.infer<typeof TaskView>;
export type TaskDetail = z.infer<typeof TaskDetailSchema>;
export type ShownField = z.infer<typeof ShownFieldSchema>;
export type Dossier = z.infer<typeof DossierDetail>;
export type Catalog = z.infer<typeof ProcedureCatalog>;
export type WorkingTimeView = z.infer<typeof WorkingTime>;
export type Staff = z.infer<typeof StaffMember>;
export type Caller = z.infer<typeof Me>;
export type UnitView = z.infer<typeof Unit>;
export type { DemoDirectory } from '../../prisma/seed';
