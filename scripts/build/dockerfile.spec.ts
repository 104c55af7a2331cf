import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { copyOf, envOf, execForm, parseDockerfile } from './dockerfile.model';
import { applicationsOf } from './nest-projects';

const root = path.resolve(__dirname, '..', '..');
const stages = parseDockerfile(path.join(root, 'Dockerfile'));
const stage = (name: string) => stages.find((s) => s.name === name)!;
const runs = (name: string) =>
  stage(name)
    .instructions.filter((i) => i.keyword === 'RUN')
    .map((i) => i.args);
const ignored = fs
  .readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** No Docker engine here: the Dockerfile is checked for what an image build and run would rely on. */
describe('Dockerfile', () => {
  it('builds in stages: full install and build, production dependencies only, and the runtime', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'production-dependencies', 'runtime']);
    expect(runs('build')).toEqual([expect.stringMatching(/^npm ci\b/), 'npm run build']);
    expect(runs('production-dependencies')[0]).toMatch(/^npm ci --omit=dev\b/);
    expect(runs('runtime')).toEqual([]);
  });

  it('runs as a non-root user with the uid the Deployments require', () => {
    const users = stage('runtime').instructions.filter((i) => i.keyword === 'USER');
    expect(users.map((u) => u.args)).toEqual(['node']); // uid 1000 in the official Node images
    const deployment = parse(
      fs
        .readFileSync(path.join(root, 'k8s/base/generated/apps/orders.yaml'), 'utf8')
        .split('\n---\n')[1],
    );
    expect(deployment.spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
    });
  });

  it('copies only paths that exist in the repository and are not excluded from the context', () => {
    for (const s of stages)
      for (const instruction of s.instructions.filter((i) => i.keyword === 'COPY')) {
        const copy = copyOf(instruction);
        if (copy.from) {
          expect(stages.slice(0, stages.indexOf(s)).map((x) => x.name)).toContain(copy.from);
          continue;
        }
        for (const source of copy.sources) {
          expect([source, fs.existsSync(path.join(root, source))]).toEqual([source, true]);
          expect([
            source,
            ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)),
          ]).toEqual([source, false]);
        }
      }
  });

  it('ships the production dependencies and the build, not the build stage node_modules', () => {
    const copies = stage('runtime')
      .instructions.filter((i) => i.keyword === 'COPY')
      .map(copyOf);
    expect(copies).toContainEqual({
      from: 'production-dependencies',
      sources: ['/app/node_modules'],
      destination: './node_modules',
    });
    expect(copies).toContainEqual({ from: 'build', sources: ['/app/dist'], destination: './dist' });
    expect(copies.filter((c) => c.from === 'build').map((c) => c.sources)).toEqual([['/app/dist']]);
  });

  it('starts a built app: node with an entry the build writes, and every app can be chosen', () => {
    const entrypoint = execForm(
      stage('runtime').instructions.find((i) => i.keyword === 'ENTRYPOINT'),
    );
    const cmd = execForm(stage('runtime').instructions.find((i) => i.keyword === 'CMD'));
    expect(entrypoint).toEqual(['node']);
    const apps = applicationsOf(root);
    expect(cmd).toHaveLength(1);
    expect(apps.map((app) => `dist/apps/${app}/main.js`)).toContain(cmd[0]);
    for (const app of apps) {
      const deployment = parse(
        fs
          .readFileSync(path.join(root, `k8s/base/generated/apps/${app}.yaml`), 'utf8')
          .split('\n---\n')[1],
      );
      expect(deployment.spec.template.spec.containers[0].args).toEqual([
        `dist/apps/${app}/main.js`,
      ]);
    }
  });

  it("runs in production mode on the Deployments' port, with its memory options", () => {
    expect(envOf(stage('runtime'))).toEqual({
      NODE_ENV: 'production',
      PORT: '8080',
      NODE_OPTIONS: '--max-semi-space-size=4',
    });
  });

  it('keeps local state and build output out of the context', () => {
    for (const entry of ['node_modules', 'dist', 'infra/.cache', 'infra/.data', '.git'])
      expect(ignored).toContain(entry);
  });
});
