import * as fs from 'node:fs';
import { loadSettings } from '../../infra/src/settings';
import { PlatformHandle } from '../../scripts/start/platform-processes';

/** CPU seconds (user + system) so far of each app process, and of all postgres processes together. */
export function cpuSeconds(platform: PlatformHandle): Map<string, number> {
  const ticks = 100; // CLK_TCK on Linux
  const of = (pid: number | string): number => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      return 0;
    }
  };
  const seconds = new Map<string, number>();
  for (const app of platform.apps) seconds.set(app, of(platform.pid(app) ?? 0));
  let postgres = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') postgres += of(pid);
    } catch {
      // gone meanwhile
    }
  }
  seconds.set('postgres (all users)', postgres);
  seconds.set('machine', machineBusySeconds());
  return seconds;
}

function machineBusySeconds(): number {
  const cpu = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return cpu.reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0) / 100;
}

export function infraDatabaseUrl(settings: ReturnType<typeof loadSettings>): string {
  const url = new URL(settings.databaseUrl);
  url.pathname = `/${settings.appDatabase}`;
  return url.toString();
}
