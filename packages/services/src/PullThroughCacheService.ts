import {
  UpstreamRegistry,
  invalidParameter,
  validateCredentialArn,
  validatePullThroughCachePrefix,
  validateRoleArn,
  validateUpstreamRegistryUrl,
  readOptions,
} from '@ecrkit/core-types';
import type {
  CreatePullThroughCacheRuleRequest,
  DescribePullThroughCacheRulesResponse,
  PullThroughCacheRule,
  UpdatePullThroughCacheRuleResponse,
  ValidatePullThroughCacheRuleResponse,
} from '@ecrkit/core-types';
import { paginate } from './Paginated.js';
import type { PageOptions, Paginated } from './Paginated.js';
import { callOptions } from './internal/options.js';
import type { ServiceContext } from './internal/ServiceContext.js';

/** A new pull through cache rule: CreatePullThroughCacheRule's input without `registryId` (the client's). */
export type PullThroughCacheRuleInput = Omit<CreatePullThroughCacheRuleRequest, 'registryId'>;

/** What {@link PullThroughCacheService.update} may change: the credential and the custom role. */
export interface PullThroughCacheRuleChanges {
  credentialArn?: string;
  customRoleArn?: string;
}

/** Filters and paging of {@link PullThroughCacheService.list}. */
export interface PullThroughCacheListFilter extends PageOptions {
  /** Describe only the rules of these prefixes (1–100); a prefix without a rule is `PullThroughCacheRuleNotFound`. */
  prefixes?: readonly string[];
}

const upstreamRegistries: readonly string[] = Object.values(UpstreamRegistry);

function checkOptional(rule: { credentialArn?: unknown; customRoleArn?: unknown }): void {
  if (rule.credentialArn !== undefined) validateCredentialArn(rule.credentialArn);
  if (rule.customRoleArn !== undefined) validateRoleArn(rule.customRoleArn);
}

/**
 * Pull through cache rules: which repository prefix caches which upstream registry (Docker Hub,
 * Quay, GitHub, ECR Public, another ECR registry…), with the Secrets Manager credential the
 * upstream needs. The repository is created on the first pull through the rule's prefix.
 */
export class PullThroughCacheService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * Create a rule (CreatePullThroughCacheRule).
   *
   * @throws EcrError kind `InvalidParameter` before any request for a malformed prefix, URL,
   * upstream registry, credential or role ARN; `PullThroughCacheRuleAlreadyExists`,
   * `UnsupportedUpstreamRegistry`, `UpstreamCredentials` from the registry.
   * @example
   * await client.pullThroughCache.create({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
   */
  async create(rule: PullThroughCacheRuleInput, options: { signal?: AbortSignal } = {}): Promise<PullThroughCacheRule> {
    if (typeof rule !== 'object' || rule === null) throw invalidParameter('rule', 'must be an object with ecrRepositoryPrefix and upstreamRegistryUrl');
    rule = readOptions(
      rule,
      ['ecrRepositoryPrefix', 'upstreamRegistryUrl', 'upstreamRegistry', 'credentialArn', 'customRoleArn', 'upstreamRepositoryPrefix'],
      'rule',
    ) as PullThroughCacheRuleInput;
    validatePullThroughCachePrefix(rule.ecrRepositoryPrefix);
    validateUpstreamRegistryUrl(rule.upstreamRegistryUrl);
    if (rule.upstreamRegistry !== undefined && !upstreamRegistries.includes(rule.upstreamRegistry)) {
      throw invalidParameter('upstreamRegistry', `must be one of ${upstreamRegistries.join(', ')}`);
    }
    checkOptional(rule);
    if (rule.upstreamRepositoryPrefix !== undefined) validatePullThroughCachePrefix(rule.upstreamRepositoryPrefix, 'upstreamRepositoryPrefix');
    const input: CreatePullThroughCacheRuleRequest = {
      ...this.#ctx.registryField,
      ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
      upstreamRegistryUrl: rule.upstreamRegistryUrl,
    };
    if (rule.upstreamRegistry !== undefined) input.upstreamRegistry = rule.upstreamRegistry;
    if (rule.credentialArn !== undefined) input.credentialArn = rule.credentialArn;
    if (rule.customRoleArn !== undefined) input.customRoleArn = rule.customRoleArn;
    if (rule.upstreamRepositoryPrefix !== undefined) input.upstreamRepositoryPrefix = rule.upstreamRepositoryPrefix;
    return { ...(await this.#ctx.send('ecr', 'CreatePullThroughCacheRule', input, callOptions(options).signal)) };
  }

  /**
   * Every rule of the registry, or those of the given prefixes (DescribePullThroughCacheRules, all pages).
   *
   * @throws EcrError kind `InvalidParameter` before any request for a bad prefix or page size.
   */
  list(filter: PullThroughCacheListFilter = {}): Paginated<PullThroughCacheRule, DescribePullThroughCacheRulesResponse> {
    const { prefixes, ...page } = readOptions(filter, ['prefixes', 'pageSize', 'startingToken', 'signal'], 'filter') as PullThroughCacheListFilter;
    if (prefixes !== undefined) {
      if (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.length > 100) {
        throw invalidParameter('prefixes', 'must be a list of 1–100 prefixes');
      }
      for (const [i, p] of prefixes.entries()) validatePullThroughCachePrefix(p, `prefixes[${i}]`);
    }
    return paginate(
      this.#ctx.send,
      'ecr',
      'DescribePullThroughCacheRules',
      { ...this.#ctx.registryField, ...(prefixes ? { ecrRepositoryPrefixes: [...prefixes] } : {}) },
      page,
    );
  }

  /**
   * Change a rule's credential or custom role (UpdatePullThroughCacheRule).
   *
   * @throws EcrError kind `InvalidParameter` before any request for a bad prefix or ARN, or when
   * nothing would change; `PullThroughCacheRuleNotFound` from the registry.
   */
  async update(
    ecrRepositoryPrefix: string,
    changes: PullThroughCacheRuleChanges,
    options: { signal?: AbortSignal } = {},
  ): Promise<UpdatePullThroughCacheRuleResponse> {
    validatePullThroughCachePrefix(ecrRepositoryPrefix);
    if (typeof changes === 'object' && changes !== null)
      changes = readOptions(changes, ['credentialArn', 'customRoleArn'], 'changes') as PullThroughCacheRuleChanges;
    if (typeof changes !== 'object' || changes === null || (changes.credentialArn === undefined && changes.customRoleArn === undefined)) {
      throw invalidParameter('changes', 'must set credentialArn or customRoleArn');
    }
    checkOptional(changes);
    const out = await this.#ctx.send(
      'ecr',
      'UpdatePullThroughCacheRule',
      {
        ...this.#ctx.registryField,
        ecrRepositoryPrefix,
        ...(changes.credentialArn !== undefined ? { credentialArn: changes.credentialArn } : {}),
        ...(changes.customRoleArn !== undefined ? { customRoleArn: changes.customRoleArn } : {}),
      },
      callOptions(options).signal,
    );
    return { ...out };
  }

  /**
   * Delete a rule (DeletePullThroughCacheRule); returns the rule deleted. Repositories it created stay.
   *
   * @throws EcrError kind `InvalidParameter` before any request; `PullThroughCacheRuleNotFound`.
   */
  async delete(ecrRepositoryPrefix: string, options: { signal?: AbortSignal } = {}): Promise<PullThroughCacheRule> {
    validatePullThroughCachePrefix(ecrRepositoryPrefix);
    return { ...(await this.#ctx.send('ecr', 'DeletePullThroughCacheRule', { ...this.#ctx.registryField, ecrRepositoryPrefix }, callOptions(options).signal)) };
  }

  /**
   * Check that the rule can reach its upstream with its credential (ValidatePullThroughCacheRule):
   * `isValid`, and `failure` saying why not.
   *
   * @throws EcrError kind `InvalidParameter` before any request; `PullThroughCacheRuleNotFound`.
   */
  async validate(ecrRepositoryPrefix: string, options: { signal?: AbortSignal } = {}): Promise<ValidatePullThroughCacheRuleResponse> {
    validatePullThroughCachePrefix(ecrRepositoryPrefix);
    return {
      ...(await this.#ctx.send('ecr', 'ValidatePullThroughCacheRule', { ...this.#ctx.registryField, ecrRepositoryPrefix }, callOptions(options).signal)),
    };
  }
}
