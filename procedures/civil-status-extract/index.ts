import { SYSTEM_NAMES } from '../../common/system-names';
import { procedureModule } from '../module';
import { createActivities } from './activities';
import { civilStatusExtract } from './definition';

export default procedureModule({
  definition: civilStatusExtract,
  createActivities,
  systems: {
    findCivilStatusRecord: SYSTEM_NAMES.civilStatus,
    registerArchivedRecord: SYSTEM_NAMES.civilStatus,
    isEntitled: SYSTEM_NAMES.civilStatus,
    issueCivilStatusExtract: SYSTEM_NAMES.documentIssuing,
  },
});
