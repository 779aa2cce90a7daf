import { EcrError, formatPlatform, isValidDigest, parseManifest, type ParsedManifest } from '@ecrkit/core-types';
import type { RegistryClient, RegistryManifest } from './RegistryClient.js';

/** Where {@link copyImage} reads: a repository of a registry, and a tag or digest in it. */
export interface ImageSource {
  client: RegistryClient;
  repository: string;
  /** A tag or a `sha256:` digest. */
  reference: string;
}

/**
 * Where {@link copyImage} writes. {@link registryDestination} writes to a repository of a
 * registry; the CLI's `ecrkit pull` writes an OCI image layout. Blobs arrive as streams whose
 * end errors when the bytes do not match their digest, so a destination that writes to a
 * temporary place and moves it on success never keeps unverified content.
 */
export interface ImageDestination {
  /** Names the registry (account and region included) when it is one, so copies inside it can mount. */
  readonly registryKey?: string;
  /** The destination repository, for mounts from another repository of the same registry. */
  readonly repository?: string;
  hasManifest(digest: string, options: { signal?: AbortSignal }): Promise<boolean>;
  /** Store a manifest by its digest, or under `tag` (the top manifest, last of all). */
  putManifest(manifest: RegistryManifest, options: { tag?: string; signal?: AbortSignal }): Promise<void>;
  hasBlob(digest: string, options: { signal?: AbortSignal }): Promise<boolean>;
  putBlob(digest: string, size: number, body: ReadableStream<Uint8Array>, options: { signal?: AbortSignal }): Promise<void>;
  /** Link a blob from another repository of the same registry; `false` when it could not. */
  mountBlob?(digest: string, fromRepository: string, options: { signal?: AbortSignal }): Promise<boolean>;
  /** Called once everything is written, with the top manifest (an image layout writes its `index.json` here). */
  finish?(top: { digest: string; mediaType: string; size: number; tag?: string }, options: { signal?: AbortSignal }): Promise<void>;
}

/** A repository of a registry as a copy destination. */
export function registryDestination(client: RegistryClient, repository: string): ImageDestination {
  return {
    registryKey: client.registryKey,
    repository,
    hasManifest: async (digest, { signal }) => (await client.headManifest(repository, digest, { signal })) !== undefined,
    putManifest: async (manifest, { tag, signal }) => void (await client.putManifest(repository, tag ?? manifest.digest, manifest, { signal })),
    hasBlob: async (digest, { signal }) => (await client.blobSize(repository, digest, { signal })) !== undefined,
    putBlob: (digest, _size, body, { signal }) => client.pushBlob(repository, digest, body, { signal }),
    mountBlob: (digest, from, { signal }) => client.mountBlob(repository, digest, from, { signal }),
  };
}

/** Options of {@link copyImage}. */
export interface CopyImageOptions {
  /** The tag to give the image at the destination; default the source's tag (none when the source is a digest). */
  tag?: string;
  /** Copy the manifests that refer to each copied manifest (signatures, SBOMs; the OCI referrers API). Default true. */
  referrers?: boolean;
  /** Blobs copied at once. Default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each manifest and blob is done. */
  onProgress?: (event: CopyEvent) => void;
}

/** One manifest of a copy: the image or index, a platform image of an index, or a referrer. */
export interface CopiedManifest {
  digest: string;
  mediaType: string;
  role: 'image' | 'index' | 'platform' | 'referrer';
  /** `os/arch[/variant]` of a platform image. */
  platform?: string;
  /** The subject a referrer refers to. */
  subject?: string;
  artifactType?: string;
  /** `skipped`: the destination already had it. */
  outcome: 'copied' | 'skipped';
}

/** One blob of a copy: streamed, mounted from another repository of the registry, or skipped because the destination had it. */
export interface CopiedBlob {
  digest: string;
  size: number;
  outcome: 'copied' | 'mounted' | 'skipped';
}

/** What {@link copyImage} reports as it goes. */
export type CopyEvent = ({ type: 'manifest' } & CopiedManifest) | ({ type: 'blob' } & CopiedBlob);

/** What a copy did: every manifest and blob with its outcome, and totals. */
export interface CopyReport {
  /** The digest of the top manifest (or index), the same at both ends. */
  digest: string;
  mediaType: string;
  tag?: string;
  manifests: CopiedManifest[];
  blobs: CopiedBlob[];
  /** Bytes streamed from source to destination (mounted and skipped blobs excluded). */
  copiedBytes: number;
  /** What was already there (or mounted rather than copied). */
  skipped: { manifests: number; blobs: number; bytes: number };
  /** Whether the source offered the referrers API (always true when `referrers` was off). */
  referrersSupported: boolean;
}

const defaultConcurrency = 4;

/**
 * Copy an image between repositories, registries, regions or accounts, like `crane copy`: every
 * platform of an index, each manifest's referrers (signatures, SBOMs), blobs the destination
 * already has skipped, blobs of another repository of the same registry mounted, every manifest
 * and blob checked against its digest on the way. Children go first and by digest, the top
 * manifest last (under the tag), so the destination never holds a tag that points at something
 * incomplete.
 *
 * @throws EcrError kind `InvalidParameter` before any request for a bad tag or digest; the
 * registry's errors otherwise (`ImageNotFound`, `RepositoryNotFound`, `AccessDenied`,
 * `ImageDigestMismatch`, `ImageTagAlreadyExists` for an immutable destination tag, ...).
 * @example
 * const report = await copyImage({ client: usEast, repository: 'web-app', reference: 'v1' }, registryDestination(euWest, 'web-app'));
 * console.log(report.copiedBytes, report.skipped);
 */
export async function copyImage(source: ImageSource, destination: ImageDestination, options: CopyImageOptions = {}): Promise<CopyReport> {
  const isDigest = source.reference.startsWith('sha256:');
  if (isDigest && !isValidDigest(source.reference)) {
    throw new EcrError({ kind: 'InvalidParameter', field: 'reference', message: `Invalid parameter 'reference': not a sha256 digest` });
  }
  const tag = options.tag ?? (isDigest ? undefined : source.reference);
  const signal = options.signal;
  const sameRegistry =
    destination.registryKey !== undefined && destination.registryKey === source.client.registryKey && destination.repository !== source.repository;
  const report: CopyReport = {
    digest: '',
    mediaType: '',
    ...(tag !== undefined ? { tag } : {}),
    manifests: [],
    blobs: [],
    copiedBytes: 0,
    skipped: { manifests: 0, blobs: 0, bytes: 0 },
    referrersSupported: true,
  };
  const seenManifests = new Set<string>();
  const seenBlobs = new Set<string>();

  const copyBlob = async (descriptor: { digest: string; size: number }): Promise<void> => {
    if (seenBlobs.has(descriptor.digest)) return;
    seenBlobs.add(descriptor.digest);
    let outcome: CopiedBlob['outcome'];
    if (await destination.hasBlob(descriptor.digest, { signal })) outcome = 'skipped';
    else if (sameRegistry && destination.mountBlob && (await destination.mountBlob(descriptor.digest, source.repository, { signal }))) outcome = 'mounted';
    else {
      const body = await source.client.getBlob(source.repository, descriptor.digest, { signal });
      await destination.putBlob(descriptor.digest, descriptor.size, body, { signal });
      outcome = 'copied';
      report.copiedBytes += descriptor.size;
    }
    if (outcome !== 'copied') {
      report.skipped.blobs++;
      report.skipped.bytes += descriptor.size;
    }
    const entry: CopiedBlob = { digest: descriptor.digest, size: descriptor.size, outcome };
    report.blobs.push(entry);
    options.onProgress?.({ type: 'blob', ...entry });
  };

  const copyManifest = async (reference: string, role: CopiedManifest['role'], extra: Partial<CopiedManifest> = {}): Promise<RegistryManifest | undefined> => {
    if (seenManifests.has(reference)) return undefined;
    const manifest = await source.client.getManifest(source.repository, reference, { signal });
    if (seenManifests.has(manifest.digest)) return manifest;
    seenManifests.add(manifest.digest);
    let parsed: ParsedManifest;
    try {
      parsed = parseManifest(manifest.bytes, manifest.mediaType);
    } catch (cause) {
      throw new EcrError({ kind: 'InvalidResponse', message: `The source manifest ${manifest.digest} is not a manifest or index ecrkit can copy`, cause });
    }
    if (parsed.kind === 'index') {
      for (const child of parsed.manifests) {
        await copyManifest(child.digest, 'platform', child.platform ? { platform: formatPlatform(child.platform) } : {});
      }
    } else {
      // Foreign layers (with `urls`) are not in the registry; ECR does not require them either.
      await pool([parsed.config, ...parsed.layers.filter((l) => !l.urls?.length)], options.concurrency ?? defaultConcurrency, copyBlob);
    }
    const present = await destination.hasManifest(manifest.digest, { signal });
    if (!present) await destination.putManifest(manifest, { signal });
    const entry: CopiedManifest = {
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      role: role === 'image' && parsed.kind === 'index' ? 'index' : role,
      ...extra,
      ...(parsed.artifactType ? { artifactType: parsed.artifactType } : {}),
      outcome: present ? 'skipped' : 'copied',
    };
    if (present) report.skipped.manifests++;
    report.manifests.push(entry);
    options.onProgress?.({ type: 'manifest', ...entry });
    if (options.referrers !== false) {
      const referrers = await source.client.referrers(source.repository, manifest.digest, { signal });
      if (referrers === undefined) report.referrersSupported = false;
      for (const r of referrers ?? []) await copyManifest(r.digest, 'referrer', { subject: manifest.digest });
    }
    return manifest;
  };

  const top = (await copyManifest(source.reference, 'image'))!;
  if (isDigest && top.digest !== source.reference)
    throw new EcrError({ kind: 'ImageDigestMismatch', message: `The source sent ${top.digest} for ${source.reference}` });
  if (tag !== undefined) await destination.putManifest(top, { tag, signal });
  await destination.finish?.({ digest: top.digest, mediaType: top.mediaType, size: top.bytes.byteLength, ...(tag !== undefined ? { tag } : {}) }, { signal });
  report.digest = top.digest;
  report.mediaType = top.mediaType;
  return report;
}

/** Run `work` over `items`, at most `limit` at a time; the first failure rejects (the rest finish first). */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure;
}
