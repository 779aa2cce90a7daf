import type { Command } from 'commander';
import type { ImagePullSecret, LoginCommand } from '@ecrkit/services';
import type { App, GlobalOptions } from '../App.js';
import { formatDate } from '../internal/format.js';
import type { PullSecretOutput } from '../CliOutputs.js';

/** `login`, `get-login-password` and `pull-secret`. */
export function registerAuthCommands(program: Command, app: App): void {
  program
    .command('login')
    .description('Print the `docker login` pipeline for the registry (the password goes through stdin and is never printed)')
    .option('--helper', 'instead, print the credHelpers entry that makes docker, podman or skopeo use docker-credential-ecrkit for the registry')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit login                      prints the pipeline: ecrkit get-login-password | docker login ...\n  $ eval "$(ecrkit login)"            run it\n  $ ecrkit --target aws --region eu-west-1 login\n  $ ecrkit --target aws --region eu-west-1 login --helper\n                                      prints: {"credHelpers": {"<registry>": "ecrkit"}}, to merge into ~/.docker/config.json\n                                      or a containers auth.json; docker-credential-ecrkit must be on PATH',
    )
    .action(
      app.action<{ helper?: boolean }>(async ({ opts, out, client, globals, signal }) => {
        const login = await (await client()).auth.getLoginCommand({ signal });
        const pipeline = loginPipeline(login, globals);
        if (opts.helper) {
          const credHelpers = { [login.registry]: 'ecrkit' };
          out.result(
            'login',
            { registry: login.registry, username: 'AWS', command: pipeline, expiresAt: login.expiresAt, credHelpers },
            () => `${JSON.stringify({ credHelpers }, null, 2)}\n`,
          );
          out.info(
            out.colors.dim(
              'ecrkit: merge this into ~/.docker/config.json (docker) or $XDG_RUNTIME_DIR/containers/auth.json (podman, skopeo, buildah);\n' +
                '        docker-credential-ecrkit must be on PATH, with the AWS credentials (and, for a simulation host, AWS_REGION) in its environment.',
            ),
          );
          return;
        }
        out.result('login', { registry: login.registry, username: 'AWS', command: pipeline, expiresAt: login.expiresAt }, () => `${pipeline}\n`);
        out.info(out.colors.dim(`ecrkit: the token behind this login expires ${formatDate(login.expiresAt)}.`));
      }),
    );

  program
    .command('get-login-password')
    .description('Print only the registry password, for piping into `docker login --password-stdin`')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit get-login-password | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com\n\nThis is the one command that prints a secret; it ignores --output.',
    )
    .action(
      app.action(async ({ out, client, signal }) => {
        const creds = await (await client()).auth.getDockerCredentials({ signal });
        out.stdout.write(`${creds.password.reveal()}\n`);
      }),
    );

  program
    .command('pull-secret')
    .description('Print a Kubernetes image pull Secret (kubernetes.io/dockerconfigjson) for the registry')
    .argument('<namespace>', 'Kubernetes namespace')
    .option('--name <name>', 'Secret name', 'ecr-pull-secret')
    .option('--reveal', 'include the credential, to pipe into `kubectl apply -f -` (otherwise it is redacted)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit pull-secret default                              the manifest, credential redacted\n  $ ecrkit pull-secret prod --name ecr --reveal | kubectl apply -f -\n\nThe token expires after 12 hours; refresh the Secret before then.',
    )
    .action(
      app.action<{ name: string; reveal?: boolean }>(async ({ opts, out, client, signal }, namespace) => {
        const secret = await (await client()).auth.imagePullSecret(namespace!, opts.name, { signal });
        out.result('pull-secret', pullSecretJson(secret, opts.reveal === true), () => (opts.reveal ? secret.yaml : redactedYaml(secret)));
        out.note(
          out.colors.dim(
            opts.reveal
              ? `ecrkit: the credential expires ${formatDate(secret.expiresAt)}.`
              : `ecrkit: the credential is redacted; add --reveal to print a Secret you can apply (it expires ${formatDate(secret.expiresAt)}).`,
          ),
        );
      }),
    );
}

/**
 * `ecrkit get-login-password | docker login ...`, with the flags that select the same target,
 * so the pipeline works as printed (also against the simulation or a custom endpoint).
 */
export function loginPipeline(login: LoginCommand, globals: GlobalOptions): string {
  const flags: string[] = [];
  if (globals.target === 'aws') flags.push('--target aws');
  if (globals.target === 'sim' && globals.state !== '.ecrkit/sim-state.json') flags.push(`--state ${shellQuote(globals.state)}`);
  if (globals.region) flags.push(`--region ${shellQuote(globals.region)}`);
  if (globals.profile) flags.push(`--profile ${shellQuote(globals.profile)}`);
  if (globals.endpoint) flags.push(`--endpoint ${shellQuote(globals.endpoint)}`);
  if (globals.target === 'aws' && globals.transport !== 'sigv4') flags.push(`--transport ${globals.transport}`);
  if (globals.registryId) flags.push(`--registry-id ${shellQuote(globals.registryId)}`);
  return `ecrkit ${[...flags, 'get-login-password'].join(' ')} | docker ${login.args.map(shellQuote).join(' ')}`;
}

/** The Secret as YAML with the credential replaced by a marker (the demo and default output). */
export function redactedYaml(secret: ImagePullSecret): string {
  const { metadata } = secret.object;
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${metadata.name}`,
    `  namespace: ${metadata.namespace}`,
    'type: kubernetes.io/dockerconfigjson',
    'data:',
    `  .dockerconfigjson: "[redacted]"   # add --reveal for the real value`,
    '',
  ].join('\n');
}

function pullSecretJson(secret: ImagePullSecret, reveal: boolean): PullSecretOutput {
  const o = secret.object;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
    type: o.type,
    data: { '.dockerconfigjson': reveal ? o.data['.dockerconfigjson'].reveal() : '[redacted]' },
  };
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
