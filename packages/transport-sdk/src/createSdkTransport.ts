import {
  EcrError,
  preflight,
  resolveEndpoint,
  type Api,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type EcrConfig,
  type OperationName,
  type OutputOf,
  type Transport,
  type TransportRequest,
} from '@ecrkit/core-types';
import type { ECRClientConfig } from '@aws-sdk/client-ecr';
import { credentialsFor } from './internal/credentialsProvider.js';
import { Deadline } from './internal/Deadline.js';
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
   * `credentials` and `maxAttempts` are decided by the transport. A `requestHandler` given here
   * replaces the default one (node:http with `requestTimeoutMs` as socket and connection
   * timeouts); the overall deadline is enforced either way.
   */
  clientOptions?: Omit<ECRClientConfig, 'region' | 'endpoint' | 'credentials' | 'maxAttempts'>;
  /** Credentials, or a provider such as `fromSSO()` from `@aws-sdk/credential-providers`; overrides `config.auth`. */
  credentials?: AwsCredentials | AwsCredentialsProvider;
}

/** The SDK transport: a `Transport` whose `destroy()` always exists. */
export interface SdkTransport extends Transport {
  /** Destroy every SDK client (and its sockets); later calls fail with kind `Network`. */
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
 * generic path (`new module[`${operation}Command`](input)`), with the SDK's retries off
 * (`maxAttempts: 1`) unless `keepSdkRetries`. Endpoints come from `resolveEndpoint` (the same
 * rules as the SigV4 transport: FIPS, dual-stack, China, GovCloud, ECR Public signed for
 * us-east-1, or `endpointUrl`). Outputs are the wire shapes without `$metadata`. Every failure
 * is an `EcrError`: `ReadOnly` for a mutating call on a read-only config (nothing sent),
 * `Aborted`, `Timeout` (`requestTimeoutMs`), `Network`, `InvalidResponse`,
 * `CredentialsUnavailable`, or the service's error through `errorFromWire`.
 *
 * @example
 * const transport = createSdkTransport(ecrConfig().region('eu-west-1').build());
 * const { repositories } = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'eu-west-1' });
 * await transport.destroy();
 */
export function createSdkTransport(config: EcrConfig, options: SdkTransportOptions = {}): SdkTransport {
  const timeoutMs = config.requestTimeoutMs;
  const credentials = credentialsFor(config.auth, config.region, options.credentials);
  const maxAttempts = options.maxAttempts ?? (options.keepSdkRetries ? undefined : 1);
  const modules = new Map<Api, Promise<SdkModule>>();
  const clients = new Map<string, SdkClient>();
  let destroyed = false;

  const moduleFor = (api: Api): Promise<SdkModule> => {
    let module = modules.get(api);
    if (module === undefined) {
      module = loadModule(api);
      modules.set(api, module);
    }
    return module;
  };

  const clientFor = (api: Api, region: string, module: SdkModule): SdkClient => {
    const key = `${api}\n${region}`;
    let client = clients.get(key);
    if (client === undefined) {
      const endpoint = resolveEndpoint({ ...config, region }, api);
      const ClientClass = module[clientClassNames[api]] as SdkClientClass;
      // The resolved URL already encodes FIPS and dual-stack; the SDK refuses those flags
      // beside a custom endpoint. Its signing region is the endpoint's (us-east-1 for ECR Public).
      client = new ClientClass({
        ...(options.clientOptions as Record<string, unknown> | undefined),
        region: endpoint.signingRegion,
        endpoint: endpoint.url,
        credentials,
        ...(maxAttempts === undefined ? {} : { maxAttempts }),
        requestHandler: options.clientOptions?.requestHandler ?? { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
      });
      clients.set(key, client);
    }
    return client;
  };

  async function send(request: TransportRequest<OperationName, Api>): Promise<unknown> {
    const { api, operation, region, signal } = request;
    preflight(request, { readOnly: config.readOnly, destroyed });

    const deadline = new Deadline(signal, timeoutMs);
    try {
      const module = await moduleFor(api);
      const Command = module[`${operation}Command`] as CommandClass | undefined;
      if (Command === undefined) {
        throw new EcrError({ kind: 'UnknownOperation', message: `The installed SDK has no ${operation}Command`, operation, region });
      }
      const client = clientFor(api, region, module);
      const { $metadata: _metadata, ...output } = await client.send(new Command(request.input ?? {}), { abortSignal: deadline.signal });
      return output;
    } catch (err) {
      throw fromSdkError(err, { operation, region, fired: deadline.fired, timeoutMs });
    } finally {
      deadline.dispose();
    }
  }

  return {
    send: send as <O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>) => Promise<OutputOf<O, A>>,
    async destroy() {
      destroyed = true;
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
