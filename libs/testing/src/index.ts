export { testInfra, uniqueName } from './test-infra';
