import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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
      '\nExamples:\n  $ ecrkit sim serve --port 4510\n  $ ecrkit --target aws --endpoint http://127.0.0.1:4510 repos\n  $ aws ecr describe-repositories --endpoint-url http://127.0.0.1:4510 --region us-east-1\n  $ ecrkit sim serve --port 0 --state ./sim.json --verify-sigv4\n\nWith the global --state <file>, the state is loaded from that file if it exists and saved after every change.\nPrints the endpoint URL on stdout once listening; Ctrl-C stops it.',
    )
    .action(
      app.action<ServeOptions>(async ({ opts, globals, out, signal }) => {
        const simulation = await import('@ecrkit/simulation');
        const statePath = globals.stateExplicit ? resolve(app.io.cwd, globals.state) : undefined;
        const lenient = opts.lenient === true;
        let registry: InstanceType<typeof simulation.SimulatedRegistry>;
        if (statePath && existsSync(statePath)) {
          registry = await loadOrExplain(() => simulation.loadSnapshot(statePath, { lenient }), globals.state);
        } else if (opts.seed === 'demo' || opts.seed === 'empty') {
          registry = new simulation.SimulatedRegistry({ lenient, accountId: simAccountId, region: simRegion });
          if (opts.seed === 'demo') registry.loadSeed(simulation.demoSeed);
        } else {
          const seedPath = resolve(app.io.cwd, opts.seed);
          registry = await loadOrExplain(async () => {
            const parsed = JSON.parse(await readFile(seedPath, 'utf8')) as Record<string, unknown>;
            // A snapshot names its format; anything else is a seed file.
            if (typeof parsed === 'object' && parsed !== null && 'format' in parsed) return simulation.loadSnapshot(seedPath, { lenient });
            return new simulation.SimulatedRegistry({ lenient, accountId: simAccountId, region: simRegion }).loadSeed(parsed as never);
          }, opts.seed);
        }
        // One save at a time, each writing the whole state atomically; changes during a save
        // coalesce into one more.
        let saving: Promise<void> = Promise.resolve();
        let pending = false;
        const save = () => {
          if (!statePath || pending) return;
          pending = true;
          saving = saving
            .then(async () => {
              pending = false;
              await mkdir(dirname(statePath), { recursive: true });
              await simulation.saveSnapshot(registry, statePath);
            })
            .catch((error: unknown) => out.note(`ecrkit: could not save the state to ${statePath}: ${error instanceof Error ? error.message : String(error)}`));
        };
        const credentials = opts.verifySigv4 ? signingCredentials(app.io.env) : undefined;
        const server = await simulation.startSimulationServer({
          registry,
          port: opts.port,
          host: opts.host,
          verifySignatures: opts.verifySigv4 === true,
          ...(credentials ? { credentials } : {}),
          onMutation: save,
        });
        save();
        out.result({ url: server.url, port: server.port, region: simRegion, accountId: simAccountId, state: statePath ?? null }, () => `${server.url}\n`);
        out.note(
          out.colors.dim(
            `ecrkit: simulation listening on ${server.url} (region ${simRegion}, account ${simAccountId}${statePath ? `, state in ${globals.state}` : ''}); Ctrl-C stops it.\n` +
              `        try: ecrkit --target aws --endpoint ${server.url} repos`,
          ),
        );
        await new Promise<void>((done) => {
          const stop = () => done();
          process.once('SIGTERM', stop);
          if (signal.aborted) done();
          else signal.addEventListener('abort', stop, { once: true });
        });
        await server.close();
        await saving;
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

async function loadOrExplain<T>(load: () => Promise<T>, path: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new CliError(`Could not load ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      exitCode: ExitCode.Usage,
      hint: "Pass a seed or snapshot file written by ecrkit, or --seed demo / --seed empty.",
      cause: error,
    });
  }
}
