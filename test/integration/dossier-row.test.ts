import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { civilStatusExtractWorkflow } from '../../procedures/civil-status-extract/workflow';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// No workflow without its stored dossier: the API writes the row before it starts the workflow, and
// a workflow started without one (by hand, or by a bug) fails at its first write, naming the reason,
// instead of running a dossier nobody can see. That first write is the
// check (no separate registerDossier call), on the real database.
describe('a workflow started without its dossier row', () => {
  let env: IntegrationEnv;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
  }, 60_000);

  it('fails at its first write with DossierMissing, and writes nothing', async () => {
    const dossierId = `CSE-000000-NOROW${Date.now().toString(36).toUpperCase()}`;
    const now = new Date();
    const handle = await env.temporal.client.workflow.start(civilStatusExtractWorkflow, {
      taskQueue: env.temporal.taskQueue,
      workflowId: dossierId,
      args: [
        {
          dossierId,
          unitCode: 'W-SAI-GON',
          receivedAt: now.toISOString(),
          dueAt: new Date(now.getTime() + 3 * 86_400_000).toISOString(),
          request: { kind: 'BIRTH' },
          publicBaseUrl: 'http://procedures.test',
        },
      ],
    });

    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!(failure instanceof WorkflowFailedError)) throw new Error(`expected the workflow to fail, got ${String(failure)}`);
    const { cause } = failure;
    const reason = cause instanceof ActivityFailure ? cause.cause : cause;
    expect(reason).toBeInstanceOf(ApplicationFailure);
    expect(reason).toMatchObject({ type: 'DossierMissing', nonRetryable: true });
    expect(await env.prisma.dossierEvent.count({ where: { dossierId } })).toBe(0);
    expect(await env.prisma.task.count({ where: { dossierId } })).toBe(0);
  }, 60_000);
});
