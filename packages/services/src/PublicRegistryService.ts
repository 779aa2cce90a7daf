import type { CallOptions } from '@ecrkit/core-types';
import { EcrError, SecretString, validatePublicRepositoryName } from '@ecrkit/core-types';
import type { EcrPublic } from '@ecrkit/core-types';
import { loginCommand, publicTokenKey, raceSignal, refreshingToken, toDockerCredentials } from './AuthService.js';
import type { AuthToken, LoginCommand, TokenCacheEntry } from './AuthService.js';
import type { DockerCredentials } from '@ecrkit/core-types';
import { paginate } from './Paginated.js';
import type { PageOptions, Paginated } from './Paginated.js';
import type { ServiceContext } from './internal/ServiceContext.js';
import { callOptions } from './internal/options.js';

/** The host of the ECR Public registry. */
export const publicRegistryHost = 'public.ecr.aws';

/** ECR Public (api `ecr-public`, always us-east-1): repositories, images, tags, catalog data and tokens. */
export class PublicRegistryService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /** Every public repository of the registry (DescribeRepositories, all pages). */
  listRepositories(options: PageOptions = {}): Paginated<EcrPublic.Repository, EcrPublic.DescribeRepositoriesResponse> {
    return paginate(this.#ctx.send, 'ecr-public', 'DescribeRepositories', { ...this.#ctx.registryField }, options);
  }

  /**
   * One public repository.
   *
   * @throws EcrError kind `RepositoryNotFound`; `InvalidParameter` before any request.
   */
  async getRepository(name: string, options: CallOptions = {}): Promise<EcrPublic.Repository> {
    const { signal } = callOptions(options);
    validatePublicRepositoryName(name);
    const out = await this.#ctx.send('ecr-public', 'DescribeRepositories', { ...this.#ctx.registryField, repositoryNames: [name] }, signal);
    const repo = out.repositories?.find((r) => r.repositoryName === name);
    if (!repo)
      throw new EcrError({
        kind: 'InvalidResponse',
        operation: 'DescribeRepositories',
        message: `DescribeRepositories did not return public repository ${name}`,
      });
    return repo;
  }

  /** The images of a public repository (DescribeImages, all pages). */
  listImages(repository: string, options: PageOptions = {}): Paginated<EcrPublic.ImageDetail, EcrPublic.DescribeImagesResponse> {
    validatePublicRepositoryName(repository);
    return paginate(this.#ctx.send, 'ecr-public', 'DescribeImages', { ...this.#ctx.registryField, repositoryName: repository }, options);
  }

  /** The tags of a public repository with the image each points at (DescribeImageTags, all pages). */
  listImageTags(repository: string, options: PageOptions = {}): Paginated<EcrPublic.ImageTagDetail, EcrPublic.DescribeImageTagsResponse> {
    validatePublicRepositoryName(repository);
    return paginate(this.#ctx.send, 'ecr-public', 'DescribeImageTags', { ...this.#ctx.registryField, repositoryName: repository }, options);
  }

  /**
   * The catalog data of a public repository (description, architectures, about and usage text).
   *
   * @throws EcrError kind `RepositoryNotFound`, `RepositoryCatalogDataNotFound`.
   */
  async getCatalogData(repository: string, options: CallOptions = {}): Promise<EcrPublic.RepositoryCatalogData> {
    const { signal } = callOptions(options);
    validatePublicRepositoryName(repository);
    const out = await this.#ctx.send('ecr-public', 'GetRepositoryCatalogData', { ...this.#ctx.registryField, repositoryName: repository }, signal);
    return { ...(out.catalogData ?? {}) };
  }

  /** The registry's display name in the gallery (GetRegistryCatalogData). */
  async getRegistryCatalogData(options: CallOptions = {}): Promise<EcrPublic.RegistryCatalogData> {
    const { signal } = callOptions(options);
    const out = await this.#ctx.send('ecr-public', 'GetRegistryCatalogData', {}, signal);
    return { ...out.registryCatalogData };
  }

  /** An ECR Public authorization token (cached like private tokens; concurrent callers share one request). */
  async getAuthToken(options: CallOptions = {}): Promise<AuthToken> {
    const { signal } = callOptions(options);
    const entry = await raceSignal(
      this.#ctx.tokenCache.get(publicTokenKey, () => this.#fetch()),
      signal,
    );
    return entry.tokens[0]!;
  }

  /** `docker login` credentials for `public.ecr.aws`. */
  async getDockerCredentials(options: CallOptions = {}): Promise<DockerCredentials> {
    const { signal } = callOptions(options);
    return toDockerCredentials(await this.getAuthToken({ signal }));
  }

  /** A `docker login … public.ecr.aws` command with the password for standard input, never in argv. */
  async getLoginCommand(options: CallOptions = {}): Promise<LoginCommand> {
    const { signal } = callOptions(options);
    return loginCommand(await this.getDockerCredentials({ signal }), 'aws ecr-public get-login-password --region us-east-1');
  }

  async #fetch(): Promise<TokenCacheEntry> {
    this.#ctx.telemetry.onTokenRefresh?.();
    const out = await refreshingToken(this.#ctx, this.#ctx.send('ecr-public', 'GetAuthorizationToken', {}));
    const data = out.authorizationData;
    if (!data?.authorizationToken || !data.expiresAt) {
      throw new EcrError({ kind: 'InvalidResponse', operation: 'GetAuthorizationToken', message: 'ECR Public returned incomplete authorization data' });
    }
    const token: AuthToken = {
      token: new SecretString(data.authorizationToken),
      expiresAt: data.expiresAt,
      proxyEndpoint: `https://${publicRegistryHost}`,
      registry: publicRegistryHost,
    };
    return { expiresAt: token.expiresAt, tokens: [token] };
  }
}
