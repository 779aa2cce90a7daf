import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { App } from '../App.js';
import { CliError } from '../CliError.js';
import { ExitCode } from '../exitCodes.js';
import { parsePort } from '../internal/args.js';
import { simAccountId, simRegion } from '../session.js';

interface ServeOptions {
  port: number;
  host: string;
  seed: string;
  verifySigv4?: boolean;
  lenient?: boolean;
}

/** `sim serve`: the simulation as an ECR-compatible HTTP endpoint. */
export function registerSimCommands(program: Command, app: App): void {
  const sim = program.command('sim').description('The ECR simulation as an HTTP endpoint for SDKs, the AWS CLI and other tools');
  sim
    .command('serve')
    .description('Serve the simulation over HTTP (AWS JSON 1.1, private ECR and ECR Public) until interrupted')
    .addOption(new Option('--port <port>', 'TCP port (0 picks a free one)').default(4510).argParser(parsePort))
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--seed <seed>', "initial state: 'demo', 'empty' or a seed/snapshot JSON file", 'demo')
    .option('--verify-sigv4', 'require valid SigV4 signatures (keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)')
    .option('--lenient', 'accept what moto accepts (no blob upload checks, relaxed digests)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit sim serve --port 4510\n  $ ecrkit --target aws --endpoint http://127.0.0.1:4510 repos\n  $ aws ecr describe-repositories --endpoint-url http://127.0.0.1:4510 --region us-east-1\n  $ ecrkit sim serve --port 0 --state ./sim.json --verify-sigv4\n\nWith the global --state <file>, the state is loaded from that file if it exists (else created from --seed) and saved after changes and on stop.\nPrints the endpoint URL on stdout once listening; Ctrl-C or SIGTERM stops it.',
    )
    .action(
      app.action<ServeOptions>(async ({ opts, globals, out, signal }) => {
        const simulation = await import('@ecrkit/simulation');
        const statePath = globals.stateExplicit ? resolve(app.io.cwd, globals.state) : undefined;
        const credentials = opts.verifySigv4 ? signingCredentials(app.io.env) : undefined;
        let running: Awaited<ReturnType<typeof simulation.runSimulationServer>>;
        try {
          // The simulation's own runner, as `ecrkit-sim serve` uses it: state file or seed in,
          // atomic saves after changes and on stop.
          running = await simulation.runSimulationServer({
            port: opts.port,
            host: opts.host,
            verifySignatures: opts.verifySigv4 === true,
            ...(credentials ? { credentials } : {}),
            statePath,
            seed: opts.seed === 'demo' ? simulation.demoSeed : opts.seed === 'empty' ? undefined : resolve(app.io.cwd, opts.seed),
            registryOptions: { lenient: opts.lenient === true, accountId: simAccountId, region: simRegion },
            signal,
            // SIGINT is the CLI's own: it aborts `signal`.
            stopOnSignals: ['SIGTERM'],
            onSaveError: (error, path) => out.note(`ecrkit: could not save the state to ${path}: ${error.message}`),
          });
        } catch (error) {
          throw startFailure(error, simulation.SimulationStartError, { host: opts.host, port: opts.port, statePath, state: globals.state, seed: opts.seed });
        }
        const { url, port } = running;
        out.result({ url, port, region: simRegion, accountId: simAccountId, state: statePath ?? null }, () => `${url}\n`);
        out.note(
          out.colors.dim(
            `ecrkit: simulation listening on ${url} (region ${simRegion}, account ${simAccountId}${statePath ? `, state in ${globals.state}` : ''}); Ctrl-C stops it.\n` +
              `        try: ecrkit --target aws --endpoint ${url} repos`,
          ),
        );
        await running.stopped;
        out.note(out.colors.dim('ecrkit: simulation stopped.'));
      }),
    );
}

function signingCredentials(env: NodeJS.ProcessEnv): { accessKeyId: string; secretAccessKey: string; accountId: string }[] {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new CliError('--verify-sigv4 needs the key pair clients will sign with', {
      exitCode: ExitCode.Usage,
      hint: 'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values; clients must use the same).',
    });
  }
  return [{ accessKeyId, secretAccessKey, accountId: simAccountId }];
}

/** A start-up failure as a CLI error: an unreadable state or seed is a usage error, a port in use a service one. */
function startFailure(
  error: unknown,
  StartError: typeof import('@ecrkit/simulation').SimulationStartError,
  where: { host: string; port: number; statePath: string | undefined; state: string; seed: string },
): unknown {
  if (!(error instanceof StartError)) return error;
  const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
  if (error.stage === 'listen') {
    return new CliError(`Could not listen on ${where.host}:${where.port}: ${reason}`, {
      exitCode: ExitCode.Service,
      hint: 'Pick another --port, or --port 0 for a free one.',
      cause: error,
    });
  }
  if (error.reason === 'locked' || error.reason === 'io') {
    return new CliError(error.message, {
      exitCode: ExitCode.Service,
      hint: error.reason === 'locked' ? 'Another ecrkit command or server is using the state file: stop it, or pass another --state.' : undefined,
      cause: error,
    });
  }
  return new CliError(`Could not load ${error.path === where.statePath ? where.state : where.seed}: ${reason}`, {
    exitCode: ExitCode.Usage,
    hint: 'Pass a seed or snapshot file written by ecrkit, or --seed demo / --seed empty.',
    cause: error,
  });
}
