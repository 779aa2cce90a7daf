import {
  isEcrError,
  isValidDigest,
  isValidImageTag,
  isValidRepositoryName,
  parseManifest,
  type Descriptor,
  type EcrError,
  type ErrorKind,
} from '@ecrkit/core-types';
import type { BlobUpload } from '../blobs/BlobStore.js';
import { awsError } from '../internal/awsErrors.js';
import { sha256Digest } from '../internal/digest.js';
import { referrersOf } from '../internal/referrers.js';
import type { ImageRecord, RepositoryRecord } from '../internal/state.js';
import type { Input } from '../internal/validate.js';
import { afterPush, repositoryForPush } from './images.js';
import { repositoryForPull } from './pullThroughCache.js';
import type { OpContext, OperationHandler } from './OpContext.js';

// The registry's OCI Distribution face (`/v2/`), as operations on the same state as the AWS API.
// ECR authorizes and logs registry requests under the AWS actions they correspond to (a docker
// push is InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload and PutImage in IAM and
// CloudTrail; a pull is BatchGetImage and GetDownloadUrlForLayer), so these handlers carry the
// same names: error and latency injection aimed at PutImage hit `docker push` too, and the
// history shows a push as ECR's logs would. The HTTP face (server/distribution) only translates
// URLs, headers and bodies; every rule lives here or in the store.
//
// Errors specific to the registry protocol carry the distribution spec's code (`BLOB_UNKNOWN`,
// `DIGEST_INVALID`, ...) as `awsCode` and its HTTP status; errors shared with the AWS API keep
// their ECR code (`RepositoryNotFoundException`, `ImageTagAlreadyExistsException`, ...) and the
// face maps them in one table.

/** The distribution spec's error codes the registry raises itself. */
export const DistributionCode = {
  BlobUnknown: 'BLOB_UNKNOWN',
  BlobUploadInvalid: 'BLOB_UPLOAD_INVALID',
  BlobUploadUnknown: 'BLOB_UPLOAD_UNKNOWN',
  DigestInvalid: 'DIGEST_INVALID',
  ManifestBlobUnknown: 'MANIFEST_BLOB_UNKNOWN',
  ManifestInvalid: 'MANIFEST_INVALID',
  ManifestUnknown: 'MANIFEST_UNKNOWN',
  NameInvalid: 'NAME_INVALID',
  NameUnknown: 'NAME_UNKNOWN',
  SizeInvalid: 'SIZE_INVALID',
  Unauthorized: 'UNAUTHORIZED',
  Denied: 'DENIED',
  Unsupported: 'UNSUPPORTED',
  TooManyRequests: 'TOOMANYREQUESTS',
  TagInvalid: 'TAG_INVALID',
} as const;
/** One of {@link DistributionCode}. */
export type DistributionCode = (typeof DistributionCode)[keyof typeof DistributionCode];

/** An error of the registry protocol: its distribution code as the wire code, and its HTTP status. */
export function distributionError(code: DistributionCode, status: number, message: string, kind: ErrorKind = 'InvalidParameter'): EcrError {
  return awsError(code, message, { statusCode: status, kind });
}

/** A `/v2/` upload: the bytes stream into the blob store; `busy` while a request is writing to it. */
export interface DistributionUpload {
  blob: BlobUpload;
  busy: boolean;
}

/** What the face gets back from a manifest read. */
export interface ManifestRead {
  digest: string;
  mediaType: string;
  manifest: string;
}

function str(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string') throw distributionError(DistributionCode.Unsupported, 400, `missing ${field}`);
  return value;
}

function optStr(input: Input, field: string): string | undefined {
  const value = input[field];
  return typeof value === 'string' ? value : undefined;
}

function checkDigest(digest: string): string {
  if (!digest.startsWith('sha256:')) {
    throw distributionError(
      DistributionCode.DigestInvalid,
      400,
      `unsupported digest algorithm in '${digest.slice(0, 80)}': this registry computes sha256 only`,
    );
  }
  const shown = digest.slice(0, 80);
  if (!isValidDigest(digest))
    throw distributionError(DistributionCode.DigestInvalid, 400, `invalid digest '${shown}': expected sha256: and 64 lowercase hex digits`);
  return digest;
}

/** The repository name of a request; NAME_INVALID for a malformed one. */
function nameOf(input: Input): string {
  const name = str(input, 'repositoryName');
  if (!isValidRepositoryName(name)) throw distributionError(DistributionCode.NameInvalid, 400, 'invalid repository name');
  return name;
}

/** The repository a request names, or NAME_UNKNOWN (via ECR's RepositoryNotFound): no request but a push or a pull creates one. */
function repository(ctx: OpContext, input: Input): RepositoryRecord {
  return ctx.store.requireRepository(ctx.accountId, ctx.region, nameOf(input));
}

/** The repository a push writes to: PutImage's rule, so a CREATE_ON_PUSH creation template creates a missing one, as in ECR. */
function pushRepository(ctx: OpContext, input: Input): RepositoryRecord {
  return repositoryForPush(ctx, { repositoryName: nameOf(input) });
}

/** The repository a manifest pull reads: BatchGetImage's rule, so a pull-through cache rule fetches (and creates) on a miss. */
function pullRepository(ctx: OpContext, input: Input, ref: { tag: string } | { digest: string }): RepositoryRecord {
  return repositoryForPull(ctx, ctx.accountId, nameOf(input), ['tag' in ref ? { imageTag: ref.tag } : { imageDigest: ref.digest }]);
}

function blobOf(ctx: OpContext, repo: RepositoryRecord, digest: string): { size: number; mediaType?: string } {
  const info = repo.blobs.get(digest);
  const size = ctx.store.blobStore.size(digest);
  if (!info || size === undefined) throw distributionError(DistributionCode.BlobUnknown, 404, 'blob unknown to registry', 'LayersNotFound');
  return info.mediaType ? { size, mediaType: info.mediaType } : { size };
}

/** The upload, marked as in use now (so it does not expire while a client works on it). */
function uploadOf(ctx: OpContext, repo: RepositoryRecord, uploadId: string): DistributionUpload {
  const upload = ctx.store.touchUpload(repo, uploadId, ctx.now)?.distribution;
  if (!upload) throw distributionError(DistributionCode.BlobUploadUnknown, 404, 'blob upload unknown to registry', 'LayersNotFound');
  return upload;
}

/** HEAD a blob (ECR's BatchCheckLayerAvailability). */
const checkBlob: OperationHandler = (ctx, input) => blobOf(ctx, repository(ctx, input), checkDigest(str(input, 'digest')));

/** GET a blob (ECR's GetDownloadUrlForLayer): its size; the face streams the bytes from the blob store. */
const getBlob: OperationHandler = (ctx, input) => blobOf(ctx, repository(ctx, input), checkDigest(str(input, 'digest')));

/**
 * POST an upload (ECR's InitiateLayerUpload). With `mount` and `from`, a blob the other
 * repository of the same registry holds is linked instead (`{ mounted }`); otherwise, or when
 * it has no such blob, a new upload starts (`{ uploadId }`).
 */
const startUpload: OperationHandler = (ctx, input) => {
  const repo = pushRepository(ctx, input);
  const mount = optStr(input, 'mount');
  const from = optStr(input, 'from');
  if (mount !== undefined && from !== undefined) {
    checkDigest(mount);
    const source = isValidRepositoryName(from) ? ctx.store.findRepository(ctx.accountId, ctx.region, from) : undefined;
    const info = source?.blobs.get(mount);
    if (info && ctx.store.blobStore.has(mount)) {
      if (!repo.blobs.has(mount)) ctx.store.addRepositoryBlob(repo, mount, { ...info });
      return { mounted: mount };
    }
  }
  const uploadId = ctx.store.rng.uuid();
  ctx.store.openUpload(repo, uploadId, {
    parts: [],
    received: 0,
    partSizes: [],
    touchedAt: ctx.now,
    distribution: { blob: ctx.store.blobStore.createUpload(), busy: false },
  });
  return { uploadId };
};

/**
 * PATCH a chunk (ECR's UploadLayerPart): claims the upload (`busy`; another request writing
 * to it is refused) when the chunk starts where the bytes so far end, and answers `{ upload,
 * received }`; the face streams the body into `upload.blob`, then clears `busy`. A chunk that
 * starts elsewhere claims nothing and gets `{ received }` alone, for the face's 416.
 */
const uploadChunk: OperationHandler = (ctx, input) => {
  const repo = repository(ctx, input);
  const upload = uploadOf(ctx, repo, str(input, 'uploadId'));
  if (upload.busy) throw distributionError(DistributionCode.BlobUploadInvalid, 409, 'another request is writing to this upload');
  const start = input.start;
  if (typeof start === 'number' && start !== upload.blob.size) return { received: upload.blob.size };
  upload.busy = true;
  return { upload, received: upload.blob.size };
};

/** GET an upload's status: how many bytes it holds. */
const uploadStatus: OperationHandler = (ctx, input) => {
  const upload = uploadOf(ctx, repository(ctx, input), str(input, 'uploadId'));
  return { size: upload.blob.size };
};

/** DELETE an upload: its bytes are dropped. */
const cancelUpload: OperationHandler = (ctx, input) => {
  const repo = repository(ctx, input);
  const uploadId = str(input, 'uploadId');
  uploadOf(ctx, repo, uploadId);
  ctx.store.dropUpload(repo, uploadId);
  return {};
};

/**
 * PUT the end of an upload (ECR's CompleteLayerUpload), after the face flushed the last bytes:
 * they must hash to `digest`. The blob then belongs to the repository; the upload ends either way.
 */
const completeUpload: OperationHandler = (ctx, input) => {
  const repo = repository(ctx, input);
  const uploadId = str(input, 'uploadId');
  const upload = uploadOf(ctx, repo, uploadId);
  ctx.store.closeUpload(repo, uploadId);
  const expected = str(input, 'digest');
  try {
    checkDigest(expected);
  } catch (err) {
    upload.blob.abort();
    throw err;
  }
  const actual = upload.blob.digest();
  if (actual !== expected) {
    upload.blob.abort();
    throw distributionError(
      DistributionCode.DigestInvalid,
      400,
      `provided digest ${expected} did not match the uploaded content (${actual})`,
      'ImageDigestMismatch',
    );
  }
  const size = upload.blob.size;
  const digest = upload.blob.commit();
  ctx.store.addRepositoryBlob(repo, digest, { size });
  return { digest, size };
};

/** A manifest reference: a tag or a digest. */
function reference(input: Input): { tag: string } | { digest: string } {
  const ref = str(input, 'reference');
  if (ref.includes(':')) return { digest: checkDigest(ref) };
  const shown = ref.slice(0, 80);
  if (!isValidImageTag(ref)) throw distributionError(DistributionCode.TagInvalid, 400, `invalid tag '${shown}'`);
  return { tag: ref };
}

function lookup(ctx: OpContext, repo: RepositoryRecord, ref: { tag: string } | { digest: string }): ImageRecord {
  const found = ctx.store.lookupImage(repo, 'tag' in ref ? { imageTag: ref.tag } : { imageDigest: ref.digest });
  if (!('image' in found)) throw distributionError(DistributionCode.ManifestUnknown, 404, 'manifest unknown', 'ImageNotFound');
  return found.image;
}

/**
 * GET or HEAD a manifest (ECR's BatchGetImage). The registry never converts between formats:
 * when `accept` is given and lists neither the stored media type nor a wildcard, the manifest is
 * unknown to this client. A GET (not a HEAD) records the pull time, as BatchGetImage does.
 */
const getManifest: OperationHandler = (ctx, input) => {
  const ref = reference(input);
  const repo = pullRepository(ctx, input, ref);
  const image = lookup(ctx, repo, ref);
  const accept = input.accept as readonly string[] | undefined;
  if (accept && accept.length > 0 && !accept.some((t) => t === image.mediaType || t === '*/*' || t === 'application/*')) {
    throw distributionError(
      DistributionCode.ManifestUnknown,
      404,
      `manifest of type ${image.mediaType} found, but the Accept header does not list it (the registry does not convert manifests)`,
      'ImageNotFound',
    );
  }
  if (input.head !== true) image.lastPulledAt = ctx.now;
  const out: ManifestRead = { digest: image.digest, mediaType: image.mediaType, manifest: image.manifest };
  return out;
};

const manifestTypes = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]);

/**
 * PUT a manifest (ECR's PutImage) by tag or by digest. PutImage's rules apply (blobs and
 * children must be present, digests match, immutable tags are not moved), then what follows any
 * push: scan on push, replication. Pushing what is already there is a success, as registries
 * answer it (the AWS API's ImageAlreadyExistsException has no counterpart here).
 */
const putManifest: OperationHandler = (ctx, input) => {
  const repo = pushRepository(ctx, input);
  const ref = reference(input);
  const manifest = str(input, 'imageManifest');
  const contentType = optStr(input, 'mediaType');
  const mediaType = contentType !== undefined && manifestTypes.has(contentType) ? contentType : undefined;
  let facts: ReturnType<typeof parseManifest>;
  try {
    facts = parseManifest(manifest, mediaType);
  } catch (err) {
    throw distributionError(DistributionCode.ManifestInvalid, 400, isEcrError(err) ? err.message : 'manifest invalid');
  }
  const digest = sha256Digest(manifest);
  if ('digest' in ref && ref.digest !== digest) {
    throw distributionError(DistributionCode.DigestInvalid, 400, `the manifest's digest is ${digest}, not ${ref.digest}`, 'ImageDigestMismatch');
  }
  const tag = 'tag' in ref ? ref.tag : undefined;
  const existing = repo.byDigest.get(digest);
  if (existing && (tag === undefined || existing.tags.includes(tag))) return { digest, subject: facts.subject?.digest, created: false };
  let pushed: { image: ImageRecord; created: boolean };
  try {
    pushed = ctx.store.putImage(repo, {
      manifest,
      mediaType: facts.mediaType,
      ...(tag !== undefined ? { tag } : {}),
      digest,
      now: ctx.now,
      strict: ctx.strict,
    });
  } catch (err) {
    if (isEcrError(err) && err.awsCode === 'LayersNotFoundException') {
      throw distributionError(
        DistributionCode.ManifestBlobUnknown,
        400,
        'blob unknown to registry: the manifest references blobs not uploaded to this repository',
        'LayersNotFound',
      );
    }
    if (isEcrError(err) && err.awsCode === 'ReferencedImagesNotFoundException') {
      throw distributionError(
        DistributionCode.ManifestBlobUnknown,
        400,
        'manifest unknown: the index references manifests not pushed to this repository',
        'ImageNotFound',
      );
    }
    throw err;
  }
  if (pushed.created) afterPush(ctx, repo, pushed.image);
  return { digest, subject: facts.subject?.digest, created: pushed.created };
};

/**
 * DELETE a manifest (ECR's BatchDeleteImage): by digest the image and its tags go; by tag only
 * that tag (and the image with its last tag, as ECR does). An image an index in the repository
 * still lists cannot be deleted.
 */
const deleteManifest: OperationHandler = (ctx, input) => {
  const repo = repository(ctx, input);
  const ref = reference(input);
  const image = lookup(ctx, repo, ref);
  const deletesImage = 'digest' in ref || image.tags.length <= 1;
  const parents = repo.referencedBy.get(image.digest);
  if (deletesImage && parents && parents.size > 0) {
    throw distributionError(DistributionCode.Unsupported, 400, `the image is referenced by manifest list: [${[...parents].join(', ')}]`, 'InvalidParameter');
  }
  if (deletesImage) ctx.store.deleteImage(repo, image);
  else ctx.store.untag(repo, image, (ref as { tag: string }).tag);
  return {};
};

/** The tags list (ECR's ListImages): lexical order, `n` at a time after `last`. */
const listTags: OperationHandler = (ctx, input) => {
  const repo = repository(ctx, input);
  const last = optStr(input, 'last');
  const n = typeof input.n === 'number' ? input.n : undefined;
  const all = [...repo.byTag.keys()].sort(compareLexically);
  const after = last === undefined ? all : all.filter((t) => compareLexically(t, last) > 0);
  const tags = n === undefined ? after : after.slice(0, n);
  return { name: repo.name, tags, more: tags.length < after.length };
};

/**
 * The referrers API (ECR's ListImageReferrers): active images of the repository whose `subject`
 * is `digest`, from the registry's one referrer query (`referrersOf`, which ListImageReferrers uses too).
 */
const listReferrers: OperationHandler = (ctx, input) => {
  const repo = repository(ctx, input);
  const digest = checkDigest(str(input, 'digest'));
  const artifactType = optStr(input, 'artifactType');
  const manifests: Descriptor[] = referrersOf(repo, digest, {
    ...(artifactType !== undefined ? { artifactTypes: [artifactType] } : {}),
    now: ctx.now,
  }).map((r) => {
    const out: Descriptor = { mediaType: r.mediaType, digest: r.digest, size: r.size };
    if (r.artifactType !== undefined) out.artifactType = r.artifactType;
    if (r.annotations) out.annotations = r.annotations;
    return out;
  });
  return { manifests };
};

// The distribution spec sorts tags lexically: by code unit, not by locale.
function compareLexically(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Handlers of the `/v2/` face, by the ECR action ECR authorizes and logs each request as. */
export const distributionHandlers: Record<string, OperationHandler> = {
  BatchCheckLayerAvailability: checkBlob,
  GetDownloadUrlForLayer: getBlob,
  InitiateLayerUpload: startUpload,
  UploadLayerPart: uploadChunk,
  GetLayerUploadStatus: uploadStatus,
  CancelLayerUpload: cancelUpload,
  CompleteLayerUpload: completeUpload,
  BatchGetImage: getManifest,
  PutImage: putManifest,
  BatchDeleteImage: deleteManifest,
  ListImages: listTags,
  ListImageReferrers: listReferrers,
};

/** The `/v2/` handler for an operation, or `undefined`. */
export function distributionHandlerFor(operation: string): OperationHandler | undefined {
  return Object.hasOwn(distributionHandlers, operation) ? distributionHandlers[operation] : undefined;
}
