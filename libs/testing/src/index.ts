export { CREATED_NAMES_KEY, testInfra, uniqueName } from './test-infra';
export { createTestDataSource } from './test-database';
export { waitFor } from './wait-for';
export { defineTestEvent } from './test-events';
