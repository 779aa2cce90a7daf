import type { ImageRecord } from './state.js';

// ECR's archive storage class. Archiving is immediate; a restore (UpdateImageStorageClass to
// STANDARD) keeps the image ACTIVATING for the registry's `restoreMs`, then it is ACTIVE again.
// Only ACTIVE images can be pulled; every image can be described and listed with a status filter.

export type ImageStatus = 'ACTIVE' | 'ARCHIVED' | 'ACTIVATING';

/** The image's status at `now`; a finished restore is settled (it becomes ACTIVE with its `lastActivatedAt`). */
export function imageStatus(image: ImageRecord, now: number): ImageStatus {
  const storage = image.storage;
  if (!storage) return 'ACTIVE';
  if (storage.status === 'ACTIVATING' && storage.activeAt !== undefined && now >= storage.activeAt) {
    storage.status = 'ACTIVE';
    storage.lastActivatedAt = storage.activeAt;
    delete storage.activeAt;
  }
  return storage.status;
}

/** Whether `status` passes a DescribeImages/ListImages/ListImageReferrers status filter (absent: ACTIVE only). */
export function statusMatches(status: ImageStatus, filter: string | undefined): boolean {
  return filter === 'ANY' || status === (filter ?? 'ACTIVE');
}

export function archiveImage(image: ImageRecord, now: number): void {
  image.storage = { ...image.storage, status: 'ARCHIVED', lastArchivedAt: now };
  delete image.storage.activeAt;
}

/** Start a restore that ends `restoreMs` from now (0: at once, as a re-push does). */
export function restoreImage(image: ImageRecord, now: number, restoreMs: number): void {
  const lastArchivedAt = image.storage?.lastArchivedAt ?? now;
  image.storage =
    restoreMs > 0
      ? { ...image.storage, status: 'ACTIVATING', lastArchivedAt, activeAt: now + restoreMs }
      : { ...image.storage, status: 'ACTIVE', lastArchivedAt, lastActivatedAt: now };
  if (restoreMs <= 0) delete image.storage.activeAt;
}
