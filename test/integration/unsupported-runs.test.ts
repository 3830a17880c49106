import { randomUUID } from 'node:crypto';
import { ENGINE_VERSION, SearchAttributes } from '../../common/temporal';
import { findUnsupportedRuns } from '../../system/unsupported-runs';
import { eventually } from '../support/http';
import { connectDevServer, type DevServerConnections } from '../support/temporal';

// A data directory from before 1.0 holds open dossiers whose workflows carry no engine version:
// start-up names them instead of letting their workflow tasks fail unseen. Dossiers of 1.0 are not named.
describe('open dossiers this version cannot continue', () => {
  let temporal: DevServerConnections;
  const started: string[] = [];

  beforeAll(async () => {
    temporal = await connectDevServer();
  });

  afterAll(async () => {
    await Promise.all(started.map((id) => temporal.client.workflow.getHandle(id).terminate('test over').catch(() => undefined)));
    await temporal.close();
  });

  async function startDossier(label: string, version?: string): Promise<string> {
    const workflowId = `CSE-UNSUPPORTED-${label}-${randomUUID().slice(0, 8)}`;
    // No worker polls this queue: the run stays open, as a pre-1.0 dossier does in an old data directory.
    await temporal.client.workflow.start('civilStatusExtractWorkflow', {
      taskQueue: temporal.taskQueue,
      workflowId,
      args: [],
      typedSearchAttributes: [
        { key: SearchAttributes.procedure, value: 'civil-status-extract' },
        ...(version ? [{ key: SearchAttributes.engineVersion, value: version }] : []),
      ],
    });
    started.push(workflowId);
    return workflowId;
  }

  it('names a dossier started before 1.0 and not one started under 1.0', async () => {
    const old = await startDossier('pre-1-0');
    const current = await startDossier('current', ENGINE_VERSION);
    // Both visible to the listing first: a run not yet indexed would be missing for the wrong reason.
    await eventually(async () => {
      const listed = await temporal.client.workflow.count(`WorkflowId = "${old}" OR WorkflowId = "${current}"`);
      return listed.count === 2 ? true : undefined;
    });
    const found = await findUnsupportedRuns(temporal.client);
    expect(found.dossierIds).toContain(old);
    expect(found.dossierIds).not.toContain(current);
  });
});
