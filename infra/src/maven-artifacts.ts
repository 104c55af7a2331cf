import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INFRA_ROOT, InfraSettings } from './settings';

export const kafkaLibDir = (s: InfraSettings) =>
  path.join(s.cacheDir, `kafka-${s.kafkaVersion}`, 'libs');
export const apicurioDir = (s: InfraSettings) =>
  path.join(s.cacheDir, `apicurio-${s.apicurioVersion}`);

/** The registry's launcher: 3.0.x ships an uber "-runner.jar", later lines a Quarkus fast-jar. */
export function apicurioJar(s: InfraSettings): string | undefined {
  const dir = apicurioDir(s);
  const candidates = [
    path.join(dir, `apicurio-registry-app-${s.apicurioVersion}-runner.jar`),
    path.join(dir, 'quarkus-run.jar'),
  ];
  return candidates.find((file) => fs.existsSync(file));
}

function resolved(s: InfraSettings): boolean {
  const kafkaJars = [`kafka_2.13-${s.kafkaVersion}.jar`, `kafka-tools-${s.kafkaVersion}.jar`];
  return (
    kafkaJars.every((jar) => fs.existsSync(path.join(kafkaLibDir(s), jar))) &&
    apicurioJar(s) !== undefined
  );
}

/** Resolves the Kafka and Apicurio jars from Maven Central once; later calls are free. */
export function ensureArtifacts(s: InfraSettings, log: (line: string) => void): void {
  if (resolved(s)) return;
  log(
    `resolving Apache Kafka ${s.kafkaVersion} (broker and tools) and Apicurio Registry ${s.apicurioVersion} from Maven Central (first run only)…`,
  );
  try {
    execFileSync('mvn', ['-q', '-B', '-f', path.join(INFRA_ROOT, 'pom.xml'), 'process-resources'], {
      stdio: 'inherit',
    });
  } catch (error) {
    throw new Error(
      `Maven could not resolve the infrastructure jars (is 'mvn' installed and Maven Central reachable?): ${(error as Error).message}`,
    );
  }
  if (!resolved(s)) throw new Error(`Maven finished but the jars are missing under ${s.cacheDir}`);
}

/** The java binary to run: $JAVA_HOME/bin/java when set, else java on the PATH. It must be 17 or newer. */
export function javaBinary(): string {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error) throw new Error(`no Java found at "${java}": install Java 17 or set JAVA_HOME`);
  const match = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? Number(match[1]) : 0;
  if (major < 17)
    throw new Error(
      `Java 17 or newer is needed, "${java}" is ${match ? match[1] : 'unknown'} (set JAVA_HOME)`,
    );
  return java;
}
