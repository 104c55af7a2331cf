import type { Config } from 'jest';

const paths = {
  '^@troupe/(messaging|outbox|schemas|observability|testing|scheduling|tasks)$': '<rootDir>/libs/$1/src',
};
const transform = { '^.+\\.ts$': 'ts-jest' };
const common = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: paths,
  transform,
};

/**
 * Three projects: unit specs beside the code, and integration and end-to-end suites in test/
 * that run against the real broker, registry and PostgreSQL, which test/infra.global-setup.ts
 * brings up (and stops again if it started them). Their environment deletes each test file's
 * topics, consumer groups and subjects afterwards (test/support/broker-cleanup.environment.ts).
 */
const config: Config = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,infra,scripts}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testEnvironment: '<rootDir>/test/support/broker-cleanup.environment.ts',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/infra.global-setup.ts',
      globalTeardown: '<rootDir>/test/infra.global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/timeouts.setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testEnvironment: '<rootDir>/test/support/broker-cleanup.environment.ts',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/infra.global-setup.ts',
      globalTeardown: '<rootDir>/test/infra.global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/e2e/timeouts.setup.ts'],
    },
  ],
};

export default config;
