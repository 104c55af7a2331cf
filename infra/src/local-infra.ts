import { KafkaPart } from './kafka.part';
import { ensureArtifacts } from './maven-artifacts';
import { Part } from './part';
import { PostgresPart } from './postgres.part';
import { RegistryPart } from './registry.part';
import { InfraSettings, loadSettings } from './settings';

export interface PartStatus {
  name: string;
  address: string;
  healthy: boolean;
  running: boolean | undefined;
}

/** The whole local stack in start order: PostgreSQL, Kafka, the schema registry. */
export class LocalInfra {
  readonly postgres: PostgresPart;
  readonly kafka: KafkaPart;
  readonly registry: RegistryPart;

  constructor(
    readonly settings: InfraSettings = loadSettings(),
    private readonly log: (line: string) => void = (line) => console.log(line),
  ) {
    this.postgres = new PostgresPart(settings);
    this.registry = new RegistryPart(settings, this.postgres);
    this.kafka = new KafkaPart(settings);
    this.kafka.onNewCluster = () => this.registry.emptySchemas();
  }

  get parts(): Part[] {
    return [this.postgres, this.kafka, this.registry];
  }

  /** Brings every part up; returns the names of the parts this call started. */
  async up(): Promise<string[]> {
    await this.postgres.up();
    ensureArtifacts(this.settings, this.log);
    const started: string[] = [];
    for (const part of [this.kafka, this.registry]) {
      const t0 = Date.now();
      if (await part.up()) {
        started.push(part.name);
        this.log(
          `${part.name.padEnd(10)} started at ${part.address()} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        );
      } else {
        this.log(`${part.name.padEnd(10)} already running at ${part.address()}`);
      }
    }
    return started;
  }

  /** Stops the named parts (default: all the scripts run), registry first. */
  async down(names?: string[]): Promise<void> {
    for (const part of [this.registry, this.kafka]) {
      if (names && !names.includes(part.name)) continue;
      if (await part.down()) this.log(`${part.name.padEnd(10)} stopped`);
    }
  }

  async status(): Promise<PartStatus[]> {
    return Promise.all(
      this.parts.map(async (part) => ({
        name: part.name,
        address: part.address(),
        healthy: await part.healthy(),
        running: part.running(),
      })),
    );
  }

  async reset(): Promise<void> {
    this.log('infra:reset deletes:');
    for (const part of this.parts) for (const item of part.localData()) this.log(`  - ${item}`);
    await this.down();
    for (const part of [this.registry, this.kafka, this.postgres]) await part.wipe();
    this.log('done; `npm run infra:up` starts a fresh stack');
  }
}
