/** @type {import('jest').Config} */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

/** What every project compiles and runs the same way. */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  // jose is published as ES modules only; compile it to CommonJS like our own code.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  modulePathIgnorePatterns: ['<rootDir>/data/'],
};

/** The fast tier (`npm run test:fast`): no server but the time-skipping one each workflow test file starts. */
const FAST = ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/workflows/**/*.test.ts'];

module.exports = {
  // A project's global setup runs only when one of its files is selected: `jest test/unit` or
  // `--selectProjects fast` builds the workflow bundle and starts no dev server.
  projects: [
    {
      ...common,
      displayName: 'fast',
      testMatch: FAST,
      globalSetup: '<rootDir>/test/support/global-setup-fast.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      // Integration, system and browser tests: real servers (the shared Temporal dev server, PostgreSQL, SMTP, npm start).
      displayName: 'servers',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/', '<rootDir>/test/workflows/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // Integration files each start servers; two at once fits the 2-core machine.
  maxWorkers: 2,
};
