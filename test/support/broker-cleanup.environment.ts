// Relative: jest loads an environment with Node's resolution (no moduleNameMapper).
import { CREATED_NAMES_KEY } from '../../libs/testing/src/test-infra';
import NodeEnvironment from 'jest-environment-node';
import * as path from 'node:path';
import { deleteTestResources } from './broker-cleanup';

/**
 * The jest environment of the integration and e2e suites: Node's, plus clean-up. Every name a
 * test file makes with uniqueName is written down (in the file's own global), and once the file
 * is done (after its afterAll hooks, so its services have stopped) every topic, consumer group
 * and registry subject containing one of those names is deleted. A developer's broker keeps
 * only the reference system's topics, however often the suites run.
 */
export default class BrokerCleanupEnvironment extends NodeEnvironment {
  private readonly testPath: string;

  constructor(
    config: ConstructorParameters<typeof NodeEnvironment>[0],
    context: ConstructorParameters<typeof NodeEnvironment>[1],
  ) {
    super(config, context);
    this.testPath = path.relative(config.projectConfig.rootDir, context.testPath);
  }

  override async setup(): Promise<void> {
    await super.setup();
    this.global[CREATED_NAMES_KEY] = [];
  }

  override async teardown(): Promise<void> {
    const names = (this.global[CREATED_NAMES_KEY] as string[] | undefined) ?? [];
    try {
      const { topics, groups, subjects } = await deleteTestResources(names);
      if (topics.length + groups.length + subjects.length > 0)
        process.stderr.write(
          `[cleanup] ${this.testPath}: deleted ${topics.length} topic(s), ${groups.length} consumer group(s), ${subjects.length} subject(s)\n`,
        );
    } catch (error) {
      // Tidying must not fail the run (the broker may be down after an outage test went wrong).
      process.stderr.write(
        `[cleanup] could not delete this file's topics and groups: ${(error as Error).message}\n`,
      );
    }
    await super.teardown();
  }
}
