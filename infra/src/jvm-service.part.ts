import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackgroundProcess, portInUse, sleep } from './background-process';
import { Part } from './part';
import { InfraSettings } from './settings';

export interface LaunchSpec {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A server the scripts run in the background on the local JVM: reused when healthy, started
 * otherwise, and reported with the tail of its log when it does not become healthy in time.
 */
export abstract class JvmServicePart implements Part {
  protected readonly process: BackgroundProcess;

  protected constructor(
    readonly name: string,
    protected readonly settings: InfraSettings,
    protected readonly port: number,
  ) {
    const dir = this.dir();
    this.process = new BackgroundProcess(
      name,
      path.join(dir, `${name}.pid`),
      path.join(dir, 'logs', `${name}.out`),
    );
  }

  abstract address(): string;
  abstract healthy(): Promise<boolean>;
  /** Prepares files (config, formatted storage) and says how to start the server. */
  protected abstract prepare(): Promise<LaunchSpec>;

  dir(): string {
    return path.join(this.settings.dataDir, this.name);
  }

  running(): boolean {
    return this.process.isRunning();
  }

  async up(): Promise<boolean> {
    if (this.process.isRunning()) {
      if (await this.waitHealthy()) return false;
      throw this.failure(`is running (pid ${this.process.pid()}) but not healthy`);
    }
    if (await portInUse(this.port)) {
      throw new Error(
        `${this.name}: port ${this.port} on 127.0.0.1 is held by another process; stop it or choose another port ` +
          `(${this.portVariable()})`,
      );
    }
    const launch = await this.prepare();
    this.process.start(launch.command, launch.args, { cwd: launch.cwd, env: launch.env });
    if (await this.waitHealthy()) return true;
    const reason = this.process.isRunning() ? 'did not become healthy' : 'exited during start-up';
    const error = this.failure(`${reason} within ${this.settings.startTimeoutMs / 1000} s`);
    await this.process.stop(5000);
    throw error;
  }

  down(): Promise<boolean> {
    return this.process.stop();
  }

  logFiles(): string[] {
    return [this.process.logFile];
  }

  localData(): string[] {
    return [this.dir()];
  }

  async wipe(): Promise<void> {
    fs.rmSync(this.dir(), { recursive: true, force: true });
  }

  protected abstract portVariable(): string;

  /** Polls health until the timeout; gives up at once if the process has exited. */
  private async waitHealthy(): Promise<boolean> {
    const deadline = Date.now() + this.settings.startTimeoutMs;
    while (Date.now() < deadline && this.process.isRunning()) {
      if (await this.healthy()) return true;
      await sleep(500);
    }
    return false;
  }

  private failure(what: string): Error {
    return new Error(
      `${this.name} ${what}. Last lines of ${this.process.logFile}:\n${this.process.tail(40)}`,
    );
  }
}
