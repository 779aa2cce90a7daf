import type { RequestLike } from '../RequestLike.js';

/** The fields of an input that name what a call is about; all optional, read defensively. */
interface ScopeFields {
  registryId?: unknown;
  repositoryName?: unknown;
  imageId?: { imageDigest?: unknown; imageTag?: unknown };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The repository a request is about, when its input names one. */
export function repositoryOf(request: RequestLike): string | undefined {
  const input = request.input as ScopeFields | undefined;
  return typeof input?.repositoryName === 'string' ? input.repositoryName : undefined;
}

/** The registry id a request names, or '' for the caller's default registry. */
export function registryOf(request: RequestLike): string {
  return str((request.input as ScopeFields | undefined)?.registryId);
}

/** The image (digest, else tag) a request's `imageId` names, or ''. */
export function imageOf(request: RequestLike): string {
  const id = (request.input as ScopeFields | undefined)?.imageId;
  return str(id?.imageDigest) || str(id?.imageTag);
}
