import { explainIncompatibility } from './incompatibility.explainer';
import type { LocalSchema } from './local-schema.model';
import { RegistryClient } from './registry.client';

/** The registry's verdict on one local schema. */
export interface CompatibilityResult {
  readonly subject: string;
  readonly sourcePath: string;
  /** `new`: nothing registered under the subject yet, so anything is acceptable. */
  readonly status: 'compatible' | 'new' | 'incompatible';
  /** The latest registered version compared against, unless `new`. */
  readonly registeredVersion?: number;
  /** Why, when incompatible: the registry's own messages, else an explanation from avsc. */
  readonly reason?: string;
}

/**
 * Asks the registry whether each local schema may become the next version of its subject
 * (under the subject's compatibility level). Read-only: registers nothing. The registry is the
 * judge; the reason is explained locally only when the registry does not give one.
 */
export async function checkCompatibility(
  registryUrl: string,
  schemas: readonly LocalSchema[],
): Promise<CompatibilityResult[]> {
  const registry = new RegistryClient(registryUrl);
  const results: CompatibilityResult[] = [];
  for (const local of schemas) {
    const base = { subject: local.subject, sourcePath: local.sourcePath };
    // Checked first: Apicurio calls a schema "compatible" with a subject that does not exist.
    const latest = await registry.latest(local.subject);
    if (!latest) {
      results.push({ ...base, status: 'new' });
      continue;
    }
    const text = JSON.stringify(local.schema);
    const verdict = await registry.testCompatibility(local.subject, text);
    if (verdict.compatible) {
      results.push({ ...base, status: 'compatible', registeredVersion: latest.version });
      continue;
    }
    const reason =
      verdict.messages.length > 0
        ? verdict.messages.join('; ')
        : explainIncompatibility(
            local.schema,
            JSON.parse(latest.schema) as object,
            await registry.compatibilityLevel(local.subject),
            latest.version,
          );
    results.push({ ...base, status: 'incompatible', registeredVersion: latest.version, reason });
  }
  return results;
}

/** One line per subject, e.g. `INCOMPATIBLE orders.order.events-troupe.orders.OrderPlaced: …`. */
export function formatCompatibilityResult(result: CompatibilityResult): string {
  switch (result.status) {
    case 'new':
      return `new           ${result.subject} (nothing registered yet)`;
    case 'compatible':
      return `compatible    ${result.subject} (with version ${result.registeredVersion})`;
    case 'incompatible':
      return `INCOMPATIBLE  ${result.subject} (with version ${result.registeredVersion}, ${result.sourcePath}): ${result.reason}`;
  }
}
