import { computeDigest, invalidParameter, isEcrError, readOptions } from '@ecrkit/core-types';
import type { Api, EcrError, EcrPublic, Transport, PutImageResponse } from '@ecrkit/core-types';

/** What {@link confirmMutation} found: the call took effect (with the answer it would have given), or it did not. */
export type MutationOutcome = { applied: true; output: unknown } | { applied: false };

/** A request as the pipeline's retry hands it over: any `TransportRequest` fits. */
interface MutationRequest {
  readonly api: Api;
  readonly operation: string;
  readonly region: string;
  readonly input: unknown;
  readonly signal?: AbortSignal | undefined;
}

/**
 * A domain rule for the pipeline's retry (`withRetry({ confirm: confirmMutation })` in
 * `@ecrkit/resilience-adapters`; `@ecrkit/client` wires it): a mutating call timed out or lost its
 * connection, and may have taken effect on the server; before it is sent again, find out.
 *
 * PutImage (private ECR and ECR Public) is confirmed when the tag it wrote (or, without a tag,
 * the manifest's digest) now names the manifest's digest, looked up with BatchGetImage (private)
 * or DescribeImages (public) through `next`, the transport below retry. Then the answer is the
 * stored image, and the call is not sent again: the image is put exactly once. Any other
 * operation, or a lookup that fails, gives `undefined` (cannot tell: send again).
 *
 * @example
 * const transport = resilient(createSigV4Transport(config), { config, retry: { confirm: confirmMutation } });
 */
export async function confirmMutation(request: MutationRequest, failure: EcrError, next: Transport): Promise<MutationOutcome | undefined> {
  // Each argument read once: garbage is InvalidParameter, a request it cannot judge is "cannot tell".
  if (typeof request !== 'object' || request === null) throw invalidParameter('request', 'must be a transport request');
  if (typeof readOptions(next ?? null, ['send'], 'next').send !== 'function') throw invalidParameter('next', 'must be a Transport');
  const { operation, api, region, signal, input: rawInput } = readOptions(request, ['operation', 'api', 'region', 'signal', 'input'], 'request');
  if (operation !== 'PutImage' || !isEcrError(failure) || typeof region !== 'string' || typeof rawInput !== 'object' || rawInput === null) return undefined;
  request = { operation, api, region, signal, input: rawInput } as MutationRequest;
  const read = readOptions(rawInput, ['imageManifest', 'imageManifestMediaType', 'repositoryName', 'imageDigest', 'imageTag', 'registryId'], 'request.input');
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const input = {
    imageManifest: text(read.imageManifest),
    imageManifestMediaType: text(read.imageManifestMediaType),
    repositoryName: text(read.repositoryName),
    imageDigest: text(read.imageDigest),
    imageTag: text(read.imageTag),
    registryId: text(read.registryId),
  };
  if (input.imageManifest === undefined || input.repositoryName === undefined) return undefined;
  const digest = input.imageDigest ?? (await computeDigest(input.imageManifest));
  const imageId = input.imageTag !== undefined ? { imageTag: input.imageTag } : { imageDigest: digest };
  const registry = input.registryId !== undefined ? { registryId: input.registryId } : {};
  try {
    if (request.api === 'ecr') {
      const found = await next.send({
        api: 'ecr',
        operation: 'BatchGetImage',
        region: request.region,
        signal: request.signal,
        input: {
          ...registry,
          repositoryName: input.repositoryName,
          imageIds: [imageId],
          ...(input.imageManifestMediaType !== undefined ? { acceptedMediaTypes: [input.imageManifestMediaType] } : {}),
        },
      });
      const image = found.images?.find((candidate) => candidate.imageId?.imageDigest === digest);
      if (!image) return { applied: false };
      const output: PutImageResponse = { image: { ...image, imageId: { ...image.imageId, ...imageId, imageDigest: digest } } };
      return { applied: true, output };
    }
    const found = await next.send({
      api: 'ecr-public',
      operation: 'DescribeImages',
      region: request.region,
      signal: request.signal,
      input: { ...registry, repositoryName: input.repositoryName, imageIds: [imageId] },
    });
    if (!found.imageDetails?.some((detail) => detail.imageDigest === digest)) return { applied: false };
    const output: EcrPublic.PutImageResponse = {
      image: {
        ...registry,
        repositoryName: input.repositoryName,
        imageId: { ...imageId, imageDigest: digest },
        imageManifest: input.imageManifest,
        ...(input.imageManifestMediaType !== undefined ? { imageManifestMediaType: input.imageManifestMediaType } : {}),
      },
    };
    return { applied: true, output };
  } catch (error) {
    // Not there at all: it was not put. Anything else: cannot tell.
    if (isEcrError(error) && (error.kind === 'ImageNotFound' || error.kind === 'RepositoryNotFound')) return { applied: false };
    return undefined;
  }
}
