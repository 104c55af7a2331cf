import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The Prometheus server and promtool this machine runs the monitoring tests with. */
export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
  /** e.g. "2.42.0" */
  version: string;
}

/** Why the binaries are not there and cannot be installed here. */
export interface PrometheusUnavailable {
  unavailable: string;
}

const DIRS = () =>
  [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin', '/bin'].filter(
    Boolean,
  );

function find(binary: string): string | undefined {
  for (const dir of DIRS()) {
    const file = path.join(dir, binary);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function located(): PrometheusBinaries | undefined {
  const prometheus = find('prometheus');
  const promtool = find('promtool');
  if (!prometheus || !promtool) return undefined;
  const out = spawnSync(prometheus, ['--version'], { encoding: 'utf8' });
  const version = /version (\d+\.\d+\.\d+)/.exec(`${out.stdout}${out.stderr}`)?.[1] ?? 'unknown';
  return { prometheus, promtool, version };
}

/**
 * Finds `prometheus` and `promtool`; when they are missing, installs Debian's `prometheus`
 * package with apt-get (as root, or through passwordless sudo) and says so on stdout. Where apt
 * is not available, returns the reason instead, so callers can skip with a clear message.
 * Debian's package script does not start the daemon in containers (policy-rc.d); nothing here
 * starts one either: callers run their own server with their own configuration.
 */
export function ensurePrometheus(
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): PrometheusBinaries | PrometheusUnavailable {
  const found = located();
  if (found) return found;
  if (!find('apt-get'))
    return {
      unavailable:
        'prometheus and promtool are not installed and apt-get is not available here: install Prometheus 2.x or 3.x (with promtool) to run the monitoring tests',
    };
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !asRoot && find('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!asRoot && !sudo)
    return {
      unavailable:
        'prometheus and promtool are missing and installing them needs root (apt-get install prometheus)',
    };
  log(
    "prometheus: prometheus and promtool are missing; installing Debian's prometheus package with apt-get (once per machine)…",
  );
  const apt = (args: string[]) =>
    spawnSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['-n', 'apt-get', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status;
  const install = ['install', '-y', '-q', '--no-install-recommends', 'prometheus'];
  if (apt(install) !== 0) {
    // A fresh machine has no package lists yet.
    if (apt(['update', '-q']) !== 0 || apt(install) !== 0)
      throw new Error('apt-get could not install the prometheus package (see the output above)');
  }
  const installed = located();
  if (!installed)
    throw new Error(
      'apt-get installed prometheus, but prometheus or promtool is still not on the PATH',
    );
  log(
    `prometheus: installed Prometheus ${installed.version} (${installed.prometheus}, ${installed.promtool})`,
  );
  return installed;
}

export function isUnavailable(
  result: PrometheusBinaries | PrometheusUnavailable,
): result is PrometheusUnavailable {
  return 'unavailable' in result;
}
