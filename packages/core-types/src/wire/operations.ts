import type { EcrOperations } from './ecr.generated.js';
import type { EcrPublicOperations } from './ecrPublic.generated.js';
import type { OperationSpec } from './OperationSpec.js';
import { ecrOperations, ecrPublicOperations } from './operationTable.generated.js';

/** Which service model a request is for: private regional ECR or ECR Public. */
export type Api = 'ecr' | 'ecr-public';

/** The operations of each API, keyed by API. */
export interface ApiOperations {
  ecr: EcrOperations;
  'ecr-public': EcrPublicOperations;
}

/** Every private ECR operation name ecrkit speaks. */
export type EcrOperationName = keyof EcrOperations;
/** Every ECR Public operation name ecrkit speaks. */
export type EcrPublicOperationName = keyof EcrPublicOperations;
/** Any operation name, of either API. */
export type OperationName = EcrOperationName | EcrPublicOperationName;
/** The operations of one API. */
export type OperationNameOf<A extends Api> = keyof ApiOperations[A] & string;

/**
 * The input shape of an operation, as in the ECR API reference.
 * ECR and ECR Public share some names (`DescribeImages`) with different shapes, so the API is
 * a second parameter that defaults to private ECR.
 */
export type InputOf<O extends OperationName, A extends Api = 'ecr'> = O extends keyof ApiOperations[A]
  ? ApiOperations[A][O] extends { input: infer I }
    ? I
    : never
  : never;

/** The output shape of an operation; timestamps are `Date`. */
export type OutputOf<O extends OperationName, A extends Api = 'ecr'> = O extends keyof ApiOperations[A]
  ? ApiOperations[A][O] extends { output: infer R }
    ? R
    : never
  : never;

const tables: Record<Api, Record<string, OperationSpec>> = {
  ecr: ecrOperations,
  'ecr-public': ecrPublicOperations,
};

/** The target prefix of each API's `X-Amz-Target` header. */
export const targetPrefixes: Readonly<Record<Api, string>> = {
  ecr: 'AmazonEC2ContainerRegistry_V20150921',
  'ecr-public': 'SpencerFrontendService',
};

/** The SigV4 signing name of each API. */
export const signingNames: Readonly<Record<Api, string>> = { ecr: 'ecr', 'ecr-public': 'ecr-public' };

/** The table row for an operation, or `undefined` when ecrkit does not speak it. */
export function operationSpec(api: Api, operation: string): OperationSpec | undefined {
  const table = api === 'ecr' || api === 'ecr-public' ? tables[api] : undefined;
  return table !== undefined && typeof operation === 'string' && Object.hasOwn(table, operation) ? table[operation] : undefined;
}

/** Every operation name of one API, in table order. */
export function operationNames<A extends Api>(api: A): OperationNameOf<A>[] {
  return api === 'ecr' || api === 'ecr-public' ? (Object.keys(tables[api]) as OperationNameOf<A>[]) : [];
}

/** Resolve an `X-Amz-Target` header to its API and operation, or `undefined`. */
export function operationFromTarget(target: string): { api: Api; operation: string } | undefined {
  if (typeof target !== 'string') return undefined;
  const dot = target.indexOf('.');
  if (dot < 0) return undefined;
  const prefix = target.slice(0, dot);
  const operation = target.slice(dot + 1);
  for (const api of ['ecr', 'ecr-public'] as const) {
    if (targetPrefixes[api] === prefix && operationSpec(api, operation)) return { api, operation };
  }
  return undefined;
}

export { ecrOperations, ecrPublicOperations };
