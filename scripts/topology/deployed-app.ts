import { ServiceTopology } from '@troupe/messaging';

/** Requests and limits of one container (Kubernetes quantities). */
export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

/**
 * One app as it is deployed. The topology (what it publishes and handles) is the app's own
 * declaration; everything else here is how it runs in Kubernetes.
 */
export interface DeployedApp {
  /** The app's folder under apps/ and its Nest project: the image runs dist/apps/<name>/main.js. */
  readonly name: string;
  readonly topology: ServiceTopology;
  /** Owns tables: DATABASE_URL comes from the secret `<name>-database` (key `url`). */
  readonly database: boolean;
  /** Non-secret settings of the app (its ConfigMap), besides the platform's. */
  readonly config?: Readonly<Record<string, string>>;
  /** Apps it calls over HTTP: allowed by the NetworkPolicies both ways. */
  readonly calls?: readonly string[];
  /** Reached from outside the namespace (an ingress controller), not only by other apps. */
  readonly public?: boolean;
  /** TroupeOptions.shutdownTimeoutMs of the app. Default 25000. */
  readonly shutdownTimeoutMs?: number;
  /** Default {@link DEFAULT_RESOURCES}. */
  readonly resources?: ContainerResources;
  /** KEDA, for apps with 'once' groups: messages of lag per replica. Default 100. */
  readonly lagThreshold?: number;
}

/** What an idle app measured from the build needs (docs/benchmarks.md), with room for load. */
export const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: '100m', memory: '160Mi' },
  limits: { memory: '320Mi' },
};

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;
export const DEFAULT_LAG_THRESHOLD = 100;
