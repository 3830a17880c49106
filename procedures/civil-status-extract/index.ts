import { procedureModule } from '../module';
import { createActivities } from './activities';
import { civilStatusExtract } from './definition';

export default procedureModule({
  definition: civilStatusExtract,
  createActivities,
  systems: {
    findCivilStatusRecord: 'the civil-status registry',
    registerArchivedRecord: 'the civil-status registry',
    isEntitled: 'the civil-status registry',
    issueCivilStatusExtract: 'document issuing',
  },
});
