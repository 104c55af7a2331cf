import { spawn } from 'node:child_process';
import { LocalInfra } from './local-infra';

/** `npm run infra:<command>`: up | down | status | logs [-f] | reset */
async function main(command: string | undefined, args: string[]): Promise<number> {
  const infra = new LocalInfra();
  switch (command) {
    case 'up': {
      const t0 = Date.now();
      await infra.up();
      printStatus(await infra.status());
      console.log(`infrastructure ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return 0;
    }
    case 'down':
      await infra.down();
      return 0;
    case 'status': {
      const status = await infra.status();
      printStatus(status);
      return status.every((s) => s.healthy) ? 0 : 1;
    }
    case 'logs': {
      const files = infra.parts.flatMap((p) => p.logFiles());
      const follow = args.includes('-f') || args.includes('--follow');
      const tail = spawn(
        'tail',
        [follow ? '-F' : '-n', ...(follow ? ['-n', '20'] : ['50']), ...files],
        { stdio: 'inherit' },
      );
      return new Promise((resolve) => tail.on('exit', (code) => resolve(code ?? 0)));
    }
    case 'reset':
      await infra.reset();
      return 0;
    default:
      console.error('usage: infra <up|down|status|logs [-f]|reset>');
      return 2;
  }
}

function printStatus(status: Awaited<ReturnType<LocalInfra['status']>>): void {
  for (const s of status) {
    const state = s.healthy ? 'healthy' : s.running ? 'running, NOT healthy' : 'DOWN';
    console.log(`${s.name.padEnd(10)} ${s.address.padEnd(45)} ${state}`);
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`infra ${process.argv[2] ?? ''}: ${error.message}`);
    process.exit(1);
  },
);
