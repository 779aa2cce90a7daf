import { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { CliIo } from './CliIo.js';
import type { EcrClient } from '@ecrkit/services';
import { CliError } from './CliError.js';
import { ExitCode } from './exitCodes.js';
import { loadTableSupport } from './internal/table.js';
import { Output, type OutputFormat, type OutputStream } from './Output.js';
import { compileQuery, type Query } from './query.js';
import { shouldUseColor } from './internal/colors.js';
import type { ErrorContext } from './renderError.js';
import { openSession, type Session } from './session.js';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  target: 'sim' | 'aws';
  state: string;
  /** Whether --state (or ECRKIT_STATE) was given rather than defaulted. */
  stateExplicit: boolean;
  region?: string;
  profile?: string;
  /** Named profiles for other accounts' registries (replication destinations, pinned images), by account id. */
  accountProfiles: Record<string, string>;
  endpoint?: string;
  transport: 'sdk' | 'sigv4';
  registryId?: string;
  output: OutputFormat;
  /** The `--query` expression, applied to `json` and `text` results. */
  query?: string;
  color: boolean;
  debug: boolean;
  verbose: boolean;
}

/** What a command's action receives. */
export interface CommandContext<Opts> {
  /** The command's own options. */
  opts: Opts;
  globals: GlobalOptions;
  out: Output;
  /** The client for the chosen target, opened on first call. */
  client(): Promise<EcrClient>;
  /** The open session (target details), opened on first call. */
  session(): Promise<Session>;
  /** Record what the command works on, for error hints. */
  about(context: ErrorContext): void;
  /** Cancelled on Ctrl-C. */
  signal: AbortSignal;
}

/**
 * One CLI run: global options, the session (opened lazily, closed at the end), the error
 * context for hints and the exit code the actions set.
 */
export class App {
  readonly io: CliIo;
  exitCode = 0;
  errorContext: ErrorContext = {};
  output: Output | undefined;
  globals: GlobalOptions | undefined;
  /** Print usage errors as JSON (`--output json` was asked for), even before the options are parsed. */
  jsonErrors = false;
  readonly #controller = new AbortController();
  readonly #openSession: (globals: GlobalOptions, io: CliIo, out: Output) => Promise<Session>;
  #session: Promise<Session> | undefined;
  readonly #stdout: HeldStream;

  /**
   * `options.openSession` replaces how the target is opened and `options.signal` aborts this run
   * too (the demo runs commands on its own in-memory registry, under its own Ctrl-C).
   */
  constructor(io: CliIo, options: { openSession?: (globals: GlobalOptions, io: CliIo, out: Output) => Promise<Session>; signal?: AbortSignal } = {}) {
    this.io = io;
    this.#stdout = new HeldStream(io.stdout);
    this.#openSession = options.openSession ?? openSession;
    const parent = options.signal;
    parent?.addEventListener('abort', () => this.abort(parent.reason), { once: true });
  }

  /** Cancelled on Ctrl-C; every wait hands it down. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason?: unknown): void {
    this.#controller.abort(reason);
  }

  /**
   * Wrap a command action: resolve globals and output, run, save the simulation state (also when
   * the command failed half way: what did happen must persist; reads count too, they record pull
   * times and scan progress), and keep the exit code the action returns. What a mutating command
   * prints is held until its changes are saved: if the save fails, it is not printed.
   */
  action<Opts>(
    // biome-ignore lint/suspicious/noConfusingVoidType: an action either returns its exit code or nothing (exit 0).
    run: (ctx: CommandContext<Opts>, ...args: string[]) => Promise<number | void>,
    options: { mutating?: boolean | ((opts: Opts) => boolean) } = {},
  ): (...args: unknown[]) => Promise<void> {
    return async (...raw: unknown[]) => {
      const command = raw[raw.length - 1] as Command;
      const opts = command.opts() as Opts;
      const args = command.processedArgs.flatMap((a: unknown) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
      const globals = this.resolveGlobals(command);
      const out = await this.prepareOutput(globals);
      const mutating = typeof options.mutating === 'function' ? options.mutating(opts) : options.mutating === true;
      this.errorContext = { ...this.errorContext, command: commandPath(command), target: globals.target };
      const ctx: CommandContext<Opts> = {
        opts,
        globals,
        out,
        client: async () => (await this.session(globals)).client,
        session: () => this.session(globals),
        about: (context) => {
          this.errorContext = { ...this.errorContext, ...context };
        },
        signal: this.signal,
      };
      const hold = mutating && globals.target === 'sim';
      if (hold) this.#stdout.hold();
      try {
        const code = await run(ctx, ...args);
        if (typeof code === 'number') this.exitCode = code;
      } finally {
        const session = await this.#session?.catch(() => undefined);
        try {
          await session?.save();
        } catch (error) {
          if (hold) this.#stdout.discard();
          // A save failure wins over the command's own outcome: its changes are lost.
          // biome-ignore lint/correctness/noUnsafeFinally: see above.
          throw error;
        }
        if (hold) this.#stdout.release();
      }
    };
  }

  /** Globals of the running command, validated once. */
  resolveGlobals(command: Command): GlobalOptions {
    if (this.globals) return this.globals;
    const raw = command.optsWithGlobals() as Partial<GlobalOptions> & { accountProfile?: Record<string, string> };
    let root = command;
    while (root.parent) root = root.parent;
    // --query shapes data, so it implies --output json unless text (or table) was asked for.
    const outputGiven = root.getOptionValueSource('output') !== 'default';
    if (raw.query !== undefined && outputGiven && raw.output === 'table') {
      throw new CliError('--query needs --output json or --output text', { exitCode: ExitCode.Usage, hint: 'Drop --output table, or pass --output text.' });
    }
    const output: OutputFormat = raw.query !== undefined && !outputGiven ? 'json' : (raw.output ?? 'table');
    this.globals = {
      // An endpoint or a profile only make sense for AWS: imply the target rather than ignore them.
      target: raw.target ?? (raw.endpoint !== undefined || raw.profile !== undefined ? 'aws' : 'sim'),
      state: raw.state ?? '.ecrkit/sim-state.json',
      stateExplicit: root.getOptionValueSource('state') !== 'default',
      region: raw.region,
      profile: raw.profile,
      accountProfiles: raw.accountProfile ?? {},
      endpoint: raw.endpoint,
      transport: raw.transport ?? 'sigv4',
      registryId: raw.registryId,
      output,
      ...(raw.query !== undefined ? { query: raw.query } : {}),
      color: raw.color !== false,
      debug: raw.debug === true,
      verbose: raw.verbose === true,
    };
    return this.globals;
  }

  /**
   * The run's output, with what it needs loaded first: the `--query` compiled (a bad expression
   * fails here, before any request), and for tables the width and truncation libraries. Neither
   * is loaded when not needed, so `--output json` starts faster.
   */
  async prepareOutput(globals: GlobalOptions): Promise<Output> {
    if (this.output) return this.output;
    const query = globals.query !== undefined ? await compileQuery(globals.query) : undefined;
    if (globals.output === 'table') await loadTableSupport();
    return this.makeOutput(globals, query);
  }

  makeOutput(globals: GlobalOptions, query?: Query): Output {
    this.output ??= new Output({
      format: globals.output,
      color: shouldUseColor({ flag: globals.color, env: this.io.env, isTTY: this.io.stdout.isTTY }),
      stdout: this.#stdout,
      stderr: this.io.stderr,
      ...(query ? { query } : {}),
      verbose: globals.verbose,
    });
    return this.output;
  }

  session(globals: GlobalOptions): Promise<Session> {
    this.#session ??= this.#openSession(globals, this.io, this.makeOutput(globals)).then((session) => {
      this.errorContext = { ...this.errorContext, endpoint: session.endpoint };
      return session;
    });
    return this.#session;
  }

  /** Close transports and servers this run opened. */
  async close(): Promise<void> {
    if (!this.#session) return;
    const session = await this.#session.catch(() => undefined);
    await session?.close();
  }
}

/** Standard output that can hold what is written until `release()` (or drop it with `discard()`). */
class HeldStream extends Writable {
  readonly #target: OutputStream;
  #held: Buffer[] | undefined;

  constructor(target: OutputStream) {
    super();
    this.#target = target;
  }

  get isTTY(): boolean | undefined {
    return this.#target.isTTY;
  }

  get columns(): number | undefined {
    return this.#target.columns;
  }

  hold(): void {
    this.#held ??= [];
  }

  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const chunk of held) this.#target.write(chunk);
  }

  discard(): void {
    this.#held = undefined;
  }

  // Synchronous, so held and passed-through writes keep their order.
  override write(chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), done?: (error?: Error | null) => void): boolean {
    const callback = typeof encoding === 'function' ? encoding : done;
    if (!this.#held) return typeof encoding === 'string' ? this.#target.write(chunk, encoding, callback) : this.#target.write(chunk, callback);
    this.#held.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk));
    callback?.();
    return true;
  }
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
