import { Command, Option } from 'commander';
import type { App } from './App.js';
import { exitCodeHelp } from './exitCodes.js';
import { parseAccountProfile } from './internal/args.js';
import { renderUsageErrorJson } from './renderError.js';
import { registerAuthCommands } from './commands/auth.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDeployableCommand } from './commands/deployable.js';
import { registerImageCommands } from './commands/images.js';
import { registerManifestCommands } from './commands/manifests.js';
import { registerPinCommand } from './commands/pin.js';
import { registerPublicCommands } from './commands/public.js';
import { registerPullThroughCommands } from './commands/pullThrough.js';
import { registerReferrersCommand } from './commands/referrers.js';
import { registerRegistryPolicyCommands } from './commands/registryPolicy.js';
import { registerReplicationCommands } from './commands/replication.js';
import { registerRepositoryCommands } from './commands/repositories.js';
import { registerScanCommands } from './commands/scans.js';
import { registerRegistryCommands } from './commands/registry.js';
import { registerSimCommands } from './commands/sim.js';
import { registerSimilarCommand } from './commands/similar.js';
import { version } from './version.js';

const shortExitCodes = 'Exit codes: 0 ok, 1 gate failed, 2 usage, 3 not found, 4 auth, 5 service/transport, 6 pending (`ecrkit --help` explains).';

/** The whole command tree, wired to one {@link App}. */
export function createProgram(app: App): Command {
  const { io } = app;
  const program = new Command('ecrkit')
    .description('Inspect, tag, scan-gate and log in to Amazon ECR, or to its embedded simulation (the default).')
    .version(version, '-V, --version')
    .addOption(
      new Option('-t, --target <target>', 'where to send requests: the embedded simulation or AWS (default: sim)').choices(['sim', 'aws']).env('ECRKIT_TARGET'),
    )
    .addOption(new Option('--state <file>', 'simulation state file (sim target)').default('.ecrkit/sim-state.json').env('ECRKIT_STATE'))
    .option('-r, --region <region>', 'AWS region (default: AWS_REGION, the profile, or us-east-1 for sim)')
    .option('--profile <name>', 'AWS named profile: its region, endpoint and credentials (implies --target aws)')
    .option(
      '--account-profile <account=profile>',
      "with --target aws: the named profile for another account's registry (replication destinations, pinned images); repeatable",
      parseAccountProfile,
    )
    .option('--endpoint <url>', 'any ECR-compatible endpoint, e.g. `ecrkit sim serve` (implies --target aws)')
    .addOption(new Option('--transport <name>', 'AWS transport').choices(['sdk', 'sigv4']).default('sigv4'))
    .option('--registry-id <id>', 'registry (account) id, if not your own')
    .addOption(
      new Option('-o, --output <format>', 'table for people; json (API field names) or text (tab-separated, as the AWS CLI) for scripts')
        .choices(['table', 'json', 'text'])
        .default('table')
        .env('ECRKIT_OUTPUT'),
    )
    .option('--query <jmespath>', 'JMESPath expression applied to the JSON result, as in the AWS CLI (implies --output json)')
    .option('--no-color', 'no colors (also NO_COLOR, or when stdout is not a terminal)')
    .option('-v, --verbose', 'notes on stderr even when it is not a terminal (the simulation banner, token expiry)')
    .option('--debug', 'stack traces and error details on failure')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    });

  registerRepositoryCommands(program, app);
  registerImageCommands(program, app);
  registerManifestCommands(program, app);
  registerScanCommands(program, app);
  registerAuthCommands(program, app);
  registerRegistryCommands(program, app);
  registerReplicationCommands(program, app);
  registerDeployableCommand(program, app);
  registerPinCommand(program, app);
  registerSimilarCommand(program, app);
  registerPublicCommands(program, app);
  registerReferrersCommand(program, app);
  registerPullThroughCommands(program, app);
  registerRegistryPolicyCommands(program, app);
  registerSimCommands(program, app);
  registerDemoCommand(program, app, createProgram);
  registerCompletionCommand(program, app);

  program.addHelpText(
    'after',
    `
Examples:
  $ ecrkit demo                                  a guided tour on the embedded simulation
  $ ecrkit repos                                 list repositories
  $ ecrkit images web-app --tagged               tagged images of a repository
  $ ecrkit manifest api-service latest --platform linux/arm64/v8
  $ ecrkit scan web-app v1.2.0 --wait --max-critical 0
  $ ecrkit images web-app --query 'imageDetails[].imageTags[]' --output text
  $ ecrkit get-login-password | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com
  $ ecrkit pin k8s/web.yaml --check                exits 1 if an ECR image is not pinned to a digest
  $ ecrkit replication verify web-app v1.2.0 --wait
  $ ecrkit similar web-app v1.2.0                 images built on the same base
  $ ecrkit referrers web-app v1.2.0               signatures and SBOMs of an image
  $ ecrkit pull-through create ecr-public public.ecr.aws
  $ ecrkit --target aws --region eu-west-1 repos --output json
  $ source <(ecrkit completion bash)             shell completion (also zsh, fish)

Targets:
  sim (default)  an embedded ECR simulation; state in --state, created from a demo seed.
                 No AWS account or network needed.
  aws            Amazon ECR, or any ECR-compatible --endpoint such as \`ecrkit sim serve\`.
                 Reads the AWS settings as the AWS CLI does: AWS_REGION, AWS_PROFILE,
                 AWS_ENDPOINT_URL(_ECR, _ECR_PUBLIC), AWS_ROLE_ARN, AWS_CONFIG_FILE and
                 the profile's region, endpoint_url and services section.

${exitCodeHelp}
`,
  );
  finishCommands(program, app);
  return program;
}

/**
 * Settings every command needs, applied once the tree is built: usage errors end with the
 * command's own help hint on the same line, and each command's help lists the exit codes.
 */
function finishCommands(root: Command, app: App): void {
  const visit = (command: Command, path: string) => {
    command.configureOutput({
      outputError: (text, write) => {
        const message = text
          .trim()
          .replace(/^error:\s*/, '')
          .replace(/\s*\n\s*/g, ' ')
          .replace(/\.$/, '');
        const hint = `Run \`${path} --help\` for usage.`;
        write(app.jsonErrors ? renderUsageErrorJson(message, hint) : `error: ${message}. ${hint}\n`);
      },
    });
    if (command !== root) command.addHelpText('after', `\n${shortExitCodes}\n`);
    for (const sub of command.commands) visit(sub, `${path} ${sub.name()}`);
  };
  visit(root, 'ecrkit');
}
