import { createHash } from 'node:crypto';
import { ManualClock, type Api } from '@ecrkit/core-types';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { SimulatedRegistry } from '../../src/SimulatedRegistry.js';
import { startSimulationServer, type SimulationServer } from '../../src/server/index.js';
import { AwsSdk, type SdkFailure } from './awsSdk.js';

/** A decoded SDK output, read loosely by the tests. */
export type Out = Record<string, any>;

export const start = Date.UTC(2026, 0, 1, 12);

/**
 * One simulation server for a test file, over a registry on a manual clock (starting at `start`;
 * it only moves forward, so tests read `clock.now()`) that every test starts afresh
 * (`registry.reset()`); `call` sends through the real
 * @aws-sdk/client-ecr or client-ecr-public and resolves with the output (throwing the SDK's
 * failure), `fail` resolves with the failure (throwing if the call succeeded).
 */
export function sdkWorld(options: { lenient?: boolean } = {}) {
  const clock = new ManualClock(start);
  const registry = new SimulatedRegistry({ clock, ...(options.lenient ? { lenient: true } : {}) });
  const sdk = new AwsSdk();
  let server: SimulationServer;
  beforeAll(async () => {
    server = await startSimulationServer({ registry });
  });
  afterAll(async () => {
    sdk.close();
    await server.close();
  });
  beforeEach(() => {
    registry.reset();
  });
  const send = (operation: string, input: unknown, api: Api = 'ecr', region = 'us-east-1') => sdk.send({ api, operation, input, endpoint: server.url, region });
  const call = async (operation: string, input: unknown = {}, api: Api = 'ecr', region = 'us-east-1'): Promise<Out> => {
    const result = await send(operation, input, api, region);
    if (!result.ok) throw new Error(`${operation} failed: ${result.error.name}: ${result.error.message}`);
    return result.output;
  };
  const fail = async (operation: string, input: unknown = {}, api: Api = 'ecr', region = 'us-east-1'): Promise<SdkFailure> => {
    const result = await send(operation, input, api, region);
    if (result.ok) throw new Error(`${operation} did not fail`);
    return result.error;
  };
  return { clock, registry, call, fail };
}

export const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Upload bytes as a blob of a repository (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) unless it holds them, and return the digest. */
export function uploadBlob(registry: SimulatedRegistry, repositoryName: string, bytes: Uint8Array): string {
  const held = registry.applySync({ api: 'ecr', operation: 'BatchCheckLayerAvailability', input: { repositoryName, layerDigests: [sha256(bytes)] } }) as {
    layers: { layerAvailability?: string }[];
  };
  if (held.layers[0]?.layerAvailability === 'AVAILABLE') return sha256(bytes);
  const { uploadId } = registry.applySync({ api: 'ecr', operation: 'InitiateLayerUpload', input: { repositoryName } }) as { uploadId: string };
  registry.applySync({
    api: 'ecr',
    operation: 'UploadLayerPart',
    input: { repositoryName, uploadId, partFirstByte: 0, partLastByte: bytes.length - 1, layerPartBlob: bytes },
  });
  const digest = sha256(bytes);
  registry.applySync({ api: 'ecr', operation: 'CompleteLayerUpload', input: { repositoryName, uploadId, layerDigests: [digest] } });
  return digest;
}

/**
 * An OCI artifact manifest that refers to `subject` (a signature, an SBOM): the empty config,
 * one layer of `payload`, `artifactType` and annotations; its blobs uploaded to the repository.
 */
export function referrerManifest(
  registry: SimulatedRegistry,
  repositoryName: string,
  subject: { digest: string; mediaType: string; size: number },
  artifactType: string,
  payload: string,
  annotations: Record<string, string> = {},
): string {
  const empty = new TextEncoder().encode('{}');
  const layer = new TextEncoder().encode(payload);
  uploadBlob(registry, repositoryName, empty);
  uploadBlob(registry, repositoryName, layer);
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: empty.length },
    layers: [{ mediaType: artifactType, digest: sha256(layer), size: layer.length }],
    subject,
    annotations,
  });
}
