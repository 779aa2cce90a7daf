import { registryHost } from '@ecrkit/core-types';
import { imageNotFound, invalidParam, invalidParamMessage } from '../internal/awsErrors.js';
import type { ReplicationRuleRecord } from '../internal/state.js';
import { optEnum, optList, regionPattern, registryIdPattern, reqList, reqString, reqStruct, stringItems, structItems } from '../internal/validate.js';
import { repositoryName } from './names.js';
import { repositoryFrom, type OperationHandler } from './OpContext.js';

/** GetAuthorizationToken: base64 `AWS:<password>`, valid 12 hours, one per registry asked for. */
export const GetAuthorizationToken: OperationHandler = (ctx, input) => {
  const idsList = optList(input, 'registryIds', { min: 1, max: 10 });
  // Moto accepts registry ids of any length; ECR wants 12 digits.
  const pattern = ctx.strict ? { pattern: registryIdPattern, patternText: '[0-9]{12}' } : { pattern: /^[0-9]{1,12}$/, patternText: '[0-9]{1,12}' };
  const ids = idsList ? stringItems(idsList, 'registryIds', pattern) : [ctx.accountId];
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
        throw invalidParam('replicationConfiguration', 'Replication destination cannot be the same as the source registry');
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
