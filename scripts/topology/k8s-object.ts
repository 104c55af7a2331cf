/** A Kubernetes object as plain data (rendered to YAML by the generator). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** A name Kubernetes accepts (DNS-1123 subdomain) for a Kafka topic or group name. */
export function resourceName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return cleaned.slice(0, 253);
}

/** The labels of everything belonging to one app. */
export function appLabels(app: string, partOf: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': partOf };
}
