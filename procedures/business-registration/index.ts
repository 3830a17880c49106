import { procedureModule } from '../module';
import { createActivities } from './activities';
import { businessRegistration } from './definition';

export default procedureModule({
  definition: businessRegistration,
  createActivities,
  systems: {
    verifyFounders: 'the population data',
    checkBusinessName: 'the business registry',
    registerBusiness: 'the business registry',
    issueBusinessCertificate: 'document issuing',
  },
});
