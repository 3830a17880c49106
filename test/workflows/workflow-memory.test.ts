import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { definedProcedureWorkflow } from '../../workflows/defined-procedure';
import { FailureTypes } from '../../workflows/shared/messages';
import { PRELOADED_WORKFLOW_MODULES, WORKFLOWS_PATH } from '../../worker/workflow-bundle';
import { OWN_MODULES_QUERY } from '../support/own-modules-interceptor';
import { complete, definitionOf, dossierId, env, envNow, expectRejected, inputOf, resultOf, useEnvironment, waitForTask, world, type Handle } from './defined-procedure-helpers';

// What a dossier's workflow holds of the bundle's modules while it waits: each workflow has its own
// instance of every module it loads (workflows/index.ts), so what it loads is what a worker's cache
// of waiting dossiers costs. The interpreter loads zod and a document's schema only for a document
// the worker has not met (workflows/interpreted-documents.ts); the dossiers after share it.

const MSC = 'marital-status-certificate';
const MSC_WARD = 'W-BINH-THANH';
const MSC_APPLICANT = '079092009853';
const MSC_CLERK = 'clerk.w-binh-thanh';
const MSC_FILING = { purpose: 'OTHER', purposeDetail: 'Vay vốn ngân hàng', contactEmail: 'phan.quoc.bao@example.com' };
const marital = definitionOf(MSC);

/** zod, a procedure document's schema, the compiling of its schemas, and the procedures written as code. */
const HEAVY = /node_modules\/zod\/|procedures\/(document|definition-from-document)\.ts$|procedures\/[^/]+\/(workflow|definition)\.ts$/;

useEnvironment();

let bundle: WorkflowBundle;
beforeAll(async () => {
  const quiet = () => undefined;
  bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: PRELOADED_WORKFLOW_MODULES,
    workflowInterceptorModules: [require.resolve('../support/own-modules-interceptor')],
    logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, log: quiet },
  });
});

describe('what a waiting dossier holds', () => {
  it('the first dossier of a document loads zod to interpret it; the next ones share that, and load no other procedure', async () => {
    const { fake } = world();
    const taskQueue = `test-memory-${randomUUID()}`;
    const worker = await Worker.create({ connection: env().nativeConnection, taskQueue, workflowBundle: bundle, activities: fake.activities });
    const handles: Handle[] = [];
    try {
      await worker.runUntil(async () => {
        for (const label of ['first', 'second', 'third']) {
          const input = inputOf(marital, dossierId('MSC', label), await envNow(), MSC_FILING, MSC_WARD);
          fake.file({ ...input, request: marital.filing.parse(MSC_FILING) as Record<string, unknown>, procedure: MSC, applicantPin: MSC_APPLICANT });
          const handle = await env().client.workflow.start(definedProcedureWorkflow, { taskQueue, workflowId: input.dossierId, args: [input] });
          handles.push(handle);
          await waitForTask(handle, fake, `${input.dossierId}-T1`);
        }
        const [first, ...next] = await Promise.all(handles.map((h) => h.query<string[]>(OWN_MODULES_QUERY)));
        expect(first!.some((m) => /node_modules\/zod\//.test(m))).toBe(true);
        for (const modules of next) expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);

        // The shared schemas check the clerk's decisions of every dossier: refused when invalid, taken when valid.
        const [, second, third] = handles;
        await expectRejected(complete(second!, `${second!.workflowId}-T1`, 'refuse', MSC_CLERK, {}), [FailureTypes.invalidTaskData]);
        await complete(second!, `${second!.workflowId}-T1`, 'approve', MSC_CLERK);
        await complete(third!, `${third!.workflowId}-T1`, 'refuse', MSC_CLERK, { reason: 'Hồ sơ không đủ điều kiện' });
        expect(await resultOf(second!)).toMatchObject({ status: 'issued' });
        expect(await resultOf(third!)).toMatchObject({ status: 'refused' });
      });
    } finally {
      for (const handle of handles) if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test over');
    }
  });
});
