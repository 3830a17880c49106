/**
 * The bench baseline's worker as a process of its own (`startBare` spawns it), so that its CPU is
 * told apart from the bench's clients: no-op activities on the `bench-bare` task queue of the
 * server at BENCH_TEMPORAL_ADDRESS, with the system's dev-mode payload codec. Stops on SIGINT.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createPayloadCodec } from '../../common/payload-codec';
import { bareActivities } from './bare-activities';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address: process.env.BENCH_TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.BENCH_BARE_TASK_QUEUE!,
    workflowsPath: require.resolve('./bare-workflows'),
    activities: bareActivities,
    dataConverter: { payloadCodecs: [createPayloadCodec({ keys: undefined, devMode: true })] },
  });
  process.once('SIGINT', () => worker.shutdown());
  const running = worker.run();
  // The parent waits for this line before it starts workflows.
  process.stdout.write('bare worker polling\n');
  await running;
  await connection.close();
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
