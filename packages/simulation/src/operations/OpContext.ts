import type { Api } from '@ecrkit/core-types';
import type { RegistryCall } from '../RegistryCall.js';
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
  /** False in lenient (moto-compatible) mode. */
  strict: boolean;
}

/** A handler: synchronous, so the fluent API can call the same code without awaiting. */
export type OperationHandler = (ctx: OpContext, input: Input) => unknown;

/** The `registryId` member, defaulting to the caller's account. */
export function targetAccount(ctx: OpContext, input: Input): string {
  return optString(input, 'registryId', { pattern: registryIdPattern, patternText: '[0-9]{12}' }) ?? ctx.accountId;
}

/** The repository named by `repositoryName` (and `registryId`), or RepositoryNotFoundException. */
export function repositoryFrom(ctx: OpContext, input: Input, readName: (input: Input) => string): RepositoryRecord {
  const accountId = targetAccount(ctx, input);
  const name = readName(input);
  return ctx.store.requireRepository(accountId, ctx.region, name, ctx.api === 'ecr-public');
}
