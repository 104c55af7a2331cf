/**
 * Runs a schema CLI: its exit code is what `main` resolves to; an exception prints its message
 * (which names the file or subject at fault) and exits 1.
 */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
