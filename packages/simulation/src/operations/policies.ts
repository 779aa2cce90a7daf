import { evaluateLifecyclePolicy, parseLifecyclePolicy, validateLifecyclePolicy, type LifecycleImage } from '@ecrkit/core-types';
import {
  awsError,
  invalidParam,
  invalidParamMessage,
  lifecyclePolicyNotFound,
  lifecyclePreviewNotFound,
  repositoryPolicyNotFound,
} from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken, pageByOffset } from '../internal/pagination.js';
import type { RepositoryRecord } from '../internal/state.js';
import { optBool, optEnum, optInt, optList, optString, optStruct, reqString, structItems } from '../internal/validate.js';
import { repositoryName } from './names.js';
import { repositoryFrom, type OpContext, type OperationHandler } from './OpContext.js';

/**
 * A repository policy as ECR accepts it: at most 10 KiB of JSON, an object with a `Statement`
 * (one or a list, possibly empty) that has an `Effect` (Allow or Deny), a `Principal` (or `NotPrincipal`) and an `Action`
 * (or `NotAction`) in every statement. Conditions and resources are not interpreted.
 */
export function checkRepositoryPolicy(text: string, path = 'policyText'): void {
  const invalid = () => invalidParam('PolicyText', 'Invalid repository policy provided');
  if (text.length > 10240) throw invalidParam(path, 'Member must have length less than or equal to 10240');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid();
  const raw = (doc as Record<string, unknown>).Statement;
  if (raw === undefined || raw === null) throw invalid();
  const statements = Array.isArray(raw) ? raw : [raw];
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) throw invalid();
    const s = statement as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw invalid();
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw invalid();
    if (s.Action === undefined && s.NotAction === undefined) throw invalid();
  }
}

function repoIds(repo: RepositoryRecord): { registryId: string; repositoryName: string } {
  return { registryId: repo.accountId, repositoryName: repo.name };
}

export const SetRepositoryPolicy: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const policyText = reqString(input, 'policyText', { max: 10240 });
  optBool(input, 'force');
  checkRepositoryPolicy(policyText);
  repo.policyText = policyText;
  return { ...repoIds(repo), policyText };
};

export const GetRepositoryPolicy: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  if (repo.policyText === undefined) throw repositoryPolicyNotFound(repo.name, repo.accountId);
  return { ...repoIds(repo), policyText: repo.policyText };
};

export const DeleteRepositoryPolicy: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  if (repo.policyText === undefined) throw repositoryPolicyNotFound(repo.name, repo.accountId);
  const policyText = repo.policyText;
  delete repo.policyText;
  return { ...repoIds(repo), policyText };
};

export const PutLifecyclePolicy: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const text = input.lifecyclePolicyText;
  // Moto stores any JSON object with rules; ECR checks every rule (core-types' validator).
  if (ctx.strict) validateLifecyclePolicy(text);
  else checkLenientLifecyclePolicy(text);
  repo.lifecyclePolicyText = text;
  repo.lifecycleEvaluatedAt = ctx.now;
  return { ...repoIds(repo), lifecyclePolicyText: text };
};

function checkLenientLifecyclePolicy(text: unknown): asserts text is string {
  const invalid = () => invalidParam('lifecyclePolicyText', 'Lifecycle policy validation failure');
  if (typeof text !== 'string') throw invalidParam('lifecyclePolicyText', 'Member must not be null');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { rules?: unknown }).rules)) throw invalid();
}

/** When the repository's lifecycle policy was last evaluated: when it was set, as ECR evaluates a new policy at once. */
function lastEvaluatedAt(repo: RepositoryRecord): Date {
  return new Date(repo.lifecycleEvaluatedAt ?? repo.createdAt);
}

export const GetLifecyclePolicy: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  if (repo.lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(repo.name, repo.accountId);
  return { ...repoIds(repo), lifecyclePolicyText: repo.lifecyclePolicyText, lastEvaluatedAt: lastEvaluatedAt(repo) };
};

export const DeleteLifecyclePolicy: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  if (repo.lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(repo.name, repo.accountId);
  const text = repo.lifecyclePolicyText;
  const evaluatedAt = lastEvaluatedAt(repo);
  delete repo.lifecyclePolicyText;
  delete repo.lifecycleEvaluatedAt;
  return { ...repoIds(repo), lifecyclePolicyText: text, lastEvaluatedAt: evaluatedAt };
};

/** The images a lifecycle policy sees: every image of the repository. */
export function lifecycleImages(repo: RepositoryRecord): LifecycleImage[] {
  return repo.images.map((i) => ({ imageDigest: i.digest, imageTags: [...i.tags], imagePushedAt: new Date(i.pushedAt) }));
}

/**
 * StartLifecyclePolicyPreview: evaluates the policy (given, or the repository's) with core-types'
 * evaluator at the time of the call. The preview reports IN_PROGRESS to the first
 * GetLifecyclePolicyPreview and COMPLETE afterwards, so waiters see a transition.
 */
export const StartLifecyclePolicyPreview: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const given = input.lifecyclePolicyText;
  let text: string;
  if (given === undefined || given === null) {
    if (repo.lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(repo.name, repo.accountId);
    text = repo.lifecyclePolicyText;
  } else {
    validateLifecyclePolicy(given);
    text = given;
  }
  if (repo.lifecyclePreview && repo.lifecyclePreview.polls === 0) {
    throw awsError('LifecyclePolicyPreviewInProgressException', 'Previous lifecycle policy preview request has not completed. Please try again later.');
  }
  const verdicts = evaluateLifecyclePolicy(parseLifecyclePolicy(text), lifecycleImages(repo), new Date(ctx.now));
  repo.lifecyclePreview = {
    policyText: text,
    startedAt: ctx.now,
    polls: 0,
    results: verdicts.map((v) => ({
      imageDigest: v.imageDigest,
      imageTags: v.imageTags,
      imagePushedAt: v.imagePushedAt.getTime(),
      appliedRulePriority: v.appliedRulePriority,
    })),
  };
  return { ...repoIds(repo), lifecyclePolicyText: text, status: 'IN_PROGRESS' };
};

export const GetLifecyclePolicyPreview: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const preview = repo.lifecyclePreview;
  const limit = optInt(input, 'maxResults', { min: 1, max: 100 }) ?? 100;
  const idsList = optList(input, 'imageIds', { min: 1, max: 100 });
  const filter = optStruct(input, 'filter');
  const tagStatus = filter ? optEnum(filter, 'tagStatus', ['TAGGED', 'UNTAGGED', 'ANY'] as const, 'filter.tagStatus') : undefined;
  if (!preview) throw lifecyclePreviewNotFound(repo.name, repo.accountId);
  const base = { ...repoIds(repo), lifecyclePolicyText: preview.policyText };
  if (preview.polls === 0) {
    preview.polls++;
    return { ...base, status: 'IN_PROGRESS', previewResults: [], summary: { expiringImageTotalCount: 0 } };
  }
  let results = preview.results;
  if (idsList) {
    // Ids the repository does not hold simply have no results (the model lists no ImageNotFoundException here).
    const wanted = new Set<string>();
    for (const id of structItems(idsList, 'imageIds')) {
      const found = ctx.store.lookupImage(repo, id);
      if ('image' in found) wanted.add(found.image.digest);
      else if (found.failureCode !== 'ImageNotFound' && found.failureCode !== 'ImageTagDoesNotMatchDigest')
        throw invalidParamMessage(found.failureReason, 'imageIds');
    }
    results = results.filter((r) => wanted.has(r.imageDigest));
  }
  if (tagStatus === 'TAGGED') results = results.filter((r) => r.imageTags.length > 0);
  if (tagStatus === 'UNTAGGED') results = results.filter((r) => r.imageTags.length === 0);
  const key = previewKey(ctx, repo, preview.startedAt, tagStatus, results.length);
  const { page, next } = pageByOffset(results, decodePageToken(optString(input, 'nextToken'), key), limit);
  const out: Record<string, unknown> = {
    ...base,
    status: 'COMPLETE',
    previewResults: page.map((r) => ({
      imageTags: [...r.imageTags],
      imageDigest: r.imageDigest,
      imagePushedAt: new Date(r.imagePushedAt),
      action: { type: 'EXPIRE' },
      appliedRulePriority: r.appliedRulePriority,
    })),
    summary: { expiringImageTotalCount: preview.results.length },
  };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};

function previewKey(ctx: OpContext, repo: RepositoryRecord, startedAt: number, tagStatus: string | undefined, count: number): string {
  return `GetLifecyclePolicyPreview|${ctx.api}|${repo.accountId}|${repo.region}|${repo.name}|${startedAt}|${tagStatus ?? 'ANY'}|${count}`;
}
