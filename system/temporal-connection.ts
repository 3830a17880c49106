import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../common/config';

type TemporalConfig = Config['temporal'];

function connectionOptions(config: TemporalConfig, address: string) {
  return { address, tls: config.tls || undefined, apiKey: config.apiKey };
}

/**
 * The API's calls retry an unavailable frontend briefly (about 1 s over 4 attempts) instead of the
 * SDK's default 10 attempts (about 20 s): a request answers 503 with Retry-After within a few
 * seconds while Temporal is away, and the caller retries with its Idempotency-Key. Long polls
 * (an Update waiting for a worker) are not affected: they do not fail with UNAVAILABLE.
 */
export const API_GRPC_RETRY = defaultGrpcRetryOptions({ maxAttempts: 4, factor: 2, initialIntervalMs: () => 150 });

/** The client the API uses to start, query and update workflows. */
export async function connectClient(config: TemporalConfig, address: string, payloadCodec: PayloadCodec): Promise<Client> {
  const connection = await Connection.connect({ ...connectionOptions(config, address), interceptors: [makeGrpcRetryInterceptor(API_GRPC_RETRY)] });
  return new Client({ connection, namespace: config.namespace, dataConverter: { payloadCodecs: [payloadCodec] } });
}

/** The worker's connection (the Rust core's, not the gRPC-js one). */
export function connectWorker(config: TemporalConfig, address: string): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config, address));
}
