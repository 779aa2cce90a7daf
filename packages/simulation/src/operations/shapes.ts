import type { ImageDetail, ImageIdentifier, Repository } from '@ecrkit/core-types';
import { severityCounts } from '../internal/findings.js';
import type { RegistryStore } from '../internal/RegistryStore.js';
import { imageStatus } from '../internal/storageClass.js';
import type { ImageRecord, RepositoryRecord } from '../internal/state.js';

// Output shapes built fresh from records on every call, so nothing a caller holds aliases state.

export function repositoryShape(store: RegistryStore, repo: RepositoryRecord, registryUrl?: string): Repository {
  const out: Repository = {
    repositoryArn: store.repositoryArn(repo),
    registryId: repo.accountId,
    repositoryName: repo.name,
    repositoryUri: store.repositoryUri(repo, registryUrl),
    createdAt: new Date(repo.createdAt),
  };
  if (repo.public) return out;
  out.imageTagMutability = repo.tagMutability;
  if (repo.exclusionFilters) out.imageTagMutabilityExclusionFilters = repo.exclusionFilters.map((f) => ({ ...f }));
  out.imageScanningConfiguration = { scanOnPush: repo.scanOnPush };
  out.encryptionConfiguration = { ...repo.encryption };
  return out;
}

export function scanDescription(status: string): string | undefined {
  switch (status) {
    case 'COMPLETE':
      return 'The scan was completed successfully.';
    case 'ACTIVE':
      return 'Continuous scan is selected for image.';
    case 'FAILED':
      return 'The scan failed.';
    case 'UNSUPPORTED_IMAGE':
      return 'The operating system and/or package manager are not supported.';
    case 'SCAN_ELIGIBILITY_EXPIRED':
      return 'The image is no longer eligible for continuous scanning.';
    default:
      return undefined;
  }
}

export function imageDetailShape(store: RegistryStore, repo: RepositoryRecord, image: ImageRecord, now: number): ImageDetail {
  const out: ImageDetail = { registryId: repo.accountId, repositoryName: repo.name, imageDigest: image.digest };
  if (image.tags.length > 0) out.imageTags = [...image.tags];
  // Moto reports no size for a manifest list.
  if (!(store.lenient && image.kind === 'index')) out.imageSizeInBytes = image.size;
  out.imagePushedAt = new Date(image.pushedAt);
  out.imageManifestMediaType = image.mediaType;
  if (image.artifactMediaType) out.artifactMediaType = image.artifactMediaType;
  if (repo.public) return out;
  const scan = store.scanView(repo, image, now, false);
  if (scan) {
    const description = scanDescription(scan.status);
    out.imageScanStatus = description === undefined ? { status: scan.status } : { status: scan.status, description };
    if (scan.terminal && (scan.status === 'COMPLETE' || scan.status === 'ACTIVE') && scan.completedAt !== undefined) {
      out.imageScanFindingsSummary = {
        imageScanCompletedAt: new Date(scan.completedAt),
        vulnerabilitySourceUpdatedAt: new Date(scan.completedAt - 3600_000),
        findingSeverityCounts: severityCounts(image.findings ?? []),
      };
    }
  }
  if (image.lastPulledAt !== undefined) out.lastRecordedPullTime = new Date(image.lastPulledAt);
  if (image.subjectDigest) out.subjectManifestDigest = image.subjectDigest;
  // Storage facts only for images that have been archived (others are plain ACTIVE standard storage).
  if (image.storage) {
    out.imageStatus = imageStatus(image, now);
    out.lastArchivedAt = new Date(image.storage.lastArchivedAt);
    if (image.storage.lastActivatedAt !== undefined) out.lastActivatedAt = new Date(image.storage.lastActivatedAt);
  }
  return out;
}

/** The image id a batch operation answers with: the digest, plus the tag asked for. */
export function imageIdShape(image: ImageRecord, requestedTag?: string): ImageIdentifier {
  return requestedTag === undefined ? { imageDigest: image.digest } : { imageDigest: image.digest, imageTag: requestedTag };
}
