import { parseManifest } from '@ecrkit/core-types';
import { imageStatus, statusMatches, type ImageStatus } from './storageClass.js';
import type { ImageRecord, RepositoryRecord } from './state.js';

/** An OCI descriptor of a referrer, as ListImageReferrers and the OCI referrers API list it. */
export interface ReferrerDescriptor {
  digest: string;
  mediaType: string;
  /** The manifest's `artifactType`, else its config's media type (OCI distribution-spec rule). */
  artifactType?: string;
  /** The size of the referrer's manifest in bytes. */
  size: number;
  annotations?: Record<string, string>;
  artifactStatus: ImageStatus;
  /** The image record, for faces that need more (its push order, its tags). */
  image: ImageRecord;
}

/**
 * The images of `repo` whose manifest names `subjectDigest` as its `subject`, in push order,
 * filtered by artifact type (any of `artifactTypes`) and storage status (default ACTIVE only).
 * The one referrer query of the simulation: the ECR API face and the OCI face both use it.
 */
export function referrersOf(
  repo: RepositoryRecord,
  subjectDigest: string,
  options: { artifactTypes?: readonly string[]; artifactStatus?: string; now: number },
): ReferrerDescriptor[] {
  const out: ReferrerDescriptor[] = [];
  for (const image of repo.images) {
    if (image.subjectDigest !== subjectDigest) continue;
    const status = imageStatus(image, options.now);
    if (!statusMatches(status, options.artifactStatus)) continue;
    const manifest = parseManifest(image.manifest, image.mediaType);
    const artifactType = manifest.artifactType ?? (manifest.kind === 'manifest' ? manifest.config.mediaType : undefined);
    if (options.artifactTypes && options.artifactTypes.length > 0 && (artifactType === undefined || !options.artifactTypes.includes(artifactType))) continue;
    const descriptor: ReferrerDescriptor = {
      digest: image.digest,
      mediaType: image.mediaType,
      size: Buffer.byteLength(image.manifest, 'utf8'),
      artifactStatus: status,
      image,
    };
    if (artifactType !== undefined) descriptor.artifactType = artifactType;
    if (manifest.annotations) descriptor.annotations = { ...manifest.annotations };
    out.push(descriptor);
  }
  return out;
}
