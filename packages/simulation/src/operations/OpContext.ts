import type { Api } from '@ecrkit/core-types';
import type { RegistryCall } from '../RegistryCall.js';
import { repositoryNotFound } from '../internal/awsErrors.js';
import type { RegistryStore } from '../internal/RegistryStore.js';
import type { RepositoryRecord } from '../internal/state.js';
import { optString, registryIdPattern, type Input } from '../internal/validate.js';

/** What an operation handler sees of one call. */
export interface OpContext {
  store: RegistryStore;
  api: Api;
  /** The caller's account (from credentials or the face's option). */
  accountId: string;
  region: string;
  /** The call's time, read once from the registry's clock. */
  now: number;
  /** How the calling face addresses a blob (`RegistryCall.blobUrl`). */
  blobUrl?: RegistryCall['blobUrl'];
  /** The served registry's address (see `RegistryCall.registryUrl`). */
  registryUrl?: string;
  /** False in lenient (moto-compatible) mode. */
  strict: boolean;
}

/** A handler: synchronous, so the fluent API can call the same code without awaiting. */
export type OperationHandler = (ctx: OpContext, input: Input) => unknown;

// Moto accepts registry ids of any length ("123"); ECR wants 12 digits.
const lenientRegistryIdPattern = /^[0-9]{1,12}$/;

/** The `registryId` member as given (checked: 12 digits, or any digits in lenient mode), or undefined. */
export function requestedRegistryId(ctx: OpContext, input: Input): string | undefined {
  return ctx.strict
    ? optString(input, 'registryId', { pattern: registryIdPattern, patternText: '[0-9]{12}' })
    : optString(input, 'registryId', { pattern: lenientRegistryIdPattern, patternText: '[0-9]{1,12}' });
}

/** The `registryId` member, defaulting to the caller's account. */
export function targetAccount(ctx: OpContext, input: Input): string {
  return requestedRegistryId(ctx, input) ?? ctx.accountId;
}

/**
 * The repository named by `repositoryName` (and `registryId`), or RepositoryNotFoundException.
 *
 * Strict (ECR): `registryId` selects the account whose repository it is. Lenient (moto): a
 * repository lives in the caller's namespace and carries the registry id it was created with;
 * a `registryId` must equal that id, unless `ignoreRegistryId` (moto's BatchGetImage and
 * BatchDeleteImage ignore it). A name the caller's namespace lacks is looked up in the
 * `registryId` account, as in strict mode (replicas in other accounts).
 */
export function repositoryFrom(
  ctx: OpContext,
  input: Input,
  readName: (input: Input) => string,
  options: { ignoreRegistryId?: boolean } = {},
): RepositoryRecord {
  const requested = requestedRegistryId(ctx, input);
  const name = readName(input);
  const isPublic = ctx.api === 'ecr-public';
  if (!ctx.strict) {
    const own = ctx.store.findRepository(ctx.accountId, ctx.region, name, isPublic);
    if (own && (requested === undefined || options.ignoreRegistryId || requested === own.accountId)) return own;
    if (own || requested === undefined) throw repositoryNotFound(name, requested ?? ctx.accountId);
  }
  return ctx.store.requireRepository(requested ?? ctx.accountId, ctx.region, name, isPublic);
}

/**
 * Where a new repository goes and whose it is. Strict: both are the `registryId` account.
 * Lenient: the caller's namespace, owned by the `registryId` given (moto's model).
 */
export function newRepositoryPlace(ctx: OpContext, input: Input): { namespace: string; owner: string } {
  const owner = targetAccount(ctx, input);
  return { namespace: ctx.strict ? owner : ctx.accountId, owner };
}
