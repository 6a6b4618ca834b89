/** @type {import('jest').Config} */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    // MikroORM and type-graphql name entities and types after their classes.
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  // jose and oidc-provider (the test identity provider) ship ES modules only; jest's module
  // loader needs them as CommonJS. oidc-provider's own dependencies (koa, debug) are CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(jose|oidc-provider)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // Two cores: two workers, each test file on its own database.
  maxWorkers: process.env.CI ? 2 : '50%',
};
