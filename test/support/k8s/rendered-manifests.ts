import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const OVERLAYS = ['dev', 'prod', 'external'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** A rendered object, loosely typed: tests reach into it by path. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

/** `kubectl kustomize k8s/overlays/<overlay>`: what `kubectl apply -k` would send. */
export function renderOverlay(overlay: Overlay): Manifest[] {
  const yaml = execFileSync(
    'kubectl',
    ['kustomize', path.join(REPO_ROOT, 'k8s', 'overlays', overlay)],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return parseAllDocuments(yaml).map((doc) => {
    if (doc.errors.length > 0)
      throw new Error(`kubectl kustomize ${overlay}: ${doc.errors[0].message}`);
    return doc.toJSON() as Manifest;
  });
}

/** Group of an apiVersion: '' for the core group. */
export const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.split('/')[0] : '';

/** Built-in kinds: the core group and the *.k8s.io / unqualified groups Kubernetes serves itself. */
export function isBuiltIn(manifest: Manifest): boolean {
  const group = groupOf(manifest.apiVersion);
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}
