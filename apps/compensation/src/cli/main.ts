import { CliFailure, EXIT } from './exit-codes';
import { CliContext, Verb } from './verb';
import { VERBS } from './verbs';

/** The compensation app's default port (CompensationConfig.PORT). */
const DEFAULT_URL = 'http://127.0.0.1:3008';

const HELP = (verbs: Verb[]) => `troupe: find and fix what went wrong in a Troupe platform (talks to its compensation app)

usage: troupe [--url <url>] [--token <token>] [--json] <verb> [arguments]

verbs:
${verbs.map((v) => `  ${v.name.padEnd(10)} ${v.summary}`).join('\n')}

options (before or after the verb):
  --url <url>      the compensation app (default TROUPE_COMPENSATION_URL, else ${DEFAULT_URL})
  --token <token>  its admin token (default TROUPE_ADMIN_TOKEN)
  --json           machine-readable output on stdout
  --help           this text; \`troupe <verb> --help\` for a verb's

exit codes: 0 ok, 1 failure reported by the server, 2 bad usage or input, 3 app or dependency unreachable`;

/** Runs one command line; returns the exit code. Global options may stand anywhere. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, verbs: Verb[] = VERBS): Promise<number> {
  const rest: string[] = [];
  let url = env.TROUPE_COMPENSATION_URL || DEFAULT_URL;
  let token = env.TROUPE_ADMIN_TOKEN || undefined;
  let json = false;
  let help = false;
  const err = (line: string) => process.stderr.write(`${line}\n`);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split(/=(.*)/s, 2);
    if (name === '--url' || name === '--token') {
      const value = inline ?? argv[++i];
      if (!value) {
        err(`troupe: ${name} needs a value`);
        return EXIT.usage;
      }
      if (name === '--url') url = value;
      else token = value;
    } else if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else rest.push(arg);
  }
  const ctx: CliContext = { url, token, json, out: (line) => process.stdout.write(`${line}\n`), err };
  const [name, ...args] = rest;
  if (!name) {
    (help ? ctx.out : err)(HELP(verbs));
    return help ? EXIT.ok : EXIT.usage;
  }
  const verb = verbs.find((v) => v.name === name);
  if (!verb) {
    err(`troupe: unknown verb "${name}" (verbs: ${verbs.map((v) => v.name).join(', ')}; see troupe --help)`);
    return EXIT.usage;
  }
  if (help) {
    ctx.out(verb.usage);
    return EXIT.ok;
  }
  try {
    return await verb.run(args, ctx);
  } catch (error) {
    if (error instanceof CliFailure) {
      if (json) ctx.out(JSON.stringify({ error: error.message, exitCode: error.exitCode }));
      err(`troupe ${name}: ${error.message}`);
      return error.exitCode;
    }
    err(`troupe ${name}: ${(error as Error)?.stack ?? error}`);
    return EXIT.failed;
  }
}

if (require.main === module || process.env.TROUPE_CLI_ENTRY === '1')
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
