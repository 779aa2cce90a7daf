import {
  EcrError,
  resolveEndpoint,
  toEcrConfig,
  type Api,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type EcrConfig,
  type OperationName,
  type OutputOf,
  type Transport,
  type TransportRequest,
  readOptions,
  readTransportRequest,
} from '@ecrkit/core-types';
import type { ECRClientConfig } from '@aws-sdk/client-ecr';
import { credentialsFor } from './internal/credentialsProvider.js';
import { fromSdkError } from './internal/fromSdkError.js';

/** Options of {@link createSdkTransport}. */
export interface SdkTransportOptions {
  /**
   * Keep the SDK's own retries (its `maxAttempts` default of 3, or `maxAttempts`). Off by
   * default: resilience is layered outside the transport (`@ecrkit/resilience-adapters`).
   */
  keepSdkRetries?: boolean;
  /** The SDK's `maxAttempts`; default 1 unless `keepSdkRetries`. */
  maxAttempts?: number;
  /**
   * More SDK client options (logger, request handler, ...). `region`, `endpoint`,
   * `credentials` and `maxAttempts` are decided by the transport.
   */
  clientOptions?: Omit<ECRClientConfig, 'region' | 'endpoint' | 'credentials' | 'maxAttempts'>;
  /** Credentials, or a provider such as `fromSSO()` from `@aws-sdk/credential-providers`; overrides `config.auth`. */
  credentials?: AwsCredentials | AwsCredentialsProvider;
}

/** The SDK transport: a `Transport` whose `destroy()` always exists. */
export interface SdkTransport extends Transport {
  /** Destroy every SDK client (and its sockets); later calls fail with kind `Network`, sending nothing. */
  destroy(): Promise<void>;
}

/** What the transport uses of an SDK client. */
interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<Record<string, unknown>>;
  destroy(): void;
}
type SdkClientClass = new (config: Record<string, unknown>) => SdkClient;
type CommandClass = new (input: unknown) => unknown;
type SdkModule = Record<string, unknown>;

const clientClassNames: Record<Api, string> = { ecr: 'ECRClient', 'ecr-public': 'ECRPUBLICClient' };

function loadModule(api: Api): Promise<SdkModule> {
  return (api === 'ecr' ? import('@aws-sdk/client-ecr') : import('@aws-sdk/client-ecr-public')) as Promise<unknown> as Promise<SdkModule>;
}

/**
 * A `Transport` over the AWS SDK v3 (`@aws-sdk/client-ecr`, `@aws-sdk/client-ecr-public`): one
 * client per API and region, created on first use and reused. Every operation goes through one
 * generic path (`new module[`${operation}Command`](input)`), so an operation the installed SDK
 * knows just works, with the SDK's retries off (`maxAttempts: 1`) unless `keepSdkRetries`.
 * Endpoints come from `resolveEndpoint` (the same rules as the SigV4 transport: FIPS,
 * dual-stack, China, GovCloud, ECR Public signed for us-east-1, or `endpointUrl`). Outputs are
 * the wire shapes without `$metadata`.
 *
 * A pure wire adapter: it reads the config's `auth` and endpoint settings only. Whether a call
 * may start (read-only, unknown operation, aborted) and how long an attempt may take are
 * decided by the pipeline in front of it (`withGuard`, `withTimeout`); the request's `signal`
 * reaches the SDK's `abortSignal`. Every failure is an `EcrError`: `Aborted` (its signal),
 * `Network`, `InvalidResponse`, `CredentialsUnavailable`, `UnknownOperation` (the SDK has no
 * such command), or the service's error through `errorFromWire`.
 *
 * @throws EcrError kind `InvalidParameter` for a config that does not validate.
 * @example
 * const transport = createSdkTransport(ecrConfig().region('eu-west-1').build());
 * const { repositories } = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'eu-west-1' });
 * await transport.destroy();
 */
export function createSdkTransport(config: EcrConfig, options: SdkTransportOptions = {}): SdkTransport {
  const built = toEcrConfig(config);
  const o = readOptions(options, ['keepSdkRetries', 'maxAttempts', 'clientOptions', 'credentials']) as SdkTransportOptions;
  const credentials = credentialsFor(built.auth, built.region, o.credentials, built.sharedConfigFiles);
  const maxAttempts = o.maxAttempts ?? (o.keepSdkRetries ? undefined : 1);
  const modules = new Map<Api, Promise<SdkModule>>();
  // Emptied and dropped by destroy(): a destroyed transport has no clients to send with.
  let clients: Map<string, SdkClient> | undefined = new Map();

  const moduleFor = (api: Api): Promise<SdkModule> => {
    let module = modules.get(api);
    if (module === undefined) {
      module = loadModule(api);
      modules.set(api, module);
    }
    return module;
  };

  const clientFor = (api: Api, region: string, module: SdkModule, operation: string): SdkClient => {
    if (clients === undefined) throw new EcrError({ kind: 'Network', message: `${operation} was not sent: the transport is destroyed`, operation, region });
    const key = `${api}\n${region}`;
    let client = clients.get(key);
    if (client === undefined) {
      const endpoint = resolveEndpoint(api, region, built);
      const ClientClass = module[clientClassNames[api]] as SdkClientClass;
      // The resolved URL already encodes FIPS and dual-stack; the SDK refuses those flags
      // beside a custom endpoint. Its signing region is the endpoint's (us-east-1 for ECR Public).
      client = new ClientClass({
        ...(o.clientOptions as Record<string, unknown> | undefined),
        region: endpoint.signingRegion,
        endpoint: endpoint.url,
        credentials,
        ...(maxAttempts === undefined ? {} : { maxAttempts }),
      });
      clients.set(key, client);
    }
    return client;
  };

  async function send(request: TransportRequest<OperationName, Api>): Promise<unknown> {
    // Read once, its shape checked: a request sent here directly, past the guard, fails as an EcrError too.
    const checked = readTransportRequest(request);
    const { api, operation, region, signal } = checked;
    try {
      const module = await moduleFor(api);
      const Command = module[`${operation}Command`] as CommandClass | undefined;
      if (typeof Command !== 'function') {
        throw new EcrError({ kind: 'UnknownOperation', message: `The installed SDK has no ${String(operation).slice(0, 64)}Command`, operation, region });
      }
      const client = clientFor(api, region, module, operation);
      const { $metadata: _metadata, ...output } = await client.send(new Command(checked.input ?? {}), signal ? { abortSignal: signal } : {});
      return output;
    } catch (err) {
      throw fromSdkError(err, { operation, region, aborted: signal?.aborted === true });
    }
  }

  return {
    send: send as <O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>) => Promise<OutputOf<O, A>>,
    async destroy() {
      const open = clients;
      clients = undefined;
      for (const client of open?.values() ?? []) client.destroy();
    },
  };
}
