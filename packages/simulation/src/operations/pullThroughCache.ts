import { awsError, repositoryNotFound } from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken, pageByOffset } from '../internal/pagination.js';
import type { ImageRecord, PullThroughCacheRuleRecord, RepositoryRecord } from '../internal/state.js';
import { optEnum, optInt, optList, optString, reqString, stringItems, type Input } from '../internal/validate.js';
import { createRepositoryFor } from './creationTemplates.js';
import { targetAccount, type OpContext, type OperationHandler } from './OpContext.js';

const prefixPattern = /^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;
const credentialArnPattern = /^arn:aws(-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr-pullthroughcache\/[a-zA-Z0-9/_+=.@-]+$/;
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
type UpstreamRegistry = (typeof upstreamRegistries)[number];

// The registries ECR can cache from, by host (ECR infers `upstreamRegistry` from the URL).
const upstreamHosts: [RegExp, UpstreamRegistry][] = [
  [/^public\.ecr\.aws$/, 'ecr-public'],
  [/^quay\.io$/, 'quay'],
  [/^registry\.k8s\.io$/, 'k8s'],
  [/^registry-1\.docker\.io$/, 'docker-hub'],
  [/^ghcr\.io$/, 'github-container-registry'],
  [/^[a-z0-9]+\.azurecr\.io$/, 'azure-container-registry'],
  [/^registry\.gitlab\.com$/, 'gitlab-container-registry'],
  [/^cgr\.dev$/, 'chainguard'],
  [/^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/, 'ecr'],
];

/** The upstream registry a URL names, or undefined when ECR does not support it. */
export function upstreamRegistryOf(url: string): UpstreamRegistry | undefined {
  const host = url.replace(/^https:\/\//, '').replace(/\/+$/, '');
  return upstreamHosts.find(([pattern]) => pattern.test(host))?.[1];
}

function needsCredential(upstream: string | undefined): boolean {
  return upstream === 'docker-hub' || (upstream?.endsWith('container-registry') ?? false);
}

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

function readPrefix(input: Input, field = 'ecrRepositoryPrefix'): string {
  return reqString(input, field, { min: 2, max: 30, pattern: prefixPattern });
}

function ruleNotFound(prefix: string, registryId: string) {
  return awsError(
    'PullThroughCacheRuleNotFoundException',
    `The pull through cache rule with prefix '${prefix}' does not exist in the registry with id '${registryId}'`,
  );
}

function findRule(ctx: OpContext, registryId: string, prefix: string): { rules: PullThroughCacheRuleRecord[]; index: number } {
  const rules = ctx.store.region(registryId, ctx.region).pullThroughCacheRules;
  const index = rules.findIndex((r) => r.ecrRepositoryPrefix === prefix);
  if (index < 0) throw ruleNotFound(prefix, registryId);
  return { rules, index };
}

export const CreatePullThroughCacheRule: OperationHandler = (ctx, input) => {
  const registryId = targetAccount(ctx, input);
  const ecrRepositoryPrefix = readPrefix(input);
  const upstreamRegistryUrl = reqString(input, 'upstreamRegistryUrl', { min: 1 });
  const given = optEnum(input, 'upstreamRegistry', upstreamRegistries);
  const credentialArn = optString(input, 'credentialArn', { min: 50, max: 612, pattern: credentialArnPattern });
  const customRoleArn = optString(input, 'customRoleArn', { max: 2048 });
  const upstreamRepositoryPrefix = optString(input, 'upstreamRepositoryPrefix', { min: 2, max: 30, pattern: prefixPattern });
  const inferred = upstreamRegistryOf(upstreamRegistryUrl);
  if (inferred === undefined && given === undefined && ctx.strict) {
    throw awsError('UnsupportedUpstreamRegistryException', `The upstream registry '${upstreamRegistryUrl}' is not supported for pull through cache rules`);
  }
  const upstreamRegistry = given ?? inferred;
  if (needsCredential(upstreamRegistry) && credentialArn === undefined) {
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
      if (!rule) throw ruleNotFound(prefix, registryId);
      return rule;
    });
  }
  const key = `DescribePullThroughCacheRules|${registryId}|${ctx.region}|${selected.map((r) => r.ecrRepositoryPrefix).join(',')}`;
  const { page, next } = pageByOffset(selected, decodePageToken(optString(input, 'nextToken'), key), limit);
  const out: Record<string, unknown> = { pullThroughCacheRules: page.map((r) => ruleShape(registryId, r, true)) };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};

export const DeletePullThroughCacheRule: OperationHandler = (ctx, input) => {
  const registryId = targetAccount(ctx, input);
  const prefix = readPrefix(input);
  const { rules, index } = findRule(ctx, registryId, prefix);
  const [rule] = rules.splice(index, 1);
  // The model's DeletePullThroughCacheRuleResponse has no upstreamRegistry.
  const { upstreamRegistry: _, ...out } = ruleShape(registryId, rule!, false);
  return out;
};

/** UpdatePullThroughCacheRule: replaces the credential and role ARNs; only those two can change. */
export const UpdatePullThroughCacheRule: OperationHandler = (ctx, input) => {
  const registryId = targetAccount(ctx, input);
  const prefix = readPrefix(input);
  const credentialArn = optString(input, 'credentialArn', { min: 50, max: 612, pattern: credentialArnPattern });
  const customRoleArn = optString(input, 'customRoleArn', { max: 2048 });
  const { rules, index } = findRule(ctx, registryId, prefix);
  const rule = rules[index]!;
  if (credentialArn === undefined && customRoleArn === undefined) {
    throw awsError('ValidationException', 'At least one of credentialArn or customRoleArn must be provided');
  }
  if (credentialArn !== undefined) rule.credentialArn = credentialArn;
  if (customRoleArn !== undefined) rule.customRoleArn = customRoleArn;
  rule.updatedAt = ctx.now;
  const out: Record<string, unknown> = { ecrRepositoryPrefix: rule.ecrRepositoryPrefix, registryId, updatedAt: new Date(rule.updatedAt) };
  if (rule.credentialArn) out.credentialArn = rule.credentialArn;
  if (rule.customRoleArn) out.customRoleArn = rule.customRoleArn;
  if (rule.upstreamRepositoryPrefix) out.upstreamRepositoryPrefix = rule.upstreamRepositoryPrefix;
  return out;
};

/**
 * ValidatePullThroughCacheRule: valid when the upstream is one ECR supports and a registry that
 * needs credentials has a credential ARN (the simulation has no Secrets Manager to ask).
 */
export const ValidatePullThroughCacheRule: OperationHandler = (ctx, input) => {
  const registryId = targetAccount(ctx, input);
  const prefix = readPrefix(input);
  const { rules, index } = findRule(ctx, registryId, prefix);
  const rule = rules[index]!;
  let failure: string | undefined;
  if (rule.upstreamRegistry === undefined && upstreamRegistryOf(rule.upstreamRegistryUrl) === undefined) {
    failure = `The upstream registry '${rule.upstreamRegistryUrl}' is not supported`;
  } else if (needsCredential(rule.upstreamRegistry) && !rule.credentialArn) {
    failure = 'The pull through cache rule has no credential ARN, and the upstream registry requires authentication';
  }
  const out: Record<string, unknown> = { ecrRepositoryPrefix: rule.ecrRepositoryPrefix, registryId, upstreamRegistryUrl: rule.upstreamRegistryUrl };
  if (rule.credentialArn) out.credentialArn = rule.credentialArn;
  if (rule.customRoleArn) out.customRoleArn = rule.customRoleArn;
  if (rule.upstreamRepositoryPrefix) out.upstreamRepositoryPrefix = rule.upstreamRepositoryPrefix;
  out.isValid = failure === undefined;
  if (failure !== undefined) out.failure = failure;
  return out;
};

/**
 * The rule a repository name falls under and the upstream repository it maps to: the rule whose
 * `ecrRepositoryPrefix` is the longest leading path segment(s) of the name (`ROOT` matches every
 * name), the rest of the name after the rule's `upstreamRepositoryPrefix` (none by default).
 */
export function pullThroughSource(ctx: OpContext, accountId: string, name: string): { rule: PullThroughCacheRuleRecord; upstreamName: string } | undefined {
  let best: { rule: PullThroughCacheRuleRecord; rest: string; length: number } | undefined;
  for (const rule of ctx.store.region(accountId, ctx.region).pullThroughCacheRules) {
    const prefix = rule.ecrRepositoryPrefix.replace(/\/$/, '');
    const root = prefix === 'ROOT';
    if (!root && !name.startsWith(`${prefix}/`)) continue;
    const rest = root ? name : name.slice(prefix.length + 1);
    const length = root ? 0 : prefix.length;
    if (rest.length > 0 && (best === undefined || length > best.length)) best = { rule, rest, length };
  }
  if (!best) return undefined;
  const upstreamPrefix = best.rule.upstreamRepositoryPrefix?.replace(/\/$/, '');
  const upstreamName = upstreamPrefix && upstreamPrefix !== 'ROOT' ? `${upstreamPrefix}/${best.rest}` : best.rest;
  return { rule: best.rule, upstreamName };
}

/**
 * A pull through a cache rule: when `name` falls under a rule and the upstream registry has the
 * image `id` names, cache it (creating the repository on first pull, with the PULL_THROUGH_CACHE
 * creation template) and return the cached image. Undefined when no rule applies or the
 * upstream has no such image; nothing is created then.
 */
export function pullThrough(
  ctx: OpContext,
  accountId: string,
  name: string,
  id: { imageDigest?: unknown; imageTag?: unknown },
): { repo: RepositoryRecord; image: ImageRecord } | undefined {
  const source = pullThroughSource(ctx, accountId, name);
  if (!source) return undefined;
  const upstream = ctx.store.upstreamRepository(source.rule.upstreamRegistryUrl, source.upstreamName, false, ctx.now);
  if (!upstream) return undefined;
  const found = ctx.store.lookupImage(upstream, id);
  if (!('image' in found)) return undefined;
  const repo = ctx.store.findRepository(accountId, ctx.region, name) ?? createRepositoryFor(ctx, accountId, ctx.region, name, 'PULL_THROUGH_CACHE');
  const tag = typeof id.imageTag === 'string' ? [id.imageTag] : [];
  const image = ctx.store.copyImage(upstream, repo, found.image, tag, ctx.now);
  return { repo, image };
}

/** The repository a pull names: an existing one, else one a pull-through rule creates for this image, else RepositoryNotFoundException. */
export function repositoryForPull(
  ctx: OpContext,
  accountId: string,
  name: string,
  ids: readonly { imageDigest?: unknown; imageTag?: unknown }[],
): RepositoryRecord {
  let repo = ctx.store.findRepository(accountId, ctx.region, name);
  if (ctx.api === 'ecr') {
    for (const id of ids) {
      if (repo && 'image' in ctx.store.lookupImage(repo, id)) continue;
      const pulled = pullThrough(ctx, accountId, name, id);
      if (pulled) repo = pulled.repo;
    }
  }
  if (!repo) throw repositoryNotFound(name, accountId);
  return repo;
}
