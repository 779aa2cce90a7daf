import { ecrConfig, type EcrConfig } from '@ecrkit/core-types';
import { createClient, RegistryClient, type EcrClient, type RegistryCredentialProvider } from '@ecrkit/services';
import type { GlobalOptions } from '../App.js';
import type { CliIo } from '../CliIo.js';
import { CliError } from '../CliError.js';
import { ExitCode } from '../exitCodes.js';
import { createAwsClient, type Session } from '../session.js';
import { simulationConfig } from './registryConfig.js';
import type { RegistryReference } from './registryReference.js';

/** What opening a registry needs from the command. */
export interface OpenContext {
  globals: GlobalOptions;
  io: CliIo;
  session(): Promise<Session>;
  /** Closers of what was opened, run when the command ends. */
  closers: (() => Promise<void>)[];
}

/** The region of a simulation reference (`host:port/...` carries none): the side's option, `--region`, the environment, us-east-1. */
export function simulationRegion(sideRegion: string | undefined, ctx: OpenContext): string {
  return sideRegion ?? ctx.globals.region ?? ctx.io.env.AWS_REGION ?? ctx.io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/**
 * A `RegistryClient` for a reference, with ECR credentials from GetAuthorizationToken (through
 * the services' token cache):
 *
 * - an ECR host with `--target aws`: `https://<host>`, tokens from ECR in the host's region for
 *   the host's account, AWS credentials as for every other command;
 * - an ECR host with `--endpoint` (a simulation server) or on the embedded simulation (served on
 *   a free local port for the run): the simulation's address, tokens for the host's account and
 *   region, which select them there;
 * - `host:port` (a simulation): `http://host:port`, tokens from the same address in
 *   `region` (a simulation serves the AWS API and the registry on one port).
 *
 * @throws CliError for ECR Public, whose registry needs bearer tokens.
 */
export async function openRegistry(ref: RegistryReference, options: { region?: string }, ctx: OpenContext): Promise<RegistryClient> {
  if (ref.kind === 'public') {
    throw new CliError('Copying from or to ECR Public (public.ecr.aws) is not supported: its registry takes bearer tokens', {
      exitCode: ExitCode.Usage,
      hint: 'Use skopeo or docker for public.ecr.aws; ecrkit copy works between private ECR registries and simulations.',
    });
  }
  const { globals } = ctx;
  if (ref.kind === 'simulation') {
    const url = `http://${ref.host}`;
    const region = simulationRegion(options.region, ctx);
    const client = await apiClient(simulationConfig(url, region, ctx.io.env, globals.registryId), ctx);
    return registryClient(
      url,
      client.auth.registryCredentials(globals.registryId ? [globals.registryId] : undefined),
      `${url}|${globals.registryId ?? 'default'}|${region}`,
    );
  }
  const accountId = ref.accountId!;
  const region = ref.region!;
  if (globals.target === 'sim') {
    const session = await ctx.session();
    const url = await session.serveRegistry!();
    const sim = await import('@ecrkit/simulation');
    const client = createClient(ecrConfig().region(region).build(), { transport: sim.createSimulatedTransport(session.registry!) });
    return registryClient(url, client.auth.registryCredentials([accountId]), `${url}|${accountId}|${region}`);
  }
  let builder = ecrConfig().fromEnv(ctx.io.env).region(region);
  if (globals.profile) builder = builder.auth({ type: 'profile', profile: globals.profile });
  if (globals.endpoint) builder = builder.endpointUrl(globals.endpoint);
  else builder = builder.useFips(ref.fips === true).useDualstack(ref.dualStack === true);
  const client = await apiClient(builder.build(), ctx);
  const url = globals.endpoint ? new URL(globals.endpoint).origin : `https://${ref.host}`;
  return registryClient(url, client.auth.registryCredentials([accountId]), globals.endpoint ? `${url}|${accountId}|${region}` : ref.host);
}

async function apiClient(config: EcrConfig, ctx: OpenContext): Promise<EcrClient> {
  const { client, close } = await createAwsClient(config, { transport: ctx.globals.transport, debug: ctx.globals.debug, stderr: ctx.io.stderr });
  ctx.closers.push(close);
  return client;
}

function registryClient(url: string, credentials: RegistryCredentialProvider, registryKey: string): RegistryClient {
  return new RegistryClient({ url, credentials, registryKey });
}
