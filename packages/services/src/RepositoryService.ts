import type { CallOptions, WaitOptions } from '@ecrkit/core-types';
import {
  EcrError,
  evaluateLifecyclePolicy,
  isEcrError,
  parseLifecyclePolicy,
  validateRepositoryArn,
  validateRepositoryName,
  readOptions,
} from '@ecrkit/core-types';
import type {
  DescribeRepositoriesResponse,
  GetLifecyclePolicyPreviewResponse,
  ImageDetail,
  LifecycleImage,
  LifecyclePolicyPreviewResult,
  LifecyclePolicyPreviewStatus,
  LifecyclePolicyRule,
  LifecycleVerdict,
  ListTagsForResourceResponse,
  Repository,
  Tag,
} from '@ecrkit/core-types';
import { paginate, PaginatedList, singlePage } from './Paginated.js';
import type { PageOptions, Paginated } from './Paginated.js';
import { chunk } from './internal/imageIds.js';
import { parsePolicyStatements } from './parsePolicyStatements.js';
import type { PolicyStatement } from './parsePolicyStatements.js';
import type { ServiceContext } from './internal/ServiceContext.js';
import { waitFor } from './waitFor.js';
import { callOptions, waitOptions } from './internal/options.js';

/** Filters and paging for {@link RepositoryService.list}. */
export interface RepositoryListFilter extends PageOptions {
  /** Keep repositories whose name starts with this (filtered client-side; ECR has no such filter). */
  namePrefix?: string;
  /** Describe exactly these repositories (sent 100 names per request). */
  names?: readonly string[];
}

/** A repository policy: its text and parsed statements. */
export interface RepositoryPolicy {
  registryId?: string;
  repositoryName: string;
  text: string;
  statements: PolicyStatement[];
}

/** A lifecycle policy: its text, its rules (sorted by priority) and when ECR last evaluated it. */
export interface RepositoryLifecyclePolicy {
  registryId?: string;
  repositoryName: string;
  text: string;
  rules: LifecyclePolicyRule[];
  lastEvaluatedAt?: Date;
}

/** Where {@link RepositoryService.previewLifecycle} gets its verdicts. */
export type LifecyclePreviewSource = 'registry' | 'local' | 'auto';

/** Options of {@link RepositoryService.previewLifecycle}. */
/** Progress of {@link RepositoryService.previewLifecycle} on the registry, after every poll that found the preview still running. */
export interface LifecyclePreviewProgress {
  attempt: number;
  elapsedMs: number;
  nextDelayMs: number;
  status?: LifecyclePolicyPreviewStatus;
}

/** Options of {@link RepositoryService.previewLifecycle}: the waiter options every waiter takes (core-types `WaitOptions`), and where the verdicts come from. */
export interface LifecyclePreviewOptions extends WaitOptions<LifecyclePreviewProgress> {
  /**
   * `registry`: StartLifecyclePolicyPreview and poll GetLifecyclePolicyPreview; `local`: evaluate
   * the policy here over DescribeImages; `auto` (default): the registry, falling back to local
   * when the registry does not offer previews.
   */
  source?: LifecyclePreviewSource;
  /** Preview this policy text instead of the repository's current policy. */
  policyText?: string;
}

/** Read repositories, their policies and tags, and explain their lifecycle policies. */
export class RepositoryService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * Every repository of the registry (DescribeRepositories, all pages), or those named.
   *
   * @throws EcrError kind `InvalidParameter` before any request for a bad name or page size.
   */
  list(filter: RepositoryListFilter = {}): Paginated<Repository, DescribeRepositoriesResponse> {
    const { namePrefix, names, ...page } = readOptions(
      filter,
      ['namePrefix', 'names', 'signal', 'pageSize', 'startingToken'],
      'filter',
    ) as RepositoryListFilter;
    if (namePrefix !== undefined && typeof namePrefix !== 'string') {
      throw new EcrError({ kind: 'InvalidParameter', field: 'namePrefix', message: `Invalid parameter 'namePrefix': must be a string` });
    }
    const keep = (repos: readonly Repository[] | undefined): readonly Repository[] => {
      const all = repos ?? [];
      for (const repo of all) this.#remember(repo);
      const listed = namePrefix ? all.filter((r) => r.repositoryName?.startsWith(namePrefix)) : all;
      this.#ctx.observe.repositoriesListed(listed.length);
      return listed;
    };
    if (names !== undefined) {
      if (!Array.isArray(names) || names.length === 0) {
        throw new EcrError({ kind: 'InvalidParameter', field: 'names', message: `Invalid parameter 'names': must be a non-empty list` });
      }
      for (const [i, n] of names.entries()) validateRepositoryName(n, `names[${i}]`);
      if (page.pageSize !== undefined || page.startingToken !== undefined) {
        throw new EcrError({
          kind: 'InvalidParameter',
          field: 'names',
          message: `Invalid parameter 'names': cannot be combined with pageSize or startingToken`,
        });
      }
      // ECR refuses maxResults and nextToken together with repositoryNames; one request per 100 names.
      const chunks = chunk([...new Set(names)]);
      const ctx = this.#ctx;
      return new PaginatedList<Repository, DescribeRepositoriesResponse>(
        async function* () {
          for (const part of chunks) {
            yield await ctx.send('ecr', 'DescribeRepositories', { ...ctx.registryField, repositoryNames: part }, page.signal);
          }
        },
        (p) => keep(p.repositories),
      );
    }
    return paginate(this.#ctx.send, 'ecr', 'DescribeRepositories', { ...this.#ctx.registryField }, page, (p) => keep(p.repositories));
  }

  /**
   * One repository's details (served from the metadata cache when enabled and fresh).
   *
   * @throws EcrError kind `RepositoryNotFound`, or `InvalidParameter` before any request.
   */
  async get(name: string, options: CallOptions = {}): Promise<Repository> {
    const { signal } = callOptions(options);
    validateRepositoryName(name);
    const cached = this.#ctx.metadataCache?.get<Repository>(repositoryKey(name));
    if (cached) return cached;
    const out = await this.#ctx.send('ecr', 'DescribeRepositories', { ...this.#ctx.registryField, repositoryNames: [name] }, signal);
    const repo = out.repositories?.find((r) => r.repositoryName === name);
    if (!repo) {
      throw new EcrError({ kind: 'InvalidResponse', operation: 'DescribeRepositories', message: `DescribeRepositories did not return repository ${name}` });
    }
    this.#remember(repo);
    return repo;
  }

  /**
   * The repository policy text and its statements.
   *
   * @throws EcrError kind `RepositoryPolicyNotFound`, `RepositoryNotFound`; `InvalidResponse` when the text is not a policy document.
   */
  async getPolicy(name: string, options: CallOptions = {}): Promise<RepositoryPolicy> {
    const { signal } = callOptions(options);
    validateRepositoryName(name);
    const out = await this.#ctx.send('ecr', 'GetRepositoryPolicy', { ...this.#ctx.registryField, repositoryName: name }, signal);
    const text = out.policyText ?? '';
    return {
      ...(out.registryId !== undefined ? { registryId: out.registryId } : {}),
      repositoryName: out.repositoryName ?? name,
      text,
      statements: parsePolicyStatements(text),
    };
  }

  /**
   * The lifecycle policy text, its rules parsed with ECR's semantics, and `lastEvaluatedAt`.
   *
   * @throws EcrError kind `LifecyclePolicyNotFound`, `RepositoryNotFound`, or `InvalidParameter` for an unparseable policy.
   */
  async getLifecyclePolicy(name: string, options: CallOptions = {}): Promise<RepositoryLifecyclePolicy> {
    const { signal } = callOptions(options);
    validateRepositoryName(name);
    const out = await this.#ctx.send('ecr', 'GetLifecyclePolicy', { ...this.#ctx.registryField, repositoryName: name }, signal);
    const text = out.lifecyclePolicyText ?? '';
    return {
      ...(out.registryId !== undefined ? { registryId: out.registryId } : {}),
      repositoryName: out.repositoryName ?? name,
      text,
      rules: parseLifecyclePolicy(text).rules,
      ...(out.lastEvaluatedAt !== undefined ? { lastEvaluatedAt: out.lastEvaluatedAt } : {}),
    };
  }

  /**
   * The resource tags of a repository, by ARN (ListTagsForResource is a single page).
   *
   * @throws EcrError kind `InvalidParameter` before any request for a malformed ARN.
   */
  listTags(arn: string, options: CallOptions = {}): Paginated<Tag, ListTagsForResourceResponse> {
    const { signal } = callOptions(options);
    validateRepositoryArn(arn);
    return singlePage(
      () => this.#ctx.send('ecr', 'ListTagsForResource', { resourceArn: arn }, signal),
      (p) => p.tags ?? [],
    );
  }

  /**
   * Which images the lifecycle policy would expire, and by which rule. From the registry's
   * GetLifecyclePolicyPreview where it offers one (StartLifecyclePolicyPreview, then polling
   * until COMPLETE; a status this model does not know keeps it polling, as the SDK's waiter
   * does), otherwise evaluated locally with core-types `evaluateLifecyclePolicy` over
   * DescribeImages at the client clock's now. Both give the same verdicts.
   *
   * @throws EcrError kind `LifecyclePolicyNotFound`; `Timeout` if the registry's preview does not
   * complete in time; `InvalidResponse` if it ends `FAILED` or `EXPIRED`.
   */
  async previewLifecycle(name: string, previewOptions: LifecyclePreviewOptions = {}): Promise<LifecycleVerdict[]> {
    validateRepositoryName(name);
    const options = waitOptions<LifecyclePreviewProgress>(previewOptions, ['source', 'policyText']) as LifecyclePreviewOptions;
    const source = options.source ?? 'auto';
    if (source !== 'registry' && source !== 'local' && source !== 'auto') {
      throw new EcrError({ kind: 'InvalidParameter', field: 'source', message: `Invalid parameter 'source': must be 'registry', 'local' or 'auto'` });
    }
    if (options.policyText !== undefined) parseLifecyclePolicy(options.policyText);
    if (source === 'local') return this.#previewLocally(name, options);
    try {
      return await this.#previewOnRegistry(name, options);
    } catch (err) {
      if (source === 'auto' && isEcrError(err) && (err.kind === 'UnknownOperation' || err.awsCode === 'UnsupportedCommandException')) {
        return this.#previewLocally(name, options);
      }
      throw err;
    }
  }

  async #previewOnRegistry(name: string, options: LifecyclePreviewOptions): Promise<LifecycleVerdict[]> {
    const { signal } = options;
    const base = { ...this.#ctx.registryField, repositoryName: name };
    try {
      await this.#ctx.send(
        'ecr',
        'StartLifecyclePolicyPreview',
        { ...base, ...(options.policyText !== undefined ? { lifecyclePolicyText: options.policyText } : {}) },
        signal,
      );
    } catch (err) {
      // A preview already running for this repository: wait for that one.
      if (!(isEcrError(err) && err.kind === 'LifecyclePolicyPreviewInProgress')) throw err;
    }
    const { onProgress, clock, source: _source, policyText: _policyText, ...timing } = options;
    const done = await waitFor<GetLifecyclePolicyPreviewResponse>({
      ...timing,
      ...(onProgress
        ? {
            onProgress: (p) =>
              onProgress({ attempt: p.attempt, elapsedMs: p.elapsedMs, nextDelayMs: p.nextDelayMs, ...(p.result.status ? { status: p.result.status } : {}) }),
          }
        : {}),
      clock: clock ?? this.#ctx.clock,
      random: this.#ctx.random,
      timeoutKind: 'Timeout',
      description: `the lifecycle policy preview of ${name}`,
      describeLast: (r) => r.status ?? 'unknown',
      poll: (s) => this.#ctx.send('ecr', 'GetLifecyclePolicyPreview', { ...base }, s),
      acceptor: (r) => (r.status === 'COMPLETE' ? 'SUCCESS' : previewEnded.has(r.status ?? '') ? 'FAILURE' : 'RETRY'),
    });
    if (done.state === 'FAILURE') {
      throw new EcrError({
        kind: 'InvalidResponse',
        operation: 'GetLifecyclePolicyPreview',
        message: `The lifecycle policy preview of ${name} ended with status ${done.result.status ?? 'unknown'}`,
      });
    }
    const verdicts: LifecycleVerdict[] = [];
    const results: Paginated<LifecyclePolicyPreviewResult> = paginate(this.#ctx.send, 'ecr', 'GetLifecyclePolicyPreview', base, { signal });
    for await (const result of results) {
      verdicts.push({
        imageDigest: result.imageDigest ?? '',
        imageTags: [...(result.imageTags ?? [])],
        imagePushedAt: result.imagePushedAt ?? new Date(0),
        appliedRulePriority: result.appliedRulePriority ?? 0,
        action: { type: 'EXPIRE' },
      });
    }
    return verdicts;
  }

  async #previewLocally(name: string, options: LifecyclePreviewOptions): Promise<LifecycleVerdict[]> {
    const text = options.policyText ?? (await this.getLifecyclePolicy(name, { signal: options.signal })).text;
    const policy = parseLifecyclePolicy(text);
    const images: LifecycleImage[] = [];
    const pages: Paginated<ImageDetail> = paginate(
      this.#ctx.send,
      'ecr',
      'DescribeImages',
      { ...this.#ctx.registryField, repositoryName: name, filter: { tagStatus: 'ANY' } },
      { signal: options.signal },
    );
    for await (const detail of pages) {
      if (!detail.imageDigest || !detail.imagePushedAt) continue;
      images.push({ imageDigest: detail.imageDigest, imageTags: [...(detail.imageTags ?? [])], imagePushedAt: detail.imagePushedAt });
    }
    return evaluateLifecyclePolicy(policy, images, new Date(this.#ctx.clock.now()));
  }

  #remember(repo: Repository): void {
    if (repo.repositoryName) this.#ctx.metadataCache?.set(repositoryKey(repo.repositoryName), repo.repositoryName, repo);
  }
}

/**
 * The lifecycle preview statuses that end a wait as failed. The SDK's
 * `waitUntilLifecyclePolicyPreviewComplete` stops on COMPLETE and FAILED and keeps polling on
 * anything else; EXPIRED is terminal too (an expired preview never completes). IN_PROGRESS, an
 * absent status and one this model does not know keep the wait polling until its timeout.
 */
const previewEnded: ReadonlySet<string> = new Set<LifecyclePolicyPreviewStatus>(['FAILED', 'EXPIRED']);

function repositoryKey(name: string): string {
  return `repo|${name}`;
}
