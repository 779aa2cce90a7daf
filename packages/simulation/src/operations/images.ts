import { isValidDigest, isValidImageTag, type Image, type ImageFailure, type ImageIdentifier } from '@ecrkit/core-types';
import { imageNotFound, invalidParam, invalidParamMessage } from '../internal/awsErrors.js';
import { sha256Digest } from '../internal/digest.js';
import { decodePageToken, encodePageToken, firstAfter, pageBySeq, type PagePosition } from '../internal/pagination.js';
import type { ImageRecord, RepositoryRecord } from '../internal/state.js';
import { optEnum, optInt, optList, optString, optStruct, reqList, reqString, stringItems, structItems, type Input } from '../internal/validate.js';
import { imageStatus, restoreImage, statusMatches } from '../internal/storageClass.js';
import { createRepositoryFor, templateFor } from './creationTemplates.js';
import { repositoryName } from './names.js';
import { repositoryFrom, targetAccount, type OpContext, type OperationHandler } from './OpContext.js';
import { repositoryForPull } from './pullThroughCache.js';
import { imageDetailShape, imageIdShape } from './shapes.js';
import { signOnPush } from './signing.js';

const tagStatuses = ['TAGGED', 'UNTAGGED', 'ANY'] as const;
const imageStatuses = ['ACTIVE', 'ARCHIVED', 'ACTIVATING', 'ANY'] as const;

function tagFilter(status: string | undefined): (image: ImageRecord) => boolean {
  if (status === 'TAGGED') return (i) => i.tags.length > 0;
  if (status === 'UNTAGGED') return (i) => i.tags.length === 0;
  return () => true;
}

/** DescribeImages' and ListImages' filter: tag status, and storage status (ACTIVE only unless asked). */
function imageFilter(tagStatus: string | undefined, imageStatusFilter: string | undefined, now: number): (image: ImageRecord) => boolean {
  const byTag = tagFilter(tagStatus);
  return (image) =>
    byTag(image) && (image.storage === undefined ? statusMatches('ACTIVE', imageStatusFilter) : statusMatches(imageStatus(image, now), imageStatusFilter));
}

/**
 * The repository a push writes to. A missing one is created when a repository creation template
 * applies to CREATE_ON_PUSH (ECR creates it on the push's first write); otherwise RepositoryNotFoundException.
 */
export function repositoryForPush(ctx: OpContext, input: Input): RepositoryRecord {
  if (ctx.api === 'ecr') {
    const accountId = targetAccount(ctx, input);
    const name = repositoryName(ctx)(input);
    if (!ctx.store.findRepository(accountId, ctx.region, name)) {
      const templates = ctx.store.registrySettings(accountId, ctx.region).creationTemplates;
      if (templateFor(templates, name, 'CREATE_ON_PUSH')) return createRepositoryFor(ctx, accountId, ctx.region, name, 'CREATE_ON_PUSH');
    }
  }
  return repositoryFrom(ctx, input, repositoryName(ctx));
}

function queryKey(ctx: OpContext, op: string, repo: RepositoryRecord, extra: string): string {
  return `${ctx.api}|${op}|${repo.accountId}|${repo.region}|${repo.name}|${extra}`;
}

/** PutImage: push a manifest (new image, or a new tag for an existing one). */
export const PutImage: OperationHandler = (ctx, input) => {
  const repo = repositoryForPush(ctx, input);
  const manifest = reqString(input, 'imageManifest', { min: 1, max: 4194304 });
  const mediaType = optString(input, 'imageManifestMediaType');
  const tag = optString(input, 'imageTag', { min: 1, max: 300 });
  if (tag !== undefined && !isValidImageTag(tag)) throw invalidParam('imageTag', "must satisfy regular expression '[A-Za-z0-9_][A-Za-z0-9._-]{0,299}'");
  const digest = optString(input, 'imageDigest');
  if (digest !== undefined && !isValidDigest(digest) && ctx.strict) {
    throw invalidParam('imageDigest', "must satisfy regular expression 'sha256:[a-f0-9]{64}'");
  }
  const declared = declaredMediaType(manifest);
  // ECR needs the media type from one place or the other; it does not guess from the document.
  if (mediaType === undefined && declared === null) {
    throw invalidParamMessage('image manifest mediatype not provided in manifest or parameter', 'imageManifestMediaType');
  }
  // Lenient (moto) mode takes a manifest whose own mediaType differs from the parameter as the manifest says.
  const parseAs = !ctx.strict && typeof declared === 'string' && mediaType !== undefined && declared !== mediaType ? declared : mediaType;
  // Pushing an archived image again restores it at once (the bytes arrive with the push).
  const archived = repo.byDigest.get(digest !== undefined && !ctx.strict ? digest : sha256Digest(manifest));
  if (archived?.storage && imageStatus(archived, ctx.now) !== 'ACTIVE') {
    restoreImage(archived, ctx.now, 0);
    if (tag === undefined || archived.tags.includes(tag)) return { image: putImageShape(repo, archived, tag) };
  }
  const { image, created } = ctx.store.putImage(repo, { manifest, mediaType: parseAs, tag, digest, now: ctx.now, strict: ctx.strict });
  if (created) afterPush(ctx, repo, image);
  else if (tag !== undefined) ctx.store.replicateTag(repo, image, tag, ctx.now);
  return { image: putImageShape(repo, image, tag) };
};

function putImageShape(repo: RepositoryRecord, image: ImageRecord, tag: string | undefined): Image {
  return {
    registryId: repo.accountId,
    repositoryName: repo.name,
    imageId: tag === undefined ? { imageDigest: image.digest } : { imageDigest: image.digest, imageTag: tag },
    imageManifest: image.manifest,
    imageManifestMediaType: image.mediaType,
  };
}

/**
 * The manifest's own `mediaType`; `null` for a JSON object without one; `undefined` when the text
 * is no JSON object or the member no string (putImage reports those problems in its own words).
 */
function declaredMediaType(manifest: string): string | null | undefined {
  try {
    const doc: unknown = JSON.parse(manifest);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
    const value = (doc as Record<string, unknown>).mediaType;
    if (value === undefined) return null;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** What a new image sets off: scan on push, managed signing and replication. */
export function afterPush(ctx: OpContext, repo: RepositoryRecord, image: ImageRecord): void {
  if (image.kind === 'manifest' && ctx.store.scanOnPush(repo)) ctx.store.startScan(repo, image, ctx.now);
  signOnPush(ctx, repo, image);
  ctx.store.scheduleReplication(repo, image, ctx.now);
}

function readImageIds(input: Input): Input[] {
  return structItems(reqList(input, 'imageIds', { min: 1, max: 100 }), 'imageIds');
}

function requestedId(id: Input): ImageIdentifier {
  const out: ImageIdentifier = {};
  if (typeof id.imageDigest === 'string') out.imageDigest = id.imageDigest;
  if (typeof id.imageTag === 'string') out.imageTag = id.imageTag;
  return out;
}

/** The image `id` names, or `undefined` after adding the per-image failure ECR reports for it. */
function imageOrFailure(ctx: OpContext, repo: RepositoryRecord, id: Input, failures: ImageFailure[]): ImageRecord | undefined {
  const found = ctx.store.lookupImage(repo, id);
  if ('image' in found) return found.image;
  failures.push({ imageId: requestedId(id), failureCode: found.failureCode as ImageFailure['failureCode'], failureReason: found.failureReason });
  return undefined;
}

/**
 * BatchGetImage: manifests by tag or digest, with per-image failures. Records the pull time. A
 * repository name under a pull through cache rule pulls missing images from the upstream first.
 * Archived images cannot be pulled: they are failures (`ImageNotFound`, "archived").
 */
export const BatchGetImage: OperationHandler = (ctx, input) => {
  const name = repositoryName(ctx)(input);
  const ids = readImageIds(input);
  // Lenient (moto) BatchGetImage ignores registryId for the caller's own repositories.
  const own = ctx.strict ? undefined : ctx.store.findRepository(ctx.accountId, ctx.region, name);
  const repo = own ?? repositoryForPull(ctx, targetAccount(ctx, input), name, ids);
  const accepted = optList(input, 'acceptedMediaTypes', { min: 1, max: 100 });
  const acceptedTypes = accepted ? new Set(stringItems(accepted, 'acceptedMediaTypes', { min: 1, max: 255 })) : undefined;
  const images: Image[] = [];
  const failures: ImageFailure[] = [];
  for (const id of ids) {
    const image = imageOrFailure(ctx, repo, id, failures);
    if (!image) continue;
    // ECR does not convert between manifest formats; an image whose type the caller does not accept is not found for it.
    if (acceptedTypes && !acceptedTypes.has(image.mediaType)) {
      failures.push({
        imageId: requestedId(id),
        failureCode: 'UnsupportedImageType' as ImageFailure['failureCode'],
        failureReason: 'Requested image media type is not in acceptedMediaTypes',
      });
      continue;
    }
    if (image.storage && imageStatus(image, ctx.now) !== 'ACTIVE') {
      failures.push({
        imageId: requestedId(id),
        failureCode: 'ImageNotFound',
        failureReason: `The image is ${imageStatus(image, ctx.now) === 'ARCHIVED' ? 'archived' : 'being restored from the archive'} and cannot be pulled`,
      });
      continue;
    }
    ctx.store.recordPull(repo, image, ctx.now);
    const tag = typeof id.imageTag === 'string' ? id.imageTag : undefined;
    images.push({
      registryId: repo.accountId,
      repositoryName: repo.name,
      imageId: imageIdShape(image, tag),
      imageManifest: image.manifest,
      imageManifestMediaType: image.mediaType,
    });
  }
  return { images, failures };
};

/**
 * BatchDeleteImage: a tag alone removes that tag (and the image with its last tag); a digest
 * deletes the image and all its tags. Images a manifest list in the repository still references
 * are refused with ImageReferencedByManifestList.
 */
export const BatchDeleteImage: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx), { ignoreRegistryId: true });
  const ids = readImageIds(input);
  const imageIds: ImageIdentifier[] = [];
  const failures: ImageFailure[] = [];
  for (const id of ids) {
    const image = imageOrFailure(ctx, repo, id, failures);
    if (!image) continue;
    const byTagOnly = typeof id.imageTag === 'string' && typeof id.imageDigest !== 'string';
    const deletesImage = !byTagOnly || image.tags.length <= 1;
    const parents = repo.referencedBy.get(image.digest);
    if (deletesImage && parents && parents.size > 0) {
      failures.push({
        imageId: requestedId(id),
        failureCode: 'ImageReferencedByManifestList',
        failureReason: `Requested image referenced by manifest list: [${[...parents].join(', ')}]`,
      });
      continue;
    }
    if (byTagOnly) {
      const tag = id.imageTag as string;
      imageIds.push({ imageDigest: image.digest, imageTag: tag });
      if (image.tags.length <= 1) ctx.store.deleteImage(repo, image);
      else ctx.store.untag(repo, image, tag);
      continue;
    }
    if (image.tags.length === 0) imageIds.push({ imageDigest: image.digest });
    for (const tag of image.tags) imageIds.push({ imageDigest: image.digest, imageTag: tag });
    ctx.store.deleteImage(repo, image);
  }
  return { imageIds, failures };
};

function maxResults(input: Input, max = 1000): number | undefined {
  return optInt(input, 'maxResults', { min: 1, max });
}

/** DescribeImages: details for the given ids, or every image (filtered, paginated, push order). */
export const DescribeImages: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const idsList = optList(input, 'imageIds', { min: 1, max: 100 });
  const limit = maxResults(input);
  const token = optString(input, 'nextToken');
  const filter = ctx.api === 'ecr' ? optStruct(input, 'filter') : undefined;
  const tagStatus = filter ? optEnum(filter, 'tagStatus', tagStatuses, 'filter.tagStatus') : undefined;
  const statusFilter = filter ? optEnum(filter, 'imageStatus', imageStatuses, 'filter.imageStatus') : undefined;
  if (idsList) {
    if (limit !== undefined || token !== undefined) {
      throw invalidParamMessage('Invalid parameter: maxResults and nextToken cannot be used together with imageIds', 'imageIds');
    }
    const seen = new Set<string>();
    const imageDetails = [];
    for (const id of structItems(idsList, 'imageIds')) {
      const found = ctx.store.lookupImage(repo, id);
      if (!('image' in found)) {
        if (found.failureCode === 'ImageNotFound' || found.failureCode === 'ImageTagDoesNotMatchDigest') {
          throw imageNotFound(requestedId(id), repo.name, repo.accountId);
        }
        throw invalidParamMessage(found.failureReason, 'imageIds');
      }
      if (seen.has(found.image.digest)) continue;
      seen.add(found.image.digest);
      imageDetails.push(imageDetailShape(ctx.store, repo, found.image, ctx.now));
    }
    return { imageDetails };
  }
  const key = queryKey(ctx, 'DescribeImages', repo, `${tagStatus ?? 'ANY'}|${statusFilter ?? 'ACTIVE'}`);
  const position = decodePageToken(token, key);
  const keep = imageFilter(tagStatus, statusFilter, ctx.now);
  const { page, next } = pageBySeq(repo.images, position, limit ?? 100, keep);
  const out: { imageDetails: unknown[]; nextToken?: string } = { imageDetails: page.map((i) => imageDetailShape(ctx.store, repo, i, ctx.now)) };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};

/** ListImages: one entry per tag (untagged images by digest alone), paginated. */
export const ListImages: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const limit = maxResults(input) ?? 100;
  const filter = optStruct(input, 'filter');
  const tagStatus = filter ? optEnum(filter, 'tagStatus', tagStatuses, 'filter.tagStatus') : undefined;
  const statusFilter = filter ? optEnum(filter, 'imageStatus', imageStatuses, 'filter.imageStatus') : undefined;
  const key = queryKey(ctx, 'ListImages', repo, `${tagStatus ?? 'ANY'}|${statusFilter ?? 'ACTIVE'}`);
  const position = decodePageToken(optString(input, 'nextToken'), key);
  const keep = imageFilter(tagStatus, statusFilter, ctx.now);
  const { entries, next } = pageTagEntries(repo.images, position, limit, keep, true);
  const imageIds: ImageIdentifier[] = entries.map(({ image, tag }) =>
    tag === undefined ? { imageDigest: image.digest } : { imageDigest: image.digest, imageTag: tag },
  );
  const out: { imageIds: ImageIdentifier[]; nextToken?: string } = { imageIds };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};

/**
 * One page of (image, tag) entries in push order: one per tag, and one without a tag for an
 * untagged image when `includeUntagged`. The position is the last image fully examined plus how
 * many entries of the next image were already returned.
 */
export function pageTagEntries(
  images: readonly ImageRecord[],
  position: PagePosition | undefined,
  limit: number,
  keep: (image: ImageRecord) => boolean,
  includeUntagged: boolean,
): { entries: { image: ImageRecord; tag?: string }[]; next?: PagePosition } {
  const entries: { image: ImageRecord; tag?: string }[] = [];
  const count = (image: ImageRecord) => (!keep(image) ? 0 : image.tags.length > 0 ? image.tags.length : includeUntagged ? 1 : 0);
  let i = position ? firstAfter(images, position.k) : 0;
  let skip = position?.t ?? 0;
  for (; i < images.length; i++) {
    const image = images[i]!;
    const n = count(image);
    let j = Math.min(skip, n);
    skip = 0;
    for (; j < n && entries.length < limit; j++) entries.push(image.tags.length === 0 ? { image } : { image, tag: image.tags[j]! });
    if (entries.length < limit) continue;
    if (j < n) return { entries, next: { k: i === 0 ? -1 : images[i - 1]!.seq, t: j } };
    let m = i + 1;
    while (m < images.length && count(images[m]!) === 0) m++;
    return m < images.length ? { entries, next: { k: images[m - 1]!.seq } } : { entries };
  }
  return { entries };
}
