import { EcrError, readOptions, validateDigest, validateImageIdentifier, validateImageTag } from '@ecrkit/core-types';
import type { ImageFailure, ImageIdentifier } from '@ecrkit/core-types';
import type { ErrorKind } from '@ecrkit/core-types';

/** A tag (`v1.2.3`), a digest (`sha256:…`) or an `ImageIdentifier`. */
export type ImageRef = string | ImageIdentifier;

/**
 * Turn a tag, digest or identifier into a validated `ImageIdentifier` (a copy, never the
 * caller's object). Strings with a digest algorithm prefix are digests; anything else is a tag.
 */
export function toImageIdentifier(ref: ImageRef, field = 'imageId'): ImageIdentifier {
  if (typeof ref === 'string') {
    if (/^sha(256|512):/.test(ref)) {
      validateDigest(ref, `${field}.imageDigest`);
      return { imageDigest: ref };
    }
    validateImageTag(ref, `${field}.imageTag`);
    return { imageTag: ref };
  }
  // Read once into a plain object: a getter runs once, and a throwing one is InvalidParameter.
  const read = typeof ref === 'object' && ref !== null ? readOptions(ref, ['imageDigest', 'imageTag'], field) : ref;
  validateImageIdentifier(read, field);
  const id: ImageIdentifier = {};
  const { imageDigest, imageTag } = read as ImageIdentifier;
  if (imageDigest !== undefined) id.imageDigest = imageDigest;
  if (imageTag !== undefined) id.imageTag = imageTag;
  return id;
}

/** Validate a list of references; an empty list is refused. */
export function toImageIdentifiers(refs: readonly ImageRef[], field = 'imageIds'): ImageIdentifier[] {
  if (!Array.isArray(refs) || refs.length === 0) {
    throw new EcrError({ kind: 'InvalidParameter', field, message: `Invalid parameter '${field}': must be a non-empty list of image references` });
  }
  return refs.map((ref, i) => toImageIdentifier(ref, `${field}[${i}]`));
}

/** Human form of an identifier for messages: tags and digests are not secret. */
export function describeImageId(id: ImageIdentifier): string {
  if (id.imageTag && id.imageDigest) return `${id.imageTag}@${id.imageDigest}`;
  return id.imageTag ?? id.imageDigest ?? '(none)';
}

/** Split into chunks of at most `size` (ECR's batch limit is 100). */
export function chunk<T>(items: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const failureKinds: Record<string, ErrorKind> = {
  ImageNotFound: 'ImageNotFound',
  ImageTagDoesNotMatchDigest: 'ImageNotFound',
  InvalidImageDigest: 'InvalidParameter',
  InvalidImageTag: 'InvalidParameter',
  MissingDigestAndTag: 'InvalidParameter',
  ImageReferencedByManifestList: 'InvalidParameter',
  KmsError: 'KmsError',
  UpstreamAccessDenied: 'AccessDenied',
  UpstreamTooManyRequests: 'Throttling',
  UpstreamUnavailable: 'ServiceUnavailable',
};

/** The `EcrError` for a per-image batch failure, when one image was asked for. */
export function errorFromImageFailure(failure: ImageFailure, repositoryName: string, operation: string): EcrError {
  const code = failure.failureCode ?? 'Unknown';
  const id = failure.imageId ? describeImageId(failure.imageId) : '(unknown image)';
  return new EcrError({
    kind: failureKinds[code] ?? 'Unknown',
    awsCode: code,
    operation,
    message: `${operation}: image ${id} in repository ${repositoryName}: ${code}${failure.failureReason ? ` (${failure.failureReason})` : ''}`,
  });
}
