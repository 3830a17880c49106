import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../common/config';

type TemporalConfig = Config['temporal'];

function connectionOptions(config: TemporalConfig, address: string) {
  return { address, tls: config.tls || undefined, apiKey: config.apiKey };
}

/** The client the API uses to start, query and update workflows. */
export async function connectClient(config: TemporalConfig, address: string, payloadCodec: PayloadCodec): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config, address));
  return new Client({ connection, namespace: config.namespace, dataConverter: { payloadCodecs: [payloadCodec] } });
}

/** The worker's connection (the Rust core's, not the gRPC-js one). */
export function connectWorker(config: TemporalConfig, address: string): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config, address));
}
