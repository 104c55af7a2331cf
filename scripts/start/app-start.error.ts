/** A start that did not reach readiness; the message carries the app's last log lines. */
export class AppStartError extends Error {
  constructor(
    readonly app: string,
    reason: string,
    readonly lastLines: string[],
  ) {
    super(
      `${app} did not become ready: ${reason}\n--- last ${lastLines.length} lines of ${app} ---\n${lastLines.join('\n')}`,
    );
    this.name = 'AppStartError';
  }
}
