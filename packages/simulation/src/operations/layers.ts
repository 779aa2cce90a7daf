import type { Layer, LayerFailure } from '@ecrkit/core-types';
import { awsError, invalidParam, uploadNotFound } from '../internal/awsErrors.js';
import { sha256OfChunks } from '../internal/digest.js';
import { digestPattern, reqInt, reqList, reqString, stringItems, uploadIdPattern, type Input } from '../internal/validate.js';
import { repositoryForPush } from './images.js';
import { repositoryName } from './names.js';
import type { RepositoryRecord, UploadState } from '../internal/state.js';
import { repositoryFrom, type OpContext, type OperationHandler } from './OpContext.js';

/** The part size ECR asks for; every part but the last must be at least 5 MiB. */
export const uploadPartSize = 10 * 1024 * 1024;
const minimumPartSize = 5 * 1024 * 1024;
const maximumPartBlob = 20 * 1024 * 1024;

export const InitiateLayerUpload: OperationHandler = (ctx, input) => {
  const repo = repositoryForPush(ctx, input);
  const uploadId = ctx.store.rng.uuid();
  ctx.store.openUpload(repo, uploadId, { parts: [], received: 0, partSizes: [], touchedAt: ctx.now });
  return { uploadId, partSize: uploadPartSize };
};

function readUploadId(input: Input): string {
  return reqString(input, 'uploadId', { pattern: uploadIdPattern, patternText: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}' });
}

/** An upload of this API, marked as in use now; a `/v2/` upload streams into the blob store, and API parts cannot join or complete it. */
function apiUpload(ctx: OpContext, repo: RepositoryRecord, uploadId: string): UploadState {
  const upload = ctx.store.touchUpload(repo, uploadId, ctx.now);
  if (!upload || upload.distribution) throw uploadNotFound(uploadId, repo.name, repo.accountId);
  return upload;
}

/** UploadLayerPart: parts must arrive in order, each starting right after the last byte received. */
export const UploadLayerPart: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const uploadId = readUploadId(input);
  const first = reqInt(input, 'partFirstByte', { min: 0 });
  const last = reqInt(input, 'partLastByte', { min: 0 });
  const blob = input.layerPartBlob;
  if (!(blob instanceof Uint8Array)) throw invalidParam('layerPartBlob', 'Member must be a blob');
  if (blob.length > maximumPartBlob) throw invalidParam('layerPartBlob', `Member must have length less than or equal to ${maximumPartBlob}`);
  const upload = apiUpload(ctx, repo, uploadId);
  const lastValid = upload.received - 1;
  const invalidPart = (why: string) =>
    awsError(
      'InvalidLayerPartException',
      `The layer part with first byte ${first} and last byte ${last} is not valid: ${why}. Last valid byte received: ${lastValid}`,
    );
  if (first !== upload.received) throw invalidPart(`the first byte must be ${upload.received}`);
  if (last < first || last - first + 1 !== blob.length) throw invalidPart(`the byte range does not match the part's ${blob.length} bytes`);
  upload.parts.push(blob.slice());
  upload.partSizes.push(blob.length);
  upload.received = last + 1;
  return { registryId: repo.accountId, repositoryName: repo.name, uploadId, lastByteReceived: last };
};

/** CompleteLayerUpload: the bytes must hash to the digest given; the blob joins the repository. */
export const CompleteLayerUpload: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const uploadId = readUploadId(input);
  const digests = stringItems(reqList(input, 'layerDigests', { min: 1, max: 100 }), 'layerDigests', { max: 1000 });
  const upload = apiUpload(ctx, repo, uploadId);
  if (upload.parts.length === 0) throw awsError('EmptyUploadException', `The upload with id '${uploadId}' does not contain any layer parts`);
  if (ctx.strict && upload.partSizes.slice(0, -1).some((size) => size < minimumPartSize)) {
    throw awsError('LayerPartTooSmallException', 'Layer parts must be at least 5 MiB in size');
  }
  // Hashed part by part and stored as the parts: a large layer is never copied into one buffer.
  const actual = sha256OfChunks(upload.parts).digest;
  const expected = digests[0]!;
  if (!digestPattern.test(expected) || (expected !== actual && !digests.includes(actual))) {
    ctx.store.closeUpload(repo, uploadId);
    throw awsError(
      'InvalidLayerException',
      `The layer digest calculation performed by Amazon ECR upon receipt of the image layer does not match the digest specified: expected ${expected}, calculated ${actual}`,
    );
  }
  ctx.store.closeUpload(repo, uploadId);
  if (repo.blobs.has(actual))
    throw awsError(
      'LayerAlreadyExistsException',
      `The image layer '${actual}' already exists in the repository with name '${repo.name}' in the registry with id '${repo.accountId}'`,
    );
  ctx.store.addBlob(repo, upload.parts);
  return { registryId: repo.accountId, repositoryName: repo.name, uploadId, layerDigest: actual };
};

export const BatchCheckLayerAvailability: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const digests = stringItems(reqList(input, 'layerDigests', { min: 1, max: 100 }), 'layerDigests', { max: 1000 });
  const layers: Layer[] = [];
  const failures: LayerFailure[] = [];
  for (const digest of digests) {
    if (digest.length === 0) {
      failures.push({ layerDigest: digest, failureCode: 'MissingLayerDigest', failureReason: 'Missing layer digest' });
      continue;
    }
    if (!digestPattern.test(digest)) {
      failures.push({ layerDigest: digest, failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest' });
      continue;
    }
    const blob = repo.blobs.get(digest);
    if (!blob) {
      failures.push({ layerDigest: digest, failureCode: 'MissingLayerDigest', failureReason: 'Could not find layer' });
      continue;
    }
    const layer: Layer = { layerDigest: digest, layerAvailability: 'AVAILABLE', layerSize: blob.size };
    if (blob.mediaType) layer.mediaType = blob.mediaType;
    layers.push(layer);
  }
  return { layers, failures };
};

/**
 * GetDownloadUrlForLayer: a URL that serves the blob. In process there is no server, so the
 * URL is a `data:` URL that `fetch()` reads directly; the HTTP face passes `blobUrl`.
 */
export const GetDownloadUrlForLayer: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const digest = reqString(input, 'layerDigest');
  if (!digestPattern.test(digest)) throw invalidParam('layerDigest', "must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
  if (!repo.blobs.has(digest) || !ctx.store.blobStore.has(digest)) {
    throw awsError(
      'LayersNotFoundException',
      `The image layer '${digest}' does not exist in the repository with name '${repo.name}' in the registry with id '${repo.accountId}'`,
    );
  }
  const downloadUrl = ctx.blobUrl
    ? ctx.blobUrl({ accountId: repo.accountId, region: repo.region, repositoryName: repo.name, digest })
    : `data:application/octet-stream;base64,${Buffer.from(ctx.store.blobStore.read(digest)!).toString('base64')}`;
  return { downloadUrl, layerDigest: digest };
};
