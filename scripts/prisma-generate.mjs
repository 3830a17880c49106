// Generates the Prisma client (postinstall and bootstrap).
//
// `prisma generate` needs no schema engine, but the CLI still looks for one at start-up and tries
// to download it; machines without internet cannot. Naming any existing executable satisfies the
// look-up; where the real engine is installed (PRISMA_SCHEMA_ENGINE_BINARY set), it is used as is.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath };
const prismaCli = createRequire(path.join(root, 'package.json')).resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [prismaCli, 'generate'], { cwd: root, env, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
const schemaHash = createHash('sha256').update(readFileSync(path.join(root, 'prisma/schema.prisma'))).digest('hex');
writeFileSync(path.join(root, 'prisma/generated/.schema-hash'), schemaHash);
