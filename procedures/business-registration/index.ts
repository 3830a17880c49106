import { SYSTEM_NAMES } from '../../common/system-names';
import { procedureModule } from '../module';
import { createActivities } from './activities';
import { businessRegistration } from './definition';

export default procedureModule({
  definition: businessRegistration,
  createActivities,
  systems: {
    verifyFounders: SYSTEM_NAMES.population,
    checkBusinessName: SYSTEM_NAMES.businessRegistry,
    registerBusiness: SYSTEM_NAMES.businessRegistry,
    issueBusinessCertificate: SYSTEM_NAMES.documentIssuing,
  },
});
