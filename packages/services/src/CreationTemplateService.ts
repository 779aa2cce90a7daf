import {
  EcrError,
  EncryptionType,
  ImageTagMutability,
  RCTAppliedFor,
  invalidParameter,
  isEcrError,
  validateCreationTemplatePrefix,
  validateLifecyclePolicy,
  validatePolicyDocument,
  validateRoleArn,
  readOptions,
} from '@ecrkit/core-types';
import type {
  CreateRepositoryCreationTemplateRequest,
  DescribeRepositoryCreationTemplatesResponse,
  RepositoryCreationTemplate,
  UpdateRepositoryCreationTemplateRequest,
} from '@ecrkit/core-types';
import { paginate } from './Paginated.js';
import type { PageOptions, Paginated } from './Paginated.js';
import { callOptions } from './internal/options.js';
import type { ServiceContext } from './internal/ServiceContext.js';

/** A new repository creation template: CreateRepositoryCreationTemplate's input. */
export type CreationTemplateInput = CreateRepositoryCreationTemplateRequest;

/** What {@link CreationTemplateService.update} may change: any field of the template but its prefix. */
export type CreationTemplateChanges = Omit<UpdateRepositoryCreationTemplateRequest, 'prefix'>;

/** Filters and paging of {@link CreationTemplateService.list}. */
export interface CreationTemplateListFilter extends PageOptions {
  /** Describe only the templates of these prefixes. */
  prefixes?: readonly string[];
}

const appliedForValues: readonly string[] = Object.values(RCTAppliedFor);
const mutabilityValues: readonly string[] = Object.values(ImageTagMutability);
const encryptionTypes: readonly string[] = Object.values(EncryptionType);
const kmsKeyPattern = /^$|^arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+$/;

function fail(field: string, rule: string): never {
  throw invalidParameter(field, rule);
}

/** Check every field a template carries, with the model's limits, before anything is sent. */
function checkTemplateFields(t: CreationTemplateChanges, appliedForRequired: boolean): void {
  if (t.appliedFor !== undefined || appliedForRequired) {
    const list = t.appliedFor as unknown;
    if (!Array.isArray(list) || list.length === 0) fail('appliedFor', `must be a non-empty list of ${appliedForValues.join(', ')}`);
    for (const [i, v] of list.entries()) if (!appliedForValues.includes(v)) fail(`appliedFor[${i}]`, `must be one of ${appliedForValues.join(', ')}`);
    if (new Set(list).size !== list.length) fail('appliedFor', 'must not repeat a value');
  }
  if (t.description !== undefined && (typeof t.description !== 'string' || t.description.length > 256))
    fail('description', 'must be a string of at most 256 characters');
  if (t.imageTagMutability !== undefined && !mutabilityValues.includes(t.imageTagMutability))
    fail('imageTagMutability', `must be one of ${mutabilityValues.join(', ')}`);
  if (
    t.imageTagMutabilityExclusionFilters !== undefined &&
    (!Array.isArray(t.imageTagMutabilityExclusionFilters) || t.imageTagMutabilityExclusionFilters.length > 5)
  ) {
    fail('imageTagMutabilityExclusionFilters', 'must be a list of at most 5 filters');
  }
  const enc = t.encryptionConfiguration;
  if (enc !== undefined) {
    if (typeof enc !== 'object' || enc === null || !encryptionTypes.includes(enc.encryptionType)) {
      fail('encryptionConfiguration.encryptionType', `must be one of ${encryptionTypes.join(', ')}`);
    }
    if (enc.kmsKey !== undefined && (typeof enc.kmsKey !== 'string' || enc.kmsKey.length > 2048 || !kmsKeyPattern.test(enc.kmsKey))) {
      fail('encryptionConfiguration.kmsKey', 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)');
    }
  }
  if (t.resourceTags !== undefined) {
    if (!Array.isArray(t.resourceTags) || t.resourceTags.length > 50) fail('resourceTags', 'must be a list of at most 50 tags');
    for (const [i, tag] of t.resourceTags.entries()) {
      if (typeof tag?.Key !== 'string' || tag.Key.length < 1 || tag.Key.length > 128) fail(`resourceTags[${i}].Key`, 'must be a string of 1–128 characters');
      if (typeof tag.Value !== 'string' || tag.Value.length > 256) fail(`resourceTags[${i}].Value`, 'must be a string of at most 256 characters');
    }
  }
  if (t.repositoryPolicy !== undefined) validatePolicyDocument(t.repositoryPolicy, 'repositoryPolicy');
  if (t.lifecyclePolicy !== undefined) {
    try {
      validateLifecyclePolicy(t.lifecyclePolicy);
    } catch (err) {
      if (!isEcrError(err) || err.kind !== 'InvalidParameter') throw err;
      fail('lifecyclePolicy', err.message.replace(/^Invalid parameter '[^']*': /, ''));
    }
  }
  if (t.customRoleArn !== undefined) validateRoleArn(t.customRoleArn);
}

/** The fields of a template besides its prefix: what `create` and `update` read from their argument. */
const templateFieldNames = [
  'description',
  'encryptionConfiguration',
  'resourceTags',
  'imageTagMutability',
  'imageTagMutabilityExclusionFilters',
  'repositoryPolicy',
  'lifecyclePolicy',
  'appliedFor',
  'customRoleArn',
] as const;

/** Copy only the template fields the API takes (never the caller's object, never stray keys). */
function templateFields(t: CreationTemplateChanges): CreationTemplateChanges {
  const out: CreationTemplateChanges = {};
  if (t.description !== undefined) out.description = t.description;
  if (t.encryptionConfiguration !== undefined) out.encryptionConfiguration = { ...t.encryptionConfiguration };
  if (t.resourceTags !== undefined) out.resourceTags = t.resourceTags.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
  if (t.imageTagMutability !== undefined) out.imageTagMutability = t.imageTagMutability;
  if (t.imageTagMutabilityExclusionFilters !== undefined) out.imageTagMutabilityExclusionFilters = t.imageTagMutabilityExclusionFilters.map((f) => ({ ...f }));
  if (t.repositoryPolicy !== undefined) out.repositoryPolicy = t.repositoryPolicy;
  if (t.lifecyclePolicy !== undefined) out.lifecyclePolicy = t.lifecyclePolicy;
  if (t.appliedFor !== undefined) out.appliedFor = [...t.appliedFor];
  if (t.customRoleArn !== undefined) out.customRoleArn = t.customRoleArn;
  return out;
}

function templateOf(out: { repositoryCreationTemplate?: RepositoryCreationTemplate }, operation: string): RepositoryCreationTemplate {
  if (!out.repositoryCreationTemplate)
    throw new EcrError({ kind: 'InvalidResponse', operation, message: `${operation} returned no repositoryCreationTemplate` });
  return { ...out.repositoryCreationTemplate };
}

/**
 * Repository creation templates: the settings (tag mutability, encryption, lifecycle and
 * repository policies, resource tags) ECR gives repositories it creates for you, through
 * pull through cache, replication or a push to a missing repository, by name prefix.
 */
export class CreationTemplateService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * Create a template (CreateRepositoryCreationTemplate).
   *
   * @throws EcrError kind `InvalidParameter` before any request for a bad prefix, `appliedFor`,
   * policy, lifecycle policy, encryption, tag or role; `TemplateAlreadyExists` from the registry.
   * @example
   * await client.creationTemplates.create({ prefix: 'prod', appliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'], imageTagMutability: 'IMMUTABLE' });
   */
  async create(template: CreationTemplateInput, options: { signal?: AbortSignal } = {}): Promise<RepositoryCreationTemplate> {
    if (typeof template !== 'object' || template === null) fail('template', 'must be an object with prefix and appliedFor');
    template = readOptions(template, ['prefix', ...templateFieldNames], 'template') as CreationTemplateInput;
    validateCreationTemplatePrefix(template.prefix);
    checkTemplateFields(template, true);
    const input = { prefix: template.prefix, ...templateFields(template) } as CreateRepositoryCreationTemplateRequest;
    return templateOf(await this.#ctx.send('ecr', 'CreateRepositoryCreationTemplate', input, callOptions(options).signal), 'CreateRepositoryCreationTemplate');
  }

  /**
   * Every template of the registry, or those of the given prefixes (DescribeRepositoryCreationTemplates, all pages).
   *
   * @throws EcrError kind `InvalidParameter` before any request for a bad prefix or page size.
   */
  list(filter: CreationTemplateListFilter = {}): Paginated<RepositoryCreationTemplate, DescribeRepositoryCreationTemplatesResponse> {
    const { prefixes, ...page } = readOptions(filter, ['prefixes', 'pageSize', 'startingToken', 'signal'], 'filter') as CreationTemplateListFilter;
    if (prefixes !== undefined) {
      if (!Array.isArray(prefixes) || prefixes.length === 0) fail('prefixes', 'must be a non-empty list of prefixes');
      for (const [i, p] of prefixes.entries()) validateCreationTemplatePrefix(p, `prefixes[${i}]`);
    }
    return paginate(this.#ctx.send, 'ecr', 'DescribeRepositoryCreationTemplates', prefixes ? { prefixes: [...prefixes] } : {}, page);
  }

  /**
   * Change a template (UpdateRepositoryCreationTemplate): the fields given replace the template's.
   *
   * @throws EcrError kind `InvalidParameter` before any request (as for `create`, and when nothing
   * would change); `TemplateNotFound` from the registry.
   */
  async update(prefix: string, changes: CreationTemplateChanges, options: { signal?: AbortSignal } = {}): Promise<RepositoryCreationTemplate> {
    validateCreationTemplatePrefix(prefix);
    if (typeof changes !== 'object' || changes === null) fail('changes', 'must be an object');
    changes = readOptions(changes, templateFieldNames, 'changes') as CreationTemplateChanges;
    checkTemplateFields(changes, false);
    const fields = templateFields(changes);
    if (Object.keys(fields).length === 0) fail('changes', 'must change at least one field');
    return templateOf(
      await this.#ctx.send('ecr', 'UpdateRepositoryCreationTemplate', { prefix, ...fields }, callOptions(options).signal),
      'UpdateRepositoryCreationTemplate',
    );
  }

  /**
   * Delete a template (DeleteRepositoryCreationTemplate); returns the template deleted.
   *
   * @throws EcrError kind `InvalidParameter` before any request; `TemplateNotFound`.
   */
  async delete(prefix: string, options: { signal?: AbortSignal } = {}): Promise<RepositoryCreationTemplate> {
    validateCreationTemplatePrefix(prefix);
    return templateOf(
      await this.#ctx.send('ecr', 'DeleteRepositoryCreationTemplate', { prefix }, callOptions(options).signal),
      'DeleteRepositoryCreationTemplate',
    );
  }
}
