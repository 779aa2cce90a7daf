import { createHash } from 'node:crypto';
import { partitionOf, type Tag } from '@ecrkit/core-types';
import { awsError, invalidParam, invalidParamMessage, repositoryAlreadyExists, repositoryNotEmpty, repositoryNotFound } from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken, pageBySeq } from '../internal/pagination.js';
import type { RepositoryRecord } from '../internal/state.js';
import {
  optBool,
  optEnum,
  optInt,
  optList,
  optString,
  optStruct,
  reqEnum,
  reqList,
  reqString,
  reqStruct,
  stringItems,
  structItems,
  type Input,
} from '../internal/validate.js';
import { checkRepositoryName, repositoryName } from './names.js';
import { newRepositoryPlace, repositoryFrom, requestedRegistryId, type OpContext, type OperationHandler } from './OpContext.js';
import { repositoryShape } from './shapes.js';

/** In the order ECR's validation message lists them (as moto's tests record it). */
export const tagMutabilities = ['IMMUTABLE', 'MUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'] as const;
const encryptionTypes = ['AES256', 'KMS', 'KMS_DSSE'] as const;
const maxTagsPerResource = 50;

/** Resource tags as ECR checks them: keys 1-128, values 0-256, `aws:` reserved. */
export function readResourceTags(list: readonly unknown[], path: string): Tag[] {
  return structItems(list, path).map((item, i) => {
    const Key = reqString(item, 'Key', { min: 1, max: 128 }, `${path}.${i + 1}.member.Key`);
    const Value = reqString(item, 'Value', { max: 256 }, `${path}.${i + 1}.member.Value`);
    if (Key.toLowerCase().startsWith('aws:'))
      throw awsError('InvalidTagParameterException', `Invalid tag key '${Key}': the prefix 'aws:' is reserved for AWS use`);
    return { Key, Value };
  });
}

/** Merge tags into a resource's tags (same key overwrites), refusing more than ECR's 50 per resource. */
export function mergeResourceTags(existing: Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of added) merged.set(t.Key, t.Value);
  if (merged.size > maxTagsPerResource) {
    throw awsError(
      'TooManyTagsException',
      `The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is ${maxTagsPerResource}.`,
    );
  }
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export function readExclusionFilters(input: Input, mode: string): { filterType: 'WILDCARD'; filter: string }[] | undefined {
  const list = optList(input, 'imageTagMutabilityExclusionFilters', { min: 1, max: 5 });
  if (!list) {
    if (mode.endsWith('_WITH_EXCLUSION')) {
      throw invalidParamMessage(
        `Invalid parameter: imageTagMutabilityExclusionFilters are required when imageTagMutability is ${mode}`,
        'imageTagMutabilityExclusionFilters',
      );
    }
    return undefined;
  }
  if (!mode.endsWith('_WITH_EXCLUSION')) {
    throw invalidParamMessage(
      `Invalid parameter: imageTagMutabilityExclusionFilters can only be used with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`,
      'imageTagMutabilityExclusionFilters',
    );
  }
  return structItems(list, 'imageTagMutabilityExclusionFilters').map((f, i) => {
    const path = `imageTagMutabilityExclusionFilters.${i + 1}.member`;
    reqEnum(f, 'filterType', ['WILDCARD'] as const, `${path}.filterType`);
    const filter = reqString(f, 'filter', { min: 1, max: 128, pattern: /^[0-9a-zA-Z._*-]{1,128}$/ }, `${path}.filter`);
    return { filterType: 'WILDCARD' as const, filter };
  });
}

/**
 * The key ARN of the account's AWS managed key for ECR (alias `aws/ecr`) in a region, which ECR
 * reports for KMS encryption without a `kmsKey`: one key per account and region, its id a UUID
 * derived from both (stable across runs, as a real account's key is).
 */
export function awsManagedEcrKey(region: string, accountId: string): string {
  const h = createHash('sha256').update(`aws/ecr|${accountId}|${region}`).digest('hex');
  const variant = (8 | (Number.parseInt(h[16]!, 16) & 3)).toString(16);
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `arn:${partitionOf(region).name}:kms:${region}:${accountId}:key/${id}`;
}

export const CreateRepository: OperationHandler = (ctx, input) => {
  const { namespace, owner: accountId } = newRepositoryPlace(ctx, input);
  const name = checkRepositoryName(reqString(input, 'repositoryName'), false);
  const tagsList = optList(input, 'tags');
  const tags = tagsList ? mergeResourceTags([], readResourceTags(tagsList, 'tags')) : [];
  const mutability = optEnum(input, 'imageTagMutability', tagMutabilities) ?? 'MUTABLE';
  const exclusions = readExclusionFilters(input, mutability);
  const scanning = optStruct(input, 'imageScanningConfiguration');
  const scanOnPush = scanning ? (optBool(scanning, 'scanOnPush', 'imageScanningConfiguration.scanOnPush') ?? false) : false;
  const encryption = optStruct(input, 'encryptionConfiguration');
  let encryptionConfiguration: RepositoryRecord['encryption'] = { encryptionType: 'AES256' };
  if (encryption) {
    const encryptionType = reqEnum(encryption, 'encryptionType', encryptionTypes, 'encryptionConfiguration.encryptionType');
    const kmsKey = optString(encryption, 'kmsKey', { min: 1, max: 2048 }, 'encryptionConfiguration.kmsKey');
    if (encryptionType === 'AES256' && kmsKey !== undefined) {
      throw invalidParamMessage('Invalid parameter: kmsKey can only be specified when encryptionType is KMS or KMS_DSSE', 'encryptionConfiguration.kmsKey');
    }
    encryptionConfiguration = encryptionType === 'AES256' ? { encryptionType } : { encryptionType, kmsKey: kmsKey ?? awsManagedEcrKey(ctx.region, accountId) };
  }
  if (ctx.store.findRepository(namespace, ctx.region, name)) throw repositoryAlreadyExists(name, accountId);
  const repo = ctx.store.createRepository(namespace, ctx.region, name, ctx.now);
  if (namespace !== accountId) {
    repo.accountId = accountId;
    repo.namespaceId = namespace;
  }
  repo.tagMutability = mutability;
  if (exclusions) repo.exclusionFilters = exclusions;
  repo.scanOnPush = scanOnPush;
  repo.encryption = encryptionConfiguration;
  repo.resourceTags = tags;
  return { repository: repositoryShape(ctx.store, repo, ctx.registryUrl) };
};

export const DeleteRepository: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const force = optBool(input, 'force') ?? false;
  if (repo.images.length > 0 && !force) throw repositoryNotEmpty(repo.name, repo.accountId);
  const shape = repositoryShape(ctx.store, repo, ctx.registryUrl);
  ctx.store.deleteRepository(repo);
  return { repository: shape };
};

export const DescribeRepositories: OperationHandler = (ctx, input) => {
  const requested = requestedRegistryId(ctx, input);
  const accountId = requested ?? ctx.accountId;
  // Lenient (moto): the caller's namespace, filtered by the registry id each repository was created with.
  const namespace = ctx.strict ? accountId : ctx.accountId;
  const owned = (r: RepositoryRecord) => ctx.strict || requested === undefined || r.accountId === requested;
  const isPublic = ctx.api === 'ecr-public';
  const namesList = optList(input, 'repositoryNames', { min: 1, max: 100 });
  const limit = optInt(input, 'maxResults', { min: 1, max: 1000 });
  const token = optString(input, 'nextToken');
  if (namesList) {
    if (limit !== undefined || token !== undefined) {
      throw invalidParamMessage('Invalid parameter: maxResults and nextToken cannot be used together with repositoryNames', 'repositoryNames');
    }
    const names = stringItems(namesList, 'repositoryNames').map((n, i) => checkRepositoryName(n, isPublic, `repositoryNames.${i + 1}.member`));
    const repositories = [];
    for (const name of names) {
      const repo = ctx.store.findRepository(namespace, ctx.region, name, isPublic);
      if (!repo || !owned(repo)) throw repositoryNotFound(name, accountId);
      repositories.push(repositoryShape(ctx.store, repo, ctx.registryUrl));
    }
    return { repositories };
  }
  const list = isPublic
    ? ctx.store.accounts.get(namespace)?.publicRegistry.repositoryList
    : ctx.store.accounts.get(namespace)?.regions.get(ctx.region)?.repositoryList;
  const key = `${ctx.api}|DescribeRepositories|${accountId}|${ctx.region}`;
  const { page, next } = pageBySeq(list ?? [], decodePageToken(token, key), limit ?? 100, owned);
  const out: { repositories: unknown[]; nextToken?: string } = { repositories: page.map((r) => repositoryShape(ctx.store, r, ctx.registryUrl)) };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};

export const PutImageTagMutability: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const mutability = reqEnum(input, 'imageTagMutability', tagMutabilities);
  const exclusions = readExclusionFilters(input, mutability);
  repo.tagMutability = mutability;
  if (exclusions) repo.exclusionFilters = exclusions;
  else delete repo.exclusionFilters;
  const out: Record<string, unknown> = { registryId: repo.accountId, repositoryName: repo.name, imageTagMutability: mutability };
  if (exclusions) out.imageTagMutabilityExclusionFilters = exclusions.map((f) => ({ ...f }));
  return out;
};

export const PutImageScanningConfiguration: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const config = reqStruct(input, 'imageScanningConfiguration');
  repo.scanOnPush = optBool(config, 'scanOnPush', 'imageScanningConfiguration.scanOnPush') ?? false;
  return { registryId: repo.accountId, repositoryName: repo.name, imageScanningConfiguration: { scanOnPush: repo.scanOnPush } };
};

const privateArn = /^arn:(aws|aws-cn|aws-us-gov):ecr:([0-9a-z-]{2,25}):([0-9]{12}):repository\/(.+)$/;
const publicArn = /^arn:(aws|aws-cn|aws-us-gov):ecr-public::([0-9]{12}):repository\/(.+)$/;

/** The repository a resource ARN names, or the errors ECR gives for a malformed ARN or a missing repository. */
export function repositoryFromArn(ctx: OpContext, input: Input): RepositoryRecord {
  const arn = reqString(input, 'resourceArn', { min: 1, max: 2048 });
  if (ctx.api === 'ecr-public') {
    const m = publicArn.exec(arn);
    if (!m) throw invalidParam('resourceArn', 'Invalid ARN');
    return ctx.store.requireRepository(m[2]!, ctx.region, m[3]!, true);
  }
  const m = privateArn.exec(arn);
  if (!m) throw invalidParam('resourceArn', 'Invalid ARN');
  const [, , region, accountId, name] = m;
  if (region !== ctx.region)
    throw invalidParamMessage(
      `Invalid parameter at 'resourceArn' failed to satisfy constraint: 'ARN region ${region} does not match the request region ${ctx.region}'`,
      'resourceArn',
    );
  return ctx.store.requireRepository(accountId!, region, name!);
}

export const ListTagsForResource: OperationHandler = (ctx, input) => {
  const repo = repositoryFromArn(ctx, input);
  return { tags: repo.resourceTags.map((t) => ({ ...t })) };
};

export const TagResource: OperationHandler = (ctx, input) => {
  const repo = repositoryFromArn(ctx, input);
  const tags = readResourceTags(reqList(input, 'tags', { max: 200 }), 'tags');
  repo.resourceTags = mergeResourceTags(repo.resourceTags, tags);
  return {};
};

export const UntagResource: OperationHandler = (ctx, input) => {
  const repo = repositoryFromArn(ctx, input);
  const keys = new Set(stringItems(reqList(input, 'tagKeys', { max: 200 }), 'tagKeys', { min: 1, max: 128 }));
  repo.resourceTags = repo.resourceTags.filter((t) => !keys.has(t.Key));
  return {};
};
