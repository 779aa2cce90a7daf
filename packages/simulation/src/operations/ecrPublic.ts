import { awsError, repositoryAlreadyExists } from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken } from '../internal/pagination.js';
import type { PublicCatalogData, RepositoryRecord } from '../internal/state.js';
import { optInt, optList, optString, optStruct, reqString, reqStruct, stringItems, structItems, type Input } from '../internal/validate.js';
import { BatchDeleteImage, DescribeImages, PutImage, pageTagEntries } from './images.js';
import { BatchCheckLayerAvailability, CompleteLayerUpload, InitiateLayerUpload, UploadLayerPart } from './layers.js';
import { checkRepositoryName, repositoryName } from './names.js';
import { repositoryFrom, type OpContext, type OperationHandler } from './OpContext.js';
import { DeleteRepositoryPolicy, GetRepositoryPolicy, SetRepositoryPolicy } from './policies.js';
import { DeleteRepository, DescribeRepositories, ListTagsForResource, TagResource, UntagResource, mergeResourceTags } from './repositories.js';
import { repositoryShape } from './shapes.js';

const architectures = ['ARM', 'ARM 64', 'x86', 'x86-64'];
const operatingSystems = ['Linux', 'Windows'];

/** ECR Public's `RepositoryCatalogDataInput`, checked against the model's limits. */
export function readCatalogData(ctx: OpContext, repo: { accountId: string; name: string }, data: Input, path = 'catalogData'): PublicCatalogData {
  const out: PublicCatalogData = {};
  const description = optString(data, 'description', { max: 1024 }, `${path}.description`);
  if (description !== undefined) out.description = description;
  const archs = optList(data, 'architectures', { max: 50 }, `${path}.architectures`);
  if (archs) {
    out.architectures = stringItems(archs, `${path}.architectures`, { min: 1, max: 50 });
    for (const a of out.architectures) {
      if (!architectures.includes(a))
        throw awsError(
          'InvalidParameterException',
          `Invalid parameter at '${path}.architectures' failed to satisfy constraint: 'Member must be one of [${architectures.join(', ')}]'`,
        );
    }
  }
  const oses = optList(data, 'operatingSystems', { max: 50 }, `${path}.operatingSystems`);
  if (oses) {
    out.operatingSystems = stringItems(oses, `${path}.operatingSystems`, { min: 1, max: 50 });
    for (const o of out.operatingSystems) {
      if (!operatingSystems.includes(o))
        throw awsError(
          'InvalidParameterException',
          `Invalid parameter at '${path}.operatingSystems' failed to satisfy constraint: 'Member must be one of [${operatingSystems.join(', ')}]'`,
        );
    }
  }
  const about = optString(data, 'aboutText', { max: 25600 }, `${path}.aboutText`);
  if (about !== undefined) out.aboutText = about;
  const usage = optString(data, 'usageText', { max: 25600 }, `${path}.usageText`);
  if (usage !== undefined) out.usageText = usage;
  const logo = data.logoImageBlob;
  if (logo !== undefined && logo !== null) {
    if (!(logo instanceof Uint8Array) || logo.length > 512000)
      throw awsError(
        'InvalidParameterException',
        `Invalid parameter at '${path}.logoImageBlob' failed to satisfy constraint: 'Member must be a blob of at most 512000 bytes'`,
      );
    out.logoUrl = `https://public.ecr.aws/logos/${repo.accountId}/${repo.name}/${ctx.store.rng.hex(16)}.png`;
  }
  return out;
}

function catalogShape(data: PublicCatalogData | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(data ?? {}) };
  if (data?.architectures) out.architectures = [...data.architectures];
  if (data?.operatingSystems) out.operatingSystems = [...data.operatingSystems];
  out.marketplaceCertified = false;
  return out;
}

const CreateRepository: OperationHandler = (ctx, input) => {
  const accountId = ctx.accountId;
  const name = checkRepositoryName(reqString(input, 'repositoryName'), true);
  const catalogInput = optStruct(input, 'catalogData');
  const tagsList = optList(input, 'tags', { max: 200 });
  const tags = tagsList
    ? mergeResourceTags(
        [],
        structItems(tagsList, 'tags').map((t, i) => ({
          Key: reqString(t, 'Key', { min: 1, max: 128 }, `tags.${i + 1}.member.Key`),
          Value: optString(t, 'Value', { max: 256 }, `tags.${i + 1}.member.Value`) ?? '',
        })),
      )
    : [];
  if (ctx.store.findRepository(accountId, ctx.region, name, true)) throw repositoryAlreadyExists(name, accountId);
  const catalogData = catalogInput ? readCatalogData(ctx, { accountId, name }, catalogInput) : undefined;
  const repo = ctx.store.createRepository(accountId, ctx.region, name, ctx.now, true);
  repo.resourceTags = tags;
  if (catalogData) repo.catalogData = catalogData;
  return { repository: repositoryShape(ctx.store, repo), catalogData: catalogShape(repo.catalogData) };
};

const DescribeImageTags: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const limit = optInt(input, 'maxResults', { min: 1, max: 1000 }) ?? 100;
  const key = `ecr-public|DescribeImageTags|${repo.accountId}|${repo.name}`;
  const { entries, next } = pageTagEntries(repo.images, decodePageToken(optString(input, 'nextToken'), key), limit, () => true, false);
  const out: Record<string, unknown> = {
    imageTagDetails: entries.map(({ image, tag }) => ({
      imageTag: tag,
      createdAt: new Date(repo.tagTimes.get(tag!) ?? image.pushedAt),
      imageDetail: {
        imageDigest: image.digest,
        imageSizeInBytes: image.size,
        imagePushedAt: new Date(image.pushedAt),
        imageManifestMediaType: image.mediaType,
        ...(image.artifactMediaType ? { artifactMediaType: image.artifactMediaType } : {}),
      },
    })),
  };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};

function registryShape(ctx: OpContext, accountId: string): Record<string, unknown> {
  const registry = ctx.store.account(accountId).publicRegistry;
  return {
    registryId: accountId,
    registryArn: `arn:aws:ecr-public::${accountId}:registry/${accountId}`,
    registryUri: `public.ecr.aws/${registry.alias}`,
    verified: false,
    aliases: [{ name: registry.alias, status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true }],
  };
}

const DescribeRegistries: OperationHandler = (ctx, input) => {
  optInt(input, 'maxResults', { min: 1, max: 1000 });
  decodePageToken(optString(input, 'nextToken'), `ecr-public|DescribeRegistries|${ctx.accountId}`);
  return { registries: [registryShape(ctx, ctx.accountId)] };
};

const GetAuthorizationToken: OperationHandler = (ctx) => {
  const { token, expiresAt } = ctx.store.issueToken(ctx.accountId, ctx.region, ctx.now, 'ecr-public');
  return { authorizationData: { authorizationToken: token, expiresAt: new Date(expiresAt) } };
};

const GetRegistryCatalogData: OperationHandler = (ctx) => {
  const registry = ctx.store.account(ctx.accountId).publicRegistry;
  return { registryCatalogData: registry.displayName ? { displayName: registry.displayName } : {} };
};

/** PutRegistryCatalogData: the registry's display name (the only catalog field ECR Public has). */
const PutRegistryCatalogData: OperationHandler = (ctx, input) => {
  const displayName = optString(input, 'displayName', { max: 100 });
  const registry = ctx.store.account(ctx.accountId).publicRegistry;
  if (displayName !== undefined) registry.displayName = displayName;
  return { registryCatalogData: registry.displayName ? { displayName: registry.displayName } : {} };
};

const GetRepositoryCatalogData: OperationHandler = (ctx, input) => {
  const repo: RepositoryRecord = repositoryFrom(ctx, input, repositoryName(ctx));
  return { catalogData: catalogShape(repo.catalogData) };
};

const PutRepositoryCatalogData: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const data = readCatalogData(ctx, { accountId: repo.accountId, name: repo.name }, reqStruct(input, 'catalogData'));
  repo.catalogData = { ...(repo.catalogData ?? {}), ...data };
  return { catalogData: catalogShape(repo.catalogData) };
};

/** Every ECR Public operation; those shared with private ECR run the same code with `api: 'ecr-public'`. */
export const ecrPublicHandlers: Record<string, OperationHandler> = {
  BatchCheckLayerAvailability,
  BatchDeleteImage,
  CompleteLayerUpload,
  CreateRepository,
  DeleteRepository,
  DeleteRepositoryPolicy,
  DescribeImageTags,
  DescribeImages,
  DescribeRegistries,
  DescribeRepositories,
  GetAuthorizationToken,
  GetRegistryCatalogData,
  GetRepositoryCatalogData,
  GetRepositoryPolicy,
  InitiateLayerUpload,
  ListTagsForResource,
  PutImage,
  PutRegistryCatalogData,
  PutRepositoryCatalogData,
  SetRepositoryPolicy,
  TagResource,
  UntagResource,
  UploadLayerPart,
};
