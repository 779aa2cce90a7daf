import type { Api, InputOf, OperationName, OutputOf } from './wire/operations.js';

/**
 * One call to ECR or ECR Public: the API's own JSON shape, field names as in the ECR API
 * reference. Transports, decorators and the simulation all speak this.
 */
export interface TransportRequest<O extends OperationName = OperationName, A extends Api = Api> {
  /** Which service model. */
  api: A;
  /** The operation, e.g. `DescribeImages`. */
  operation: O;
  /** The operation's input, as in the ECR API reference. */
  input: InputOf<O, A>;
  /** The AWS region to call; ECR Public is always signed for us-east-1 by the transports. */
  region: string;
  /** Abort the call; the transport rejects with an `EcrError` of kind `Aborted`. */
  signal?: AbortSignal;
}

/**
 * The port every transport implements and every decorator wraps: one method.
 * Every failure is an `EcrError`; nothing raw escapes.
 */
export interface Transport {
  send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>>;
  /** Release pooled connections and timers. */
  destroy?(): Promise<void>;
}

/** A Transport decorator: `(transport) => transport`. */
export type TransportDecorator = (next: Transport) => Transport;
