import { invalidParameter, type Api } from '@ecrkit/core-types';
import type { BlobLocation } from './SimulatedRegistry.js';

/**
 * One call into the registry, from any face. The registry validates, applies behaviour controls
 * (errors, latency, faults), records history and returns the output in ecrkit shapes
 * (timestamps as `Date`), or throws an `EcrError` carrying `awsCode` and `statusCode`, or a
 * {@link SimulatedFault} that only a transport-level face can act out.
 */
export interface RegistryCall {
  api: Api;
  operation: string;
  input: unknown;
  region: string;
  /** The caller's account; defaults to the registry's default account (123456789012). */
  accountId?: string;
  /** Which face made the call; recorded in the operation history. `distribution` is the registry's `/v2/` face. */
  face: 'in-process' | 'http' | 'distribution';
  /**
   * The URL at which the calling face serves a blob (the HTTP face: a presigned URL on its public
   * URL). Without it, GetDownloadUrlForLayer answers with a `data:` URL, so in-process callers can
   * fetch blobs with plain `fetch()` and no server.
   */
  blobUrl?: (location: BlobLocation) => string;
  /**
   * The registry's own address as clients reach it (the server's `publicUrl`): repository URIs
   * and `proxyEndpoint`s then point there instead of at `<account>.dkr.ecr.<region>.amazonaws.com`,
   * so `docker login` and pushes reach the simulation.
   */
  registryUrl?: string;
  signal?: AbortSignal;
}

/** Transport-level misbehaviour the registry can be told to inject. */
export const FaultKind = {
  DropConnection: 'drop-connection',
  TruncatedBody: 'truncated-body',
  MalformedBody: 'malformed-body',
  Html502: 'html-502',
  WrongContentType: 'wrong-content-type',
} as const;
/** Transport-level misbehaviour the registry can be told to inject. */
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

/**
 * Thrown by `SimulatedRegistry.execute` when an injected fault is due. The HTTP face acts it
 * out on the socket; the in-process transport turns it into the `EcrError` a real transport
 * would raise (`Network` for a dropped connection, `InvalidResponse` for the rest).
 */
export class SimulatedFault extends Error {
  override readonly name = 'SimulatedFault';
  readonly fault: FaultKind;
  constructor(fault: FaultKind) {
    if (!Object.values(FaultKind).includes(fault)) throw invalidParameter('fault', `must be one of ${Object.values(FaultKind).join(', ')}`);
    super(`Injected fault: ${fault}`);
    this.fault = fault;
  }
}
