import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Manifest, REPO_ROOT } from './rendered-manifests';

/**
 * Where the CustomResourceDefinitions are read from: TROUPE_K8S_SCHEMAS, else ../shared/k8s-schemas
 * beside the repository, else beside the repository this one was cloned from (a CI clone of a
 * local checkout). Reference data, not kept in the repo.
 */
export function crdSchemasDir(): string {
  const candidates = process.env.TROUPE_K8S_SCHEMAS
    ? [path.resolve(REPO_ROOT, process.env.TROUPE_K8S_SCHEMAS)]
    : [REPO_ROOT, clonedFrom()].flatMap((root) =>
        root ? [path.resolve(root, '..', 'shared', 'k8s-schemas')] : [],
      );
  const dir = candidates.find((candidate) => fs.existsSync(candidate));
  if (!dir)
    throw new Error(
      `no CRD schemas at ${candidates.join(' or ')}: set TROUPE_K8S_SCHEMAS to a folder holding the CRDs of Strimzi 1.x ` +
        '(packaging/install/cluster-operator/043-Crd-kafkatopic.yaml, 044-Crd-kafkauser.yaml), KEDA 2.x ' +
        '(config/crd/bases/keda.sh_scaledobjects.yaml, keda.sh_triggerauthentications.yaml) and the Prometheus Operator ' +
        '(example/prometheus-operator-crd/monitoring.coreos.com_{servicemonitors,podmonitors,prometheusrules}.yaml), ' +
        "downloaded from each project's release",
    );
  return dir;
}

/** The local repository this checkout was cloned from (its `origin` is a folder), if any. */
function clonedFrom(): string | undefined {
  try {
    const origin = execFileSync('git', ['remote', 'get-url', 'origin'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    const local = origin.startsWith('file://') ? origin.slice('file://'.length) : origin;
    return path.isAbsolute(local) && fs.existsSync(local) ? local : undefined;
  } catch {
    return undefined;
  }
}

interface Crd {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{
      name: string;
      served: boolean;
      schema?: { openAPIV3Schema: Record<string, unknown> };
    }>;
  };
}

/**
 * Validators for custom resources from their CRDs' openAPIV3Schema, as the API server applies
 * them with kubectl's strict field validation: a field the schema does not define is an error
 * (objects with properties are closed unless x-kubernetes-preserve-unknown-fields), nullable
 * and x-kubernetes-int-or-string as the server reads them. CEL rules (x-kubernetes-validations)
 * are not evaluated here.
 */
export class CrdSchemas {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(dir = crdSchemasDir()) {
    // Patterns are Go regular expressions (the API server's); `(?i)` becomes JavaScript's i flag.
    const goRegExp = (pattern: string, flags: string) =>
      pattern.includes('(?i)')
        ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`)
        : new RegExp(pattern, flags);
    const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: goRegExp as never } });
    addFormats(ajv);
    for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'int-or-string'])
      ajv.addFormat(format, true);
    for (const file of yamlFiles(dir)) {
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const crd = doc.toJSON() as Crd;
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions) {
          if (!version.served || !version.schema) continue;
          const schema = closed(version.schema.openAPIV3Schema) as Record<string, unknown>;
          this.validators.set(
            `${crd.spec.group}/${version.name}|${crd.spec.names.kind}`,
            ajv.compile(schema),
          );
        }
      }
    }
  }

  /** The API versions and kinds the CRDs serve, e.g. `kafka.strimzi.io/v1|KafkaTopic`. */
  served(): string[] {
    return [...this.validators.keys()].sort();
  }

  /** Problems with one object; throws when no served CRD defines its apiVersion and kind. */
  validate(manifest: Manifest): string[] {
    const key = `${manifest.apiVersion}|${manifest.kind}`;
    const validate = this.validators.get(key);
    if (!validate)
      throw new Error(
        `no served CRD version for ${manifest.apiVersion} ${manifest.kind} (served: ${this.served().join(', ')})`,
      );
    if (validate(manifest)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
    );
  }
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

/** The schema with unknown fields refused where the API server would prune or refuse them. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === 'enum' || key === 'default' || key === 'example' ? value : closed(value),
    ]),
  ) as Record<string, unknown>;
  if (node['x-kubernetes-int-or-string'] === true && !node.anyOf && !node.oneOf) {
    delete node.type;
    node.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (
    node.properties &&
    node.additionalProperties === undefined &&
    node['x-kubernetes-preserve-unknown-fields'] !== true
  )
    node.additionalProperties = false;
  // The API server fills apiVersion/kind/metadata; the CRD schema lists only what it adds.
  return node;
}
