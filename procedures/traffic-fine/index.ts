import { procedureModule } from '../module';
import { createActivities } from './activities';
import { EXAMPLE_BATCH, trafficFine } from './definition';
import { trafficRoutes } from './routes';
import { trafficTaskShown } from './task-shown';

export default procedureModule({
  definition: trafficFine,
  createActivities,
  systems: {
    setPlate: "the engine's database",
    lookupOwner: 'the vehicle registry and the population data',
    issueNotice: 'document issuing',
    notifyOwner: 'mail (SMTP)',
    payFine: 'the payment system',
    publishAndFlag: 'the vehicle registry',
    settleCase: 'the vehicle registry',
  },
  routes: trafficRoutes,
  taskShown: trafficTaskShown,
  // The administration opens its cases through its own routes, not `POST /dossiers`.
  examples: {
    [trafficFine.id]: { as: trafficFine.example.as, path: '/violations', body: trafficFine.example.body.data },
    [`${trafficFine.id}-batch`]: { as: trafficFine.example.as, path: '/violations/batch', body: EXAMPLE_BATCH },
  },
});
