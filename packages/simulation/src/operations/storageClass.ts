import { awsError, imageNotFound, invalidParamMessage } from '../internal/awsErrors.js';
import { archiveImage, imageStatus, restoreImage } from '../internal/storageClass.js';
import { reqEnum, reqStruct } from '../internal/validate.js';
import { repositoryName } from './names.js';
import { repositoryFrom, type OperationHandler } from './OpContext.js';

/**
 * UpdateImageStorageClass: ARCHIVE moves an ACTIVE image to the archive at once; STANDARD
 * restores an archived one (ACTIVATING for the registry's restore time, then ACTIVE). Asking for
 * the class an image is already in (or on its way to) answers its status; archiving an image
 * that is being restored, or one a manifest list in the repository references, is refused.
 */
export const UpdateImageStorageClass: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const id = reqStruct(input, 'imageId');
  const target = reqEnum(input, 'targetStorageClass', ['STANDARD', 'ARCHIVE'] as const);
  const found = ctx.store.lookupImage(repo, id);
  if (!('image' in found)) {
    if (found.failureCode === 'ImageNotFound' || found.failureCode === 'ImageTagDoesNotMatchDigest') {
      throw imageNotFound({ imageDigest: id.imageDigest as string | undefined, imageTag: id.imageTag as string | undefined }, repo.name, repo.accountId);
    }
    throw invalidParamMessage(found.failureReason, 'imageId');
  }
  const image = found.image;
  const status = imageStatus(image, ctx.now);
  const refused = (why: string) =>
    awsError('ImageStorageClassUpdateNotSupportedException', `The requested image storage class update is not supported: ${why}`);
  if (target === 'ARCHIVE') {
    if (status === 'ACTIVATING') throw refused('the image is being restored from the archive');
    if (status === 'ACTIVE') {
      if ((repo.referencedBy.get(image.digest)?.size ?? 0) > 0) throw refused('the image is referenced by a manifest list; archive the manifest list instead');
      archiveImage(image, ctx.now);
    }
  } else if (status === 'ARCHIVED') {
    restoreImage(image, ctx.now, ctx.store.restoreMs);
  }
  return {
    registryId: repo.accountId,
    repositoryName: repo.name,
    imageId: typeof id.imageTag === 'string' ? { imageDigest: image.digest, imageTag: id.imageTag } : { imageDigest: image.digest },
    imageStatus: imageStatus(image, ctx.now),
  };
};
