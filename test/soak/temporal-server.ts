import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/temporal';
import { temporalCli } from '../../system/temporal-binaries';

/**
 * A Temporal dev server process the soak owns (`temporal server start-dev`), persisted in a SQLite
 * file, so it can be killed with SIGKILL and started again on the same port and file with every
 * workflow's history kept. Nothing restarts it by itself: the fault injector does.
 */
export class TemporalDevServer {
  private child?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  private readonly log: WriteStream;

  constructor(
    readonly port: number,
    private readonly dbFilename: string,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const cli = temporalCli();
    if (cli.type !== 'existing-path') throw new Error('No temporal CLI found (PATH, TEMPORAL_CLI_PATH or Python scripts): see system/temporal-binaries.ts');
    const searchAttributes = ALL_SEARCH_ATTRIBUTES.flatMap(({ name, type }) => ['--search-attribute', `${name}=${TypedSearchAttributes.toMetadataType(type)}`]);
    // As system/embedded-temporal.ts starts it, headless.
    const args = [
      'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(this.port), '--namespace', 'default', '--db-filename', this.dbFilename,
      '--log-format', 'json', '--log-level', 'warn', '--headless',
      '--dynamic-config-value', 'frontend.enableServerVersionCheck=false',
      '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
      '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
      ...searchAttributes,
    ];
    const child = spawn(cli.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    await this.waitServing(child);
  }

  /** SIGKILL: no chance to clean up. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
    this.log.end();
  }

  private async waitServing(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Temporal dev server exited (${child.exitCode ?? child.signalCode})`);
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer at ${this.address} within 60 s`);
      let connection: Connection | undefined;
      try {
        connection = await Connection.connect({ address: this.address, connectTimeout: 1000 });
        await connection.withDeadline(Date.now() + 2000, () => connection!.workflowService.getSystemInfo({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        await connection?.close().catch(() => undefined);
      }
    }
  }
}
