import type { LocalSchema } from './local-schema.model';
import { RegistryClient } from './registry.client';

export interface RegistrationResult {
  readonly subject: string;
  readonly id: number;
}

/**
 * Registers every local schema under its subject and returns the ids, in the order given.
 * Sends `JSON.stringify(schema)`, the pure Avro that the generated class carries, so the codec
 * registering a class later finds the same version rather than adding one (registries compare
 * schema text). Stops at the first rejection, which names the subject; registering again is
 * harmless since identical text yields the existing id.
 */
export async function registerSchemas(
  registryUrl: string,
  schemas: readonly LocalSchema[],
): Promise<RegistrationResult[]> {
  const registry = new RegistryClient(registryUrl);
  const results: RegistrationResult[] = [];
  for (const local of schemas) {
    try {
      results.push({
        subject: local.subject,
        id: await registry.register(local.subject, JSON.stringify(local.schema)),
      });
    } catch (error) {
      throw new Error(
        `registering ${local.subject} (${local.sourcePath}): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return results;
}
