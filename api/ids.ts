import { bilingual } from './translations';
import { z } from './zod';

/** Identifiers in paths: their shapes, whatever the procedure (the three letters are its code prefix). */
export const DossierId = z.string().regex(/^[A-Z]{3}-\d{6}-[0-9A-Z]{6}$/, bilingual({ vi: 'phải là mã hồ sơ, ví dụ CSE-261123-7K3M9Q', en: 'must be a dossier id such as CSE-261123-7K3M9Q' }));
export const TaskId = z.string().regex(/^[A-Z]{3}-\d{6}-[0-9A-Z]{6}-T\d+$/, bilingual({ vi: 'phải là mã công việc, ví dụ CSE-261123-7K3M9Q-T1', en: 'must be a task id such as CSE-261123-7K3M9Q-T1' }));
