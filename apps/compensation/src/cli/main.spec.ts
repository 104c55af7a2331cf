import { main } from './main';
import { CliFailure } from './exit-codes';
import { CliContext, Verb } from './verb';

describe('troupe main', () => {
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  const seen: CliContext[] = [];
  const echo: Verb = {
    name: 'echo',
    summary: 'says its arguments',
    usage: 'troupe echo <words>',
    async run(args, ctx) {
      seen.push(ctx);
      if (args[0] === 'bad') throw new CliFailure('bad word', 2);
      ctx.out(args.join(' '));
      return 0;
    },
  };

  it('lists the verbs on --help, and exits 2 without a verb', async () => {
    expect(await main(['--help'], {}, [echo])).toBe(0);
    expect(out.join('')).toContain('echo       says its arguments');
    expect(await main([], {}, [echo])).toBe(2);
  });

  it("prints a verb's usage, refuses an unknown verb", async () => {
    expect(await main(['echo', '--help'], {}, [echo])).toBe(0);
    expect(out.join('')).toContain('troupe echo <words>');
    expect(await main(['nope'], {}, [echo])).toBe(2);
    expect(err.join('')).toContain('unknown verb "nope"');
  });

  it('takes --url, --token and --json anywhere, the environment otherwise, and never prints the token', async () => {
    expect(await main(['echo', 'hi', '--json', '--token', 'secret-token-123456'], { TROUPE_COMPENSATION_URL: 'http://comp:1' }, [echo])).toBe(0);
    expect(seen.at(-1)).toMatchObject({ url: 'http://comp:1', token: 'secret-token-123456', json: true });
    expect(await main(['--url=http://x:2', 'echo', 'bad'], { TROUPE_ADMIN_TOKEN: 'env-token-1234567' }, [echo])).toBe(2);
    expect(seen.at(-1)).toMatchObject({ url: 'http://x:2', token: 'env-token-1234567' });
    expect(err.join('')).toContain('troupe echo: bad word');
    expect(out.join('') + err.join('')).not.toMatch(/secret-token|env-token/);
  });
});
