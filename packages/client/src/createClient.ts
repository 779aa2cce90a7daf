import { invalidParameter, isTransport, toEcrConfig, readOptions } from '@ecrkit/core-types';
import type { EcrConfig, Logger, Transport } from '@ecrkit/core-types';
import { resilient } from '@ecrkit/resilience-adapters';
import type { ResilientOptions, ResilientTransport } from '@ecrkit/resilience-adapters';
import { confirmMutation, createClient as createServicesClient } from '@ecrkit/services';
import type { ClientOptions, EcrClient } from '@ecrkit/services';
import { createSigV4Transport } from '@ecrkit/transport-sigv4';
import type { SigV4TransportOptions } from '@ecrkit/transport-sigv4';
import { metrics } from '@opentelemetry/api';
import type { Meter, Tracer } from '@opentelemetry/api';

const packageName = '@ecrkit/client';

/** The tuning of the default pipeline's layers: each as in `resilient()`, or `false` to leave it out. */
export type PipelineOptions = Pick<ResilientOptions, 'retry' | 'breaker' | 'rateLimit' | 'concurrency' | 'timeoutMs' | 'instrumentation' | 'random'>;

/** Options of {@link createClient}: every option of the services' client, its transport optional, and the default pipeline's. */
export interface DefaultClientOptions extends Omit<ClientOptions, 'transport' | 'ownsTransport' | 'meter'> {
  /**
   * A complete transport to use as it is (the in-process simulation in tests, or a pipeline you
   * assembled); the caller owns it. Without it the client builds, and owns, the default one.
   */
  transport?: Transport;
  /**
   * The wire adapter to put behind the default pipeline instead of the SigV4 transport, such as
   * `createSdkTransport(config)`; the client owns it.
   */
  wire?: Transport;
  /** Options of the default SigV4 transport (dispatcher, credentials provider, response size limit). */
  sigv4?: Omit<SigV4TransportOptions, 'clock' | 'tracer'>;
  /** The default pipeline's layers (retry, breaker, rate limit, concurrency, timeout, instrumentation). */
  pipeline?: PipelineOptions;
  /** Where spans go; default the global OpenTelemetry tracer provider's (a no-op until an SDK is registered). */
  tracer?: Tracer;
  /** Where the pipeline's and the services' metrics go; default the global OpenTelemetry meter provider's. */
  meter?: Meter;
  /** Structured logs for the pipeline and the services (pino-compatible); none by default. */
  logger?: Logger;
}

/**
 * An `EcrClient` from the config alone. Without a `transport` it builds the default one and owns
 * it (`client.destroy()` closes it): the SigV4 transport (`auth`, `endpointUrl`, `useFips`,
 * `useDualstack`) behind the default pipeline of `@ecrkit/resilience-adapters` (`maxRetries`,
 * `requestTimeoutMs`), whose retry confirms a timed-out PutImage with the services'
 * `confirmMutation` before sending it again and refreshes credentials on a credential error;
 * the client in front of it guards every call (`readOnly`, unknown operations, aborts) and feeds
 * its caches and telemetry. With a `transport` it behaves as `@ecrkit/services`' `createClient`.
 *
 * @throws EcrError kind `InvalidParameter` for a config that does not validate or a bad option.
 * @example
 * const client = createClient(ecrConfig().fromEnv(process.env).maxRetries(5).build());
 * for await (const repository of client.repositories.list()) console.log(repository.repositoryName);
 * await client.destroy();
 */
export function createClient(config: EcrConfig, options: DefaultClientOptions = {}): EcrClient {
  const read = readOptions(options, [
    'transport',
    'wire',
    'sigv4',
    'pipeline',
    'tracer',
    'meter',
    'logger',
    'clock',
    'random',
    'metadataCache',
    'vectorMemory',
    'fetchBlob',
    'telemetry',
    'scanFindingsLog',
  ]) as DefaultClientOptions;
  const built = toEcrConfig(config);
  const { transport, wire, sigv4, pipeline, tracer, meter, logger, ...clientOptions } = read;
  const businessMeter = meter ?? metrics.getMeter(packageName);
  if (transport !== undefined) {
    return createServicesClient(built, { ...clientOptions, transport, meter: businessMeter, ...(logger ? { logger } : {}) });
  }
  const owned = createDefaultTransport(built, { wire, sigv4, pipeline, tracer, meter, logger, clock: clientOptions.clock });
  return createServicesClient(built, { ...clientOptions, transport: owned, ownsTransport: true, meter: businessMeter, ...(logger ? { logger } : {}) });
}

/** Options of {@link createDefaultTransport}. */
export interface DefaultTransportOptions extends Pick<DefaultClientOptions, 'wire' | 'sigv4' | 'pipeline' | 'tracer' | 'meter' | 'logger' | 'clock'> {}

/**
 * The default transport on its own: the SigV4 transport (or `wire`) behind `resilient()` with
 * the services' `confirmMutation` as retry's confirmation hook and a credential refresh on
 * credential errors, without a guard (the client in front guards). For a `RegionalClientPool`'s
 * `transportFor`, or to inspect the pipeline's handles (breaker, rate limiter, metrics).
 *
 * @example
 * const pool = new RegionalClientPool(config, { transportFor: (region) => createDefaultTransport(ecrConfig().from(config).region(region).build()) });
 */
export function createDefaultTransport(config: EcrConfig, options: DefaultTransportOptions = {}): ResilientTransport {
  const built = toEcrConfig(config);
  const o = readOptions(options, ['wire', 'sigv4', 'pipeline', 'tracer', 'meter', 'logger', 'clock']) as DefaultTransportOptions;
  const { pipeline = {}, tracer, meter, logger, clock } = o;
  if (o.wire !== undefined && !isTransport(o.wire)) throw invalidParameter('wire', 'must be a Transport (an object with a send method)');
  const sigv4 = o.wire === undefined ? createSigV4Transport(built, { ...o.sigv4, ...(tracer ? { tracer } : {}), ...(clock ? { clock } : {}) }) : undefined;
  const wire = o.wire ?? (sigv4 as Transport);
  const retry = pipeline.retry === false ? false : { ...pipeline.retry };
  if (retry) {
    retry.confirm ??= confirmMutation;
    const refresh = (wire as { refreshCredentials?: () => Promise<void> }).refreshCredentials;
    if (refresh !== undefined) retry.onCredentialError ??= () => refresh.call(wire);
  }
  const instrumentation =
    pipeline.instrumentation === false
      ? false
      : { ...(tracer ? { tracer } : {}), ...(meter ? { meter } : {}), ...(logger ? { logger } : {}), ...pipeline.instrumentation };
  return resilient(wire, {
    ...pipeline,
    config: built,
    guard: false,
    retry,
    instrumentation,
    ...(clock ? { clock } : {}),
  });
}
