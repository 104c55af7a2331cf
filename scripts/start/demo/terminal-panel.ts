/**
 * A block of lines redrawn in place on a terminal; elsewhere (a pipe, a file) each update is
 * printed as one line, so captured output stays a readable log.
 */
export class TerminalPanel {
  private drawn = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  draw(lines: string[]): void {
    if (!this.out.isTTY) {
      this.out.write(`${lines.join(' | ')}\n`);
      return;
    }
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.out.write(
      `${up}${lines.map((line) => `\x1b[2K${line.slice(0, this.out.columns ?? 200)}`).join('\n')}\n`,
    );
    this.drawn = lines.length;
  }

  /** Lines printed above the panel without breaking it. */
  print(line: string): void {
    if (this.out.isTTY && this.drawn > 0) {
      this.out.write(`\x1b[${this.drawn}A\x1b[0J`);
      this.drawn = 0;
    }
    this.out.write(`${line}\n`);
  }
}
