import { SYSTEM_NAMES } from '../../common/system-names';
import { procedureModule } from '../module';
import { createActivities } from './activities';
import { EXAMPLE_BATCH, trafficFine } from './definition';
import { trafficRoutes } from './routes';
import { trafficTaskShown } from './task-shown';

export default procedureModule({
  definition: trafficFine,
  createActivities,
  systems: {
    setPlate: SYSTEM_NAMES.engineDatabase,
    lookupOwner: SYSTEM_NAMES.vehicleAndPopulation,
    issueNotice: SYSTEM_NAMES.documentIssuing,
    notifyOwner: SYSTEM_NAMES.mail,
    payFine: SYSTEM_NAMES.payment,
    publishAndFlag: SYSTEM_NAMES.vehicleRegistry,
    settleCase: SYSTEM_NAMES.vehicleRegistry,
  },
  routes: trafficRoutes,
  taskShown: trafficTaskShown,
  // The administration opens its cases through its own routes, not `POST /dossiers`.
  examples: {
    [trafficFine.id]: { as: trafficFine.example.as, path: '/violations', body: trafficFine.example.body.data },
    [`${trafficFine.id}-batch`]: { as: trafficFine.example.as, path: '/violations/batch', body: EXAMPLE_BATCH },
  },
});
