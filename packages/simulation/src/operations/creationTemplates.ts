import { validateLifecyclePolicy } from '@ecrkit/core-types';
import { awsError, invalidParam, invalidParamMessage } from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken, pageByOffset } from '../internal/pagination.js';
import type { CreationTemplateRecord, TemplateAppliedFor } from '../internal/registrySettings.js';
import type { RepositoryRecord } from '../internal/state.js';
import { optEnum, optInt, optList, optString, optStruct, reqEnum, reqList, reqString, stringItems, type Input } from '../internal/validate.js';
import type { OpContext, OperationHandler } from './OpContext.js';
import { checkRepositoryPolicy } from './policies.js';
import { settingsOf } from './registryPolicy.js';
import { awsManagedEcrKey, mergeResourceTags, readExclusionFilters, readResourceTags, tagMutabilities } from './repositories.js';

const prefixPattern = /^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;
const kmsKeyPattern = /^$|arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+/;
const appliedForValues = ['REPLICATION', 'PULL_THROUGH_CACHE', 'CREATE_ON_PUSH'] as const;
const encryptionTypes = ['AES256', 'KMS', 'KMS_DSSE'] as const;

function readPrefix(input: Input): string {
  return reqString(input, 'prefix', { min: 1, max: 256, pattern: prefixPattern });
}

/** The namespace a template prefix stands for: ECR always assumes a `/` after it. */
function namespaceOf(prefix: string): string {
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

/**
 * The template that applies to a repository ECR creates for `scenario`: the one with the longest
 * prefix `p` such that the name starts with `p/`, else the `ROOT` template, else none.
 */
export function templateFor(
  templates: readonly CreationTemplateRecord[],
  repositoryName: string,
  scenario: TemplateAppliedFor,
): CreationTemplateRecord | undefined {
  let best: CreationTemplateRecord | undefined;
  let root: CreationTemplateRecord | undefined;
  for (const t of templates) {
    if (!t.appliedFor.includes(scenario)) continue;
    if (t.prefix === 'ROOT') {
      root = t;
      continue;
    }
    const ns = namespaceOf(t.prefix);
    if (repositoryName.startsWith(`${ns}/`) && (best === undefined || ns.length > namespaceOf(best.prefix).length)) best = t;
  }
  return best ?? root;
}

/** Give a repository ECR just created the settings of a template. */
export function applyTemplate(repo: RepositoryRecord, template: CreationTemplateRecord, now: number): void {
  repo.tagMutability = template.tagMutability ?? 'MUTABLE';
  if (template.exclusionFilters) repo.exclusionFilters = template.exclusionFilters.map((f) => ({ ...f }));
  else delete repo.exclusionFilters;
  const encryption = template.encryption;
  if (encryption && encryption.encryptionType !== 'AES256') {
    repo.encryption = { encryptionType: encryption.encryptionType, kmsKey: encryption.kmsKey || awsManagedEcrKey(repo.region, repo.accountId) };
  } else {
    repo.encryption = { encryptionType: 'AES256' };
  }
  repo.resourceTags = mergeResourceTags(repo.resourceTags, template.resourceTags);
  if (template.repositoryPolicy) repo.policyText = template.repositoryPolicy;
  if (template.lifecyclePolicy) {
    repo.lifecyclePolicyText = template.lifecyclePolicy;
    repo.lifecycleEvaluatedAt = now;
  }
}

/**
 * Create a repository on ECR's own behalf (pull through cache, replication, create on push),
 * with the settings of the template that applies, if any.
 */
export function createRepositoryFor(ctx: OpContext, accountId: string, region: string, name: string, scenario: TemplateAppliedFor): RepositoryRecord {
  const repo = ctx.store.createRepository(accountId, region, name, ctx.now);
  const template = templateFor(ctx.store.registrySettings(accountId, region).creationTemplates, name, scenario);
  if (template) applyTemplate(repo, template, ctx.now);
  return repo;
}

/** The template members of Create (all) and Update (`partial`: only those given change). */
function readTemplate(input: Input, existing: CreationTemplateRecord | undefined, now: number): Omit<CreationTemplateRecord, 'prefix'> {
  const out: Omit<CreationTemplateRecord, 'prefix'> = existing
    ? structuredClone({ ...existing, prefix: undefined })
    : { resourceTags: [], appliedFor: [], createdAt: now, updatedAt: now };
  delete (out as { prefix?: string }).prefix;
  out.updatedAt = now;
  const description = optString(input, 'description', { max: 256 });
  if (description !== undefined) out.description = description;
  const encryption = optStruct(input, 'encryptionConfiguration');
  if (encryption) {
    const encryptionType = reqEnum(encryption, 'encryptionType', encryptionTypes, 'encryptionConfiguration.encryptionType');
    const kmsKey = optString(encryption, 'kmsKey', { max: 2048, pattern: kmsKeyPattern }, 'encryptionConfiguration.kmsKey');
    if (encryptionType === 'AES256' && kmsKey) {
      throw invalidParamMessage('Invalid parameter: kmsKey can only be specified when encryptionType is KMS or KMS_DSSE', 'encryptionConfiguration.kmsKey');
    }
    out.encryption = kmsKey ? { encryptionType, kmsKey } : { encryptionType };
  }
  const tags = optList(input, 'resourceTags');
  if (tags) out.resourceTags = mergeResourceTags([], readResourceTags(tags, 'resourceTags'));
  const mutability = optEnum(input, 'imageTagMutability', tagMutabilities);
  if (mutability !== undefined || input.imageTagMutabilityExclusionFilters !== undefined) {
    const mode = mutability ?? out.tagMutability ?? 'MUTABLE';
    out.tagMutability = mode;
    const filters = readExclusionFilters(input, mode);
    if (filters) out.exclusionFilters = filters;
    else delete out.exclusionFilters;
  }
  const policy = optString(input, 'repositoryPolicy', { max: 10240 });
  if (policy !== undefined) {
    if (policy === '') delete out.repositoryPolicy;
    else {
      checkRepositoryPolicy(policy, 'repositoryPolicy');
      out.repositoryPolicy = policy;
    }
  }
  const lifecycle = optString(input, 'lifecyclePolicy', { max: 30720 });
  if (lifecycle !== undefined) {
    if (lifecycle === '') delete out.lifecyclePolicy;
    else {
      validateLifecyclePolicy(lifecycle);
      out.lifecyclePolicy = lifecycle;
    }
  }
  const applied = existing ? optList(input, 'appliedFor') : reqList(input, 'appliedFor');
  if (applied) {
    const values = stringItems(applied, 'appliedFor');
    for (const [i, v] of values.entries()) {
      if (!(appliedForValues as readonly string[]).includes(v)) {
        throw invalidParam(`appliedFor.${i + 1}.member`, `Member must satisfy enum value set: [${appliedForValues.join(', ')}]`);
      }
    }
    if (values.length === 0) throw invalidParam('appliedFor', 'Member must have length greater than or equal to 1');
    out.appliedFor = [...new Set(values)] as TemplateAppliedFor[];
  }
  const role = optString(input, 'customRoleArn', { max: 2048 });
  if (role !== undefined) {
    if (role === '') delete out.customRoleArn;
    else out.customRoleArn = role;
  }
  return out;
}

function templateShape(t: CreationTemplateRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { prefix: t.prefix };
  if (t.description !== undefined) out.description = t.description;
  out.encryptionConfiguration = t.encryption ? { ...t.encryption } : { encryptionType: 'AES256' };
  out.resourceTags = t.resourceTags.map((tag) => ({ ...tag }));
  out.imageTagMutability = t.tagMutability ?? 'MUTABLE';
  if (t.exclusionFilters) out.imageTagMutabilityExclusionFilters = t.exclusionFilters.map((f) => ({ ...f }));
  if (t.repositoryPolicy !== undefined) out.repositoryPolicy = t.repositoryPolicy;
  if (t.lifecyclePolicy !== undefined) out.lifecyclePolicy = t.lifecyclePolicy;
  out.appliedFor = [...t.appliedFor];
  if (t.customRoleArn !== undefined) out.customRoleArn = t.customRoleArn;
  out.createdAt = new Date(t.createdAt);
  out.updatedAt = new Date(t.updatedAt);
  return out;
}

function templateNotFound(prefix: string, registryId: string) {
  return awsError(
    'TemplateNotFoundException',
    `The repository creation template with prefix '${prefix}' does not exist in the registry with id '${registryId}'`,
  );
}

export const CreateRepositoryCreationTemplate: OperationHandler = (ctx, input) => {
  const prefix = readPrefix(input);
  const settings = settingsOf(ctx);
  const template = { prefix, ...readTemplate(input, undefined, ctx.now) };
  if (settings.creationTemplates.some((t) => namespaceOf(t.prefix) === namespaceOf(prefix))) {
    throw awsError(
      'TemplateAlreadyExistsException',
      `The repository creation template with prefix '${prefix}' already exists in the registry with id '${ctx.accountId}'`,
    );
  }
  settings.creationTemplates.push(template);
  return { registryId: ctx.accountId, repositoryCreationTemplate: templateShape(template) };
};

function findTemplate(ctx: OpContext, prefix: string): { index: number; template: CreationTemplateRecord } {
  const templates = settingsOf(ctx).creationTemplates;
  const index = templates.findIndex((t) => namespaceOf(t.prefix) === namespaceOf(prefix));
  if (index < 0) throw templateNotFound(prefix, ctx.accountId);
  return { index, template: templates[index]! };
}

export const UpdateRepositoryCreationTemplate: OperationHandler = (ctx, input) => {
  const prefix = readPrefix(input);
  const { index, template } = findTemplate(ctx, prefix);
  const updated = { prefix: template.prefix, ...readTemplate(input, template, ctx.now) };
  settingsOf(ctx).creationTemplates[index] = updated;
  return { registryId: ctx.accountId, repositoryCreationTemplate: templateShape(updated) };
};

export const DeleteRepositoryCreationTemplate: OperationHandler = (ctx, input) => {
  const prefix = readPrefix(input);
  const { index, template } = findTemplate(ctx, prefix);
  settingsOf(ctx).creationTemplates.splice(index, 1);
  return { registryId: ctx.accountId, repositoryCreationTemplate: templateShape(template) };
};

/** DescribeRepositoryCreationTemplates: in creation order; prefixes that have no template are left out. */
export const DescribeRepositoryCreationTemplates: OperationHandler = (ctx, input) => {
  const prefixesList = optList(input, 'prefixes', { min: 1, max: 100 });
  const limit = optInt(input, 'maxResults', { min: 1, max: 1000 }) ?? 100;
  let templates = settingsOf(ctx).creationTemplates;
  let wanted = '';
  if (prefixesList) {
    const prefixes = stringItems(prefixesList, 'prefixes', { min: 1, max: 256, pattern: prefixPattern }).map(namespaceOf);
    templates = templates.filter((t) => prefixes.includes(namespaceOf(t.prefix)));
    wanted = prefixes.join(',');
  }
  const key = `DescribeRepositoryCreationTemplates|${ctx.accountId}|${ctx.region}|${wanted}`;
  const { page, next } = pageByOffset(templates, decodePageToken(optString(input, 'nextToken'), key), limit);
  const out: Record<string, unknown> = { registryId: ctx.accountId, repositoryCreationTemplates: page.map(templateShape) };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};
