import type { Config } from 'jest';

const paths = {
  '^@troupe/(messaging|outbox|schemas|observability|testing|tasks)$': '<rootDir>/libs/$1/src',
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
 * brings up (and stops again if it started them).
 */
const config: Config = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,infra,scripts}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/infra.global-setup.ts',
      globalTeardown: '<rootDir>/test/infra.global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/timeouts.setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/infra.global-setup.ts',
      globalTeardown: '<rootDir>/test/infra.global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/e2e/timeouts.setup.ts'],
    },
  ],
};

export default config;
