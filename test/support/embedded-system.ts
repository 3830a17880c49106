import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../system/ports';

export interface EmbeddedSystemEnv {
  dataDir: string;
  ports: { api: number; temporal: number; temporalUi: number; postgres: number; smtp: number };
  /** The environment for `system/start.ts`: every part embedded, on free ports, in a fresh data directory. */
  env: NodeJS.ProcessEnv;
}

/** What the start test and the benchmark run `npm start` with: nothing of this machine's servers. */
export async function embeddedSystemEnv(prefix: string): Promise<EmbeddedSystemEnv> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const [api, temporal, temporalUi, postgres, smtp] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const { TEMPORAL_ADDRESS: _t, DATABASE_URL: _d, SMTP_URL: _s, ...inherited } = process.env;
  return {
    dataDir,
    ports: { api, temporal, temporalUi, postgres, smtp },
    env: {
      ...inherited,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(api),
      TEMPORAL_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(temporalUi),
      EMBEDDED_PG_PORT: String(postgres),
      EMBEDDED_SMTP_PORT: String(smtp),
    },
  };
}
