import { Option, type Command } from 'commander';
import { serveFlags, type ServeFlagValues } from '@ecrkit/simulation';
import type { App } from '../App.js';
import { CliError } from '../CliError.js';

/** Commander's property for a kebab-case flag (`public-url` -> `publicUrl`). */
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * `sim serve`: the simulation as an ECR-compatible HTTP endpoint. Its flags, defaults,
 * validation, exit codes and messages are the simulation package's (`serveFlags`,
 * `resolveServeOptions`, `describeServeFailure`), exactly as `ecrkit-sim serve` uses them; only
 * `--state` is the CLI's global option here.
 */
export function registerSimCommands(program: Command, app: App): void {
  const sim = program.command('sim').description('The ECR simulation as an HTTP endpoint for SDKs, the AWS CLI and other tools');
  const serve = sim.command('serve').description('Serve the simulation over HTTP (AWS JSON 1.1, private ECR and ECR Public) until interrupted');
  for (const flag of serveFlags) {
    if (flag.name === 'state') continue;
    serve.addOption(new Option(`--${flag.name}${'value' in flag ? ` ${flag.value}` : ''}`, flag.description));
  }
  serve
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit sim serve\n  $ ecrkit --endpoint http://127.0.0.1:4510 get-login-password | skopeo login --username AWS --password-stdin --tls-verify=false 127.0.0.1:4510\n  $ skopeo copy --dest-tls-verify=false oci:./layout:v1 docker://127.0.0.1:4510/web-app:v1\n  $ ecrkit --target aws --endpoint http://127.0.0.1:4510 repos\n  $ aws ecr describe-repositories --endpoint-url http://127.0.0.1:4510 --region us-east-1\n  $ ecrkit --state ./sim.json sim serve --port 0 --verify-sigv4 --access-key AKIDSIM --secret-key-file ./sim.secret\n\nWith the global --state <file>, the state is loaded from that file if it exists (else created from --seed) and saved after changes and on stop.\nPrefer --secret-key-file or AWS_SECRET_ACCESS_KEY to --secret-key, whose value other users of the machine can read in `ps`.\nPrints the endpoint URL on stdout once listening; Ctrl-C or SIGTERM stops it. The same command as the simulation package's `ecrkit-sim serve`.",
    )
    .action(
      app.action<Record<string, string | boolean | undefined>>(async ({ opts, globals, out, signal }) => {
        const simulation = await import('@ecrkit/simulation');
        const values: ServeFlagValues = {};
        for (const flag of serveFlags) {
          const value = opts[camel(flag.name)];
          if (value !== undefined) values[flag.name] = value;
        }
        if (globals.stateExplicit) values.state = globals.state;
        let settings: Awaited<ReturnType<typeof simulation.resolveServeOptions>> | undefined;
        let running: Awaited<ReturnType<typeof simulation.runSimulationServer>>;
        try {
          settings = await simulation.resolveServeOptions(values, { env: app.io.env, cwd: app.io.cwd });
          running = await simulation.runSimulationServer({
            ...settings.options,
            signal,
            // SIGINT is the CLI's own: it aborts `signal`.
            stopOnSignals: ['SIGTERM'],
            onSaveError: (error, path) => out.note(`ecrkit: could not save the state to ${path}: ${error.message}`),
          });
        } catch (error) {
          const failure = simulation.describeServeFailure(error, settings);
          if (!failure) throw error;
          throw new CliError(failure.message, { exitCode: failure.exitCode, hint: failure.hint, cause: error });
        }
        const { url, port } = running;
        const { defaultRegion: region, defaultAccountId: accountId } = running.registry;
        const statePath = settings.options.statePath;
        out.result('sim serve', { url, port, region, accountId, ...(statePath ? { state: statePath } : {}) }, () => `${url}\n`);
        out.note(
          out.colors.dim(
            `ecrkit: simulation listening on ${url} (region ${region}, account ${accountId}${statePath ? `, state in ${globals.state}` : ''}); Ctrl-C stops it.\n` +
              `        try: ecrkit --target aws --endpoint ${url} repos\n` +
              `        registry: ecrkit --endpoint ${url} get-login-password | skopeo login --username AWS --password-stdin --tls-verify=false ${new URL(settings.options.publicUrl ?? url).host}`,
          ),
        );
        await running.stopped;
        out.note(out.colors.dim('ecrkit: simulation stopped.'));
      }),
    );
}
