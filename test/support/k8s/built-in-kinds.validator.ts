import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Manifest, REPO_ROOT } from './rendered-manifests';

const POM = path.join(__dirname, 'pom.xml');
const SOURCE = path.join(__dirname, 'BuiltInKindsValidator.java');

export interface BuiltInResult {
  apiVersion: string;
  kind: string;
  name: string;
  error?: string;
}

/** The folder of the official Kubernetes Java client's jars, resolved from Maven Central once. */
function clientJars(): string {
  const version = /<kubernetes-client\.version>([^<]+)</.exec(fs.readFileSync(POM, 'utf8'))?.[1];
  const dir = path.join(REPO_ROOT, 'infra', '.cache', `k8s-client-java-${version}`);
  if (!fs.existsSync(path.join(dir, `client-java-api-${version}.jar`))) {
    try {
      execFileSync('mvn', ['-q', '-B', '-f', POM, 'process-resources'], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    } catch (error) {
      throw new Error(
        `Maven could not resolve io.kubernetes:client-java-api:${version} (is 'mvn' installed and Maven Central reachable?): ${(error as Error).message}`,
      );
    }
  }
  return dir;
}

/**
 * Validates built-in objects (Deployment, Service, ConfigMap, PodDisruptionBudget,
 * NetworkPolicy, Namespace, ...) with the official Kubernetes Java client's models, generated
 * from the Kubernetes API's OpenAPI document: unknown fields, missing required fields and wrong
 * types are errors. Runs BuiltInKindsValidator.java once for the whole list (Java 17's
 * single-file launcher; no build step).
 */
export function validateBuiltInKinds(manifests: readonly Manifest[]): BuiltInResult[] {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const output = execFileSync(java, ['-cp', path.join(clientJars(), '*'), SOURCE], {
    input: JSON.stringify(manifests),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output) as BuiltInResult[];
}
