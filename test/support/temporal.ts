import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, type WorkflowBundleOption } from '@temporalio/worker';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/temporal';
import { createPayloadCodec } from '../../common/payload-codec';
import { temporalTestServer } from '../../system/temporal-binaries';

/** The dev-mode payload key, as `npm start` uses it: what the integration tests' workers and clients encrypt with. */
export const testPayloadCodec = createPayloadCodec({ keys: undefined, devMode: true });

let runtimeInstalled = false;
/** Keeps the SDK's own logs out of test output unless something goes wrong. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // Already installed by an earlier test in this worker process.
  }
}

/** The workflow bundle built once by the global setup. */
export function workflowBundle(): WorkflowBundleOption {
  const codePath = process.env.TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('TEST_WORKFLOW_BUNDLE is not set: run the tests through jest (global setup)');
  return { codePath };
}

/**
 * The time-skipping test server, for workflow tests whose deadlines are days long, with the
 * engine's search attributes: workflows upsert them, and the server, like a real namespace,
 * rejects undeclared ones ("search attribute DossierStatus is not defined").
 */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
  });
  return env;
}

export interface DevServerConnections {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  /** A task queue of this test file's own, so files sharing the server never steal each other's tasks. */
  taskQueue: string;
  close(): Promise<void>;
}

/** Connections to the real dev server that the global setup started. */
export async function connectDevServer(): Promise<DevServerConnections> {
  quietRuntime();
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup)');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    address,
    client: new Client({ connection, dataConverter: { payloadCodecs: [testPayloadCodec] } }),
    nativeConnection,
    taskQueue: `test-${randomUUID()}`,
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}
