/** Jest runs domain specs (libs/**), contract suites and HTTP tests (test/**). */
const mapper = {};
for (const lib of ['domain', 'event-store', 'read-models', 'contracts', 'runtime', 'importers', 'exports', 'integration']) {
  mapper[`^@funnel/${lib}$`] = `<rootDir>/libs/${lib}/src`;
  mapper[`^@funnel/${lib}/(.*)$`] = `<rootDir>/libs/${lib}/src/$1`;
}
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '.*\\.spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Type checking is done once by `npm run lint` (tsc --noEmit); jest only transpiles, which
  // keeps the suite fast on a 2-core machine.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true } }] },
  moduleNameMapper: mapper,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
