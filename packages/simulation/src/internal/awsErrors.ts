import { EcrError, wireErrorKinds, type ErrorKind } from '@ecrkit/core-types';

// Every error the registry raises is built here, with the wire code and AWS's own wording,
// so the in-process face and the HTTP face report the same thing.

/** HTTP status the real service answers with for a wire code. */
export function statusForCode(awsCode: string): number {
  switch (awsCode) {
    case 'ServerException':
    case 'InternalFailure':
    case 'InternalServerError':
      return 500;
    case 'ServiceUnavailable':
    case 'ServiceUnavailableException':
      return 503;
    default:
      return 400;
  }
}

/** An `EcrError` for a wire code, its kind taken from core-types' one mapping table. */
export function awsError(awsCode: string, message: string, extra: { field?: string; kind?: ErrorKind; statusCode?: number } = {}): EcrError {
  const kind = extra.kind ?? (Object.hasOwn(wireErrorKinds, awsCode) ? wireErrorKinds[awsCode]! : 'Unknown');
  return new EcrError({ kind, message, awsCode, statusCode: extra.statusCode ?? statusForCode(awsCode), field: extra.field });
}

/** `Invalid parameter at 'field' failed to satisfy constraint: 'constraint'`, ECR's validation wording. */
export function invalidParam(field: string, constraint: string): EcrError {
  return awsError('InvalidParameterException', `Invalid parameter at '${field}' failed to satisfy constraint: '${constraint}'`, { field });
}

/** An InvalidParameterException with a free-form message (ECR uses several shapes). */
export function invalidParamMessage(message: string, field?: string): EcrError {
  return awsError('InvalidParameterException', message, { field });
}

export function repositoryNotFound(name: string, registryId: string): EcrError {
  return awsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);
}

export function repositoryAlreadyExists(name: string, registryId: string): EcrError {
  return awsError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${registryId}'`);
}

export function repositoryNotEmpty(name: string, registryId: string): EcrError {
  return awsError(
    'RepositoryNotEmptyException',
    `The repository with name '${name}' in registry with id '${registryId}' cannot be deleted because it still contains images`,
  );
}

/** `{imageDigest:'…', imageTag:'…'}` as ECR prints an image id, with `null` for a missing half. */
export function formatImageId(id: { imageDigest?: string | undefined; imageTag?: string | undefined }): string {
  return `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;
}

export function imageNotFound(id: { imageDigest?: string | undefined; imageTag?: string | undefined }, repositoryName: string, registryId: string): EcrError {
  return awsError(
    'ImageNotFoundException',
    `The image with imageId ${formatImageId(id)} does not exist within the repository with name '${repositoryName}' in the registry with id '${registryId}'`,
  );
}

export function scanNotFound(id: { imageDigest?: string | undefined; imageTag?: string | undefined }, repositoryName: string, registryId: string): EcrError {
  return awsError(
    'ScanNotFoundException',
    `Image scan does not exist for the image with '${formatImageId(id)}' in the repository with name '${repositoryName}' in the registry with id '${registryId}'`,
  );
}

export function repositoryPolicyNotFound(name: string, registryId: string): EcrError {
  return awsError(
    'RepositoryPolicyNotFoundException',
    `Repository policy does not exist for the repository with name '${name}' in the registry with id '${registryId}'`,
  );
}

export function lifecyclePolicyNotFound(name: string, registryId: string): EcrError {
  return awsError(
    'LifecyclePolicyNotFoundException',
    `Lifecycle policy does not exist for the repository with name '${name}' in the registry with id '${registryId}'`,
  );
}

export function lifecyclePreviewNotFound(name: string, registryId: string): EcrError {
  return awsError(
    'LifecyclePolicyPreviewNotFoundException',
    `There is no dry run for the repository with name '${name}' in the registry with id '${registryId}'`,
  );
}

export function imageAlreadyExists(digest: string, tag: string | undefined, name: string, registryId: string): EcrError {
  return awsError(
    'ImageAlreadyExistsException',
    `Image with digest '${digest}' and tag '${tag ?? 'null'}' already exists in the repository with name '${name}' in registry with id '${registryId}'`,
  );
}

export function imageTagAlreadyExists(tag: string, name: string, registryId: string): EcrError {
  return awsError(
    'ImageTagAlreadyExistsException',
    `The image tag '${tag}' already exists in the '${name}' repository with id '${registryId}' and cannot be overwritten because the repository is immutable.`,
  );
}

export function imageDigestMismatch(given: string, actual: string): EcrError {
  return awsError(
    'ImageDigestDoesNotMatchException',
    `Provided image digest '${given}' does not match the calculated digest '${actual}' of the image manifest`,
  );
}

export function layersNotFound(digests: readonly string[], name: string, registryId: string): EcrError {
  return awsError(
    'LayersNotFoundException',
    `Layers with digests '[${digests.join(', ')}]' required for pushing image into repository with name '${name}' in the registry with id '${registryId}' do not exist`,
  );
}

export function referencedImagesNotFound(digests: readonly string[], name: string, registryId: string): EcrError {
  return awsError(
    'ReferencedImagesNotFoundException',
    `Manifest list references images '[${digests.join(', ')}]' that do not exist in the repository with name '${name}' in the registry with id '${registryId}'`,
  );
}

export function uploadNotFound(uploadId: string, name: string, registryId: string): EcrError {
  return awsError(
    'UploadNotFoundException',
    `Upload with id '${uploadId}' does not exist for the repository with name '${name}' in the registry with id '${registryId}'`,
  );
}

export function throttling(): EcrError {
  return awsError('ThrottlingException', 'Rate exceeded');
}
