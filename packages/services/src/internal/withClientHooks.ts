import { EcrError, abortError, isEcrError } from '@ecrkit/core-types';
import type { Api, OperationName, OutputOf, Transport, TransportDecorator, TransportRequest } from '@ecrkit/core-types';
import type { ServiceTelemetry } from './ServiceTelemetry.js';

/** Options of {@link withClientHooks}. */
export interface ClientHookOptions {
  /** A credential-category error passed by: the cached authorization tokens are suspect. */
  onCredentialError(): void;
  telemetry: ServiceTelemetry;
  /** Destroy the transport below with the client (the client built it). */
  ownsTransport: boolean;
}

/** What the hooks read of a request: any `TransportRequest` fits. */
interface CallLike {
  readonly api: Api;
  readonly operation: string;
  readonly region: string;
  readonly input: unknown;
  readonly signal?: AbortSignal | undefined;
}

const accountOfEndpoint = /^https?:\/\/(\d{12})\.dkr\./;

/**
 * The client's hook step, just behind its guard: where the services' caches and telemetry meet
 * every call. It makes sure only `EcrError`s come out (even from a transport that breaks the
 * port's contract), drops cached tokens on credential errors, and logs the security events:
 * `ACCESS_DENIED` (warn) and, once per foreign registry, `CROSS_ACCOUNT_ACCESS` (info) when a
 * call names a registry other than the caller's own account (learned from the caller's
 * default-registry authorization token).
 */
export function withClientHooks(options: ClientHookOptions): TransportDecorator {
  const { onCredentialError, telemetry, ownsTransport } = options;
  let ownAccount: string | undefined;
  const foreignSeen = new Set<string>();

  return (next) => {
    function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      if (ownAccount !== undefined && telemetry.logger) noteForeignRegistry(request);
      let pending: Promise<OutputOf<O, A>>;
      try {
        pending = next.send(request);
      } catch (error) {
        pending = Promise.reject(error);
      }
      return pending.then(request.operation === 'GetAuthorizationToken' ? (output) => learnOwnAccount(request, output) : undefined, (error: unknown) => {
        throw failureOf(request, error);
      });
    }

    function noteForeignRegistry(request: CallLike): void {
      const input = request.input as { registryId?: unknown; registryIds?: unknown } | undefined;
      const named = typeof input?.registryId === 'string' ? [input.registryId] : Array.isArray(input?.registryIds) ? input.registryIds : [];
      for (const registryId of named) {
        if (typeof registryId !== 'string' || registryId === ownAccount || foreignSeen.has(registryId)) continue;
        foreignSeen.add(registryId);
        telemetry.log(
          'info',
          'services',
          'CROSS_ACCOUNT_ACCESS',
          { operation: request.operation, region: request.region, registryId, account: ownAccount },
          'call to a registry of another account',
        );
      }
    }

    function learnOwnAccount<T>(request: CallLike, output: T): T {
      const input = request.input as { registryIds?: unknown } | undefined;
      const asksOwn = !(Array.isArray(input?.registryIds) && input.registryIds.length > 0);
      const endpoint = (output as { authorizationData?: { proxyEndpoint?: unknown }[] } | undefined)?.authorizationData?.[0]?.proxyEndpoint;
      if (request.api === 'ecr' && asksOwn && typeof endpoint === 'string') ownAccount = accountOfEndpoint.exec(endpoint)?.[1] ?? ownAccount;
      return output;
    }

    function failureOf(request: CallLike, error: unknown): EcrError {
      const { operation, region, signal } = request;
      if (!isEcrError(error)) {
        if (signal?.aborted) return abortError(signal, operation);
        return new EcrError({ kind: 'Unknown', operation, region, message: `${operation} failed with a non-EcrError from the transport`, cause: error });
      }
      if (error.category === 'credential') onCredentialError();
      if (error.kind === 'AccessDenied') {
        const input = request.input as { repositoryName?: unknown; registryId?: unknown } | undefined;
        telemetry.log(
          'warn',
          'services',
          'ACCESS_DENIED',
          {
            operation,
            region,
            repositoryName: typeof input?.repositoryName === 'string' ? input.repositoryName : undefined,
            registryId: typeof input?.registryId === 'string' ? input.registryId : undefined,
            requestId: error.requestId,
          },
          'access denied',
        );
      }
      return error;
    }

    return {
      send,
      destroy: () => (ownsTransport ? (next.destroy?.() ?? Promise.resolve()) : Promise.resolve()),
    } satisfies Transport;
  };
}
