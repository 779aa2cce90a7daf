import { registryHost } from '@ecrkit/core-types';
import { awsError, imageNotFound, invalidParam, invalidParamMessage } from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken, pageByOffset } from '../internal/pagination.js';
import type { PullThroughCacheRuleRecord, ReplicationRuleRecord } from '../internal/state.js';
import {
  optEnum,
  optInt,
  optList,
  optString,
  regionPattern,
  registryIdPattern,
  reqList,
  reqString,
  reqStruct,
  stringItems,
  structItems,
} from '../internal/validate.js';
import { repositoryName } from './names.js';
import { repositoryFrom, targetAccount, type OperationHandler } from './OpContext.js';

/** GetAuthorizationToken: base64 `AWS:<password>`, valid 12 hours, one per registry asked for. */
export const GetAuthorizationToken: OperationHandler = (ctx, input) => {
  const idsList = optList(input, 'registryIds', { min: 1, max: 10 });
  const ids = idsList ? stringItems(idsList, 'registryIds', { pattern: registryIdPattern, patternText: '[0-9]{12}' }) : [ctx.accountId];
  return {
    authorizationData: ids.map((registryId) => {
      const { token, expiresAt } = ctx.store.issueToken(registryId, ctx.region, ctx.now, 'ecr');
      // Served over HTTP, the registry is the simulation itself, whichever account and region the token is for.
      const proxyEndpoint = ctx.registryUrl ?? `https://${registryHost({ registryId, region: ctx.region })}`;
      return { authorizationToken: token, expiresAt: new Date(expiresAt), proxyEndpoint };
    }),
  };
};

function replicationConfigurationShape(rules: readonly ReplicationRuleRecord[]): { rules: unknown[] } {
  return {
    rules: rules.map((r) => {
      const rule: Record<string, unknown> = { destinations: r.destinations.map((d) => ({ ...d })) };
      if (r.repositoryFilters) rule.repositoryFilters = r.repositoryFilters.map((f) => ({ ...f }));
      return rule;
    }),
  };
}

export const DescribeRegistry: OperationHandler = (ctx) => {
  const region = ctx.store.region(ctx.accountId, ctx.region);
  return { registryId: ctx.accountId, replicationConfiguration: replicationConfigurationShape(region.replicationRules) };
};

/** Check a replication configuration the way PutReplicationConfiguration does. */
export function readReplicationRules(config: Record<string, unknown>, source: { accountId: string; region: string }): ReplicationRuleRecord[] {
  const rulesList = reqList(config, 'rules', { max: 10 }, 'replicationConfiguration.rules');
  return structItems(rulesList, 'replicationConfiguration.rules').map((rule, i) => {
    const path = `replicationConfiguration.rules.${i + 1}.member`;
    const destinations = structItems(reqList(rule, 'destinations', { max: 100 }, `${path}.destinations`), `${path}.destinations`).map((d, j) => {
      const dpath = `${path}.destinations.${j + 1}.member`;
      const region = reqString(d, 'region', { min: 2, max: 25, pattern: regionPattern, patternText: '[0-9a-z-]{2,25}' }, `${dpath}.region`);
      const registryId = reqString(d, 'registryId', { pattern: registryIdPattern, patternText: '[0-9]{12}' }, `${dpath}.registryId`);
      if (region === source.region && registryId === source.accountId) {
        throw invalidParamMessage('Invalid parameter: the replication destination cannot be the source registry and region', `${dpath}.region`);
      }
      return { region, registryId };
    });
    const filtersList = optList(rule, 'repositoryFilters', { min: 1, max: 100 }, `${path}.repositoryFilters`);
    const out: ReplicationRuleRecord = { destinations };
    if (filtersList) {
      out.repositoryFilters = structItems(filtersList, `${path}.repositoryFilters`).map((f, j) => {
        const fpath = `${path}.repositoryFilters.${j + 1}.member`;
        const filter = reqString(f, 'filter', { min: 2, max: 256 }, `${fpath}.filter`);
        const filterType = optEnum(f, 'filterType', ['PREFIX_MATCH'] as const, `${fpath}.filterType`);
        if (filterType === undefined) throw invalidParam(`${fpath}.filterType`, 'Member must not be null');
        return { filter, filterType };
      });
    }
    return out;
  });
}

export const PutReplicationConfiguration: OperationHandler = (ctx, input) => {
  const config = reqStruct(input, 'replicationConfiguration');
  const rules = readReplicationRules(config, { accountId: ctx.accountId, region: ctx.region });
  ctx.store.region(ctx.accountId, ctx.region).replicationRules = rules;
  return { replicationConfiguration: replicationConfigurationShape(rules) };
};

/** DescribeImageReplicationStatus: one status per destination; each call counts as a poll. */
export const DescribeImageReplicationStatus: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const id = reqStruct(input, 'imageId');
  const found = ctx.store.lookupImage(repo, id);
  if (!('image' in found)) {
    if (found.failureCode !== 'ImageNotFound' && found.failureCode !== 'ImageTagDoesNotMatchDigest') throw invalidParamMessage(found.failureReason, 'imageId');
    throw imageNotFound({ imageDigest: id.imageDigest as string | undefined, imageTag: id.imageTag as string | undefined }, repo.name, repo.accountId);
  }
  const image = found.image;
  const replicationStatuses = (image.replications ?? []).map((track) => {
    const status = ctx.store.replicationView(repo, image, track, ctx.now, true);
    const entry: Record<string, unknown> = { region: track.region, registryId: track.registryId, status };
    if (status === 'FAILED') entry.failureCode = 'REPLICATION_FAILED';
    return entry;
  });
  const imageId = typeof id.imageTag === 'string' ? { imageDigest: image.digest, imageTag: id.imageTag } : { imageDigest: image.digest };
  return { repositoryName: repo.name, imageId, replicationStatuses };
};

const prefixPattern = /^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;
const upstreamRegistries = [
  'ecr',
  'ecr-public',
  'quay',
  'k8s',
  'docker-hub',
  'github-container-registry',
  'azure-container-registry',
  'gitlab-container-registry',
  'chainguard',
] as const;

function ruleShape(registryId: string, r: PullThroughCacheRuleRecord, withUpdated: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ecrRepositoryPrefix: r.ecrRepositoryPrefix,
    upstreamRegistryUrl: r.upstreamRegistryUrl,
    createdAt: new Date(r.createdAt),
    registryId,
  };
  if (r.upstreamRegistry) out.upstreamRegistry = r.upstreamRegistry;
  if (r.credentialArn) out.credentialArn = r.credentialArn;
  if (r.customRoleArn) out.customRoleArn = r.customRoleArn;
  if (r.upstreamRepositoryPrefix) out.upstreamRepositoryPrefix = r.upstreamRepositoryPrefix;
  if (withUpdated) out.updatedAt = new Date(r.updatedAt);
  return out;
}

export const CreatePullThroughCacheRule: OperationHandler = (ctx, input) => {
  const registryId = targetAccount(ctx, input);
  const ecrRepositoryPrefix = reqString(input, 'ecrRepositoryPrefix', { min: 2, max: 30, pattern: prefixPattern });
  const upstreamRegistryUrl = reqString(input, 'upstreamRegistryUrl', { min: 1 });
  const upstreamRegistry = optEnum(input, 'upstreamRegistry', upstreamRegistries);
  const credentialArn = optString(input, 'credentialArn', { min: 50, max: 612 });
  const customRoleArn = optString(input, 'customRoleArn', { max: 2048 });
  const upstreamRepositoryPrefix = optString(input, 'upstreamRepositoryPrefix', { min: 2, max: 30, pattern: prefixPattern });
  const needsCredential = upstreamRegistry === 'docker-hub' || upstreamRegistry?.endsWith('container-registry');
  if (needsCredential && credentialArn === undefined) {
    throw awsError('ValidationException', `A credential ARN is required for the upstream registry '${upstreamRegistry}'`);
  }
  const region = ctx.store.region(registryId, ctx.region);
  if (region.pullThroughCacheRules.some((r) => r.ecrRepositoryPrefix === ecrRepositoryPrefix)) {
    throw awsError(
      'PullThroughCacheRuleAlreadyExistsException',
      `A pull through cache rule with the prefix '${ecrRepositoryPrefix}' already exists in the registry with id '${registryId}'`,
    );
  }
  const rule: PullThroughCacheRuleRecord = { ecrRepositoryPrefix, upstreamRegistryUrl, createdAt: ctx.now, updatedAt: ctx.now };
  if (upstreamRegistry) rule.upstreamRegistry = upstreamRegistry;
  if (credentialArn) rule.credentialArn = credentialArn;
  if (customRoleArn) rule.customRoleArn = customRoleArn;
  if (upstreamRepositoryPrefix) rule.upstreamRepositoryPrefix = upstreamRepositoryPrefix;
  region.pullThroughCacheRules.push(rule);
  return ruleShape(registryId, rule, false);
};

export const DescribePullThroughCacheRules: OperationHandler = (ctx, input) => {
  const registryId = targetAccount(ctx, input);
  const prefixesList = optList(input, 'ecrRepositoryPrefixes', { min: 1, max: 100 });
  const limit = optInt(input, 'maxResults', { min: 1, max: 1000 }) ?? 100;
  const rules = ctx.store.region(registryId, ctx.region).pullThroughCacheRules;
  let selected = rules;
  if (prefixesList) {
    const prefixes = stringItems(prefixesList, 'ecrRepositoryPrefixes', { min: 2, max: 30 });
    selected = prefixes.map((prefix) => {
      const rule = rules.find((r) => r.ecrRepositoryPrefix === prefix);
      if (!rule)
        throw awsError(
          'PullThroughCacheRuleNotFoundException',
          `The pull through cache rule with prefix '${prefix}' does not exist in the registry with id '${registryId}'`,
        );
      return rule;
    });
  }
  const key = `DescribePullThroughCacheRules|${registryId}|${ctx.region}|${selected.map((r) => r.ecrRepositoryPrefix).join(',')}`;
  const { page, next } = pageByOffset(selected, decodePageToken(optString(input, 'nextToken'), key), limit);
  const out: Record<string, unknown> = { pullThroughCacheRules: page.map((r) => ruleShape(registryId, r, true)) };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};
