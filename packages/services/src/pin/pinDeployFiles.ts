import {
  EcrError,
  MediaType,
  formatImageReference,
  formatPlatform,
  isEcrError,
  isPrivateRegistryHost,
  normalizePlatform,
  parseImageReference,
} from '@ecrkit/core-types';
import type { ImageReference, Platform } from '@ecrkit/core-types';
import type { EcrClient } from '../createClient.js';
import type { ScanThresholds } from '../ScanService.js';
import { parseDeployFile } from './deployFile.js';
import type { DeployFileFormat, ImageSite } from './deployFile.js';

/** A registry (account) in a region. */
export interface RegistryLocation {
  registryId: string;
  region: string;
}

/** Options of {@link pinDeployFiles}. */
export interface PinOptions {
  /** The scan gate (as `getImageForDeployment` applies it); without it, images are not gated. */
  thresholds?: ScanThresholds;
  /**
   * The registry a Kubernetes cluster's nodes pull from without a secret (their node role's
   * account and region). Default: the client's registry and region.
   */
  cluster?: RegistryLocation;
  /** The client for an image's registry and region (default: `client.forRegistry`, the same transport and credentials). */
  clientFor?: (registry: RegistryLocation) => EcrClient;
  signal?: AbortSignal;
}

/** What became of one image reference. */
export const PinStatus = {
  /** Resolved to a digest; the file gets `repo@sha256:…`. */
  Pinned: 'pinned',
  /** Already a digest reference, and the image passed every check. */
  AlreadyPinned: 'already-pinned',
  /** Left as written, with a one-line reason: it does not exist, fails the gate or cannot run there. */
  Refused: 'refused',
  /** Not an ECR private registry image (Docker Hub, ECR Public, a template variable): left alone. */
  Skipped: 'skipped',
} as const;
/** One of {@link PinStatus}. */
export type PinStatus = (typeof PinStatus)[keyof typeof PinStatus];

/** One image reference of a file and its outcome. */
export interface PinnedReference extends ImageSite {
  status: PinStatus;
  /** The digest-pinned reference (pinned and already pinned). */
  pinned?: string;
  digest?: string;
  /** Why it was refused or skipped, in one line. */
  reason?: string;
}

/** An image pull Secret a Kubernetes workload needs, because its image is outside the cluster's registry. */
export interface PullSecretNeed extends RegistryLocation {
  namespace: string;
  /** The name the pod spec lists (when it lists one), else `ecr-<account>-<region>`. */
  name: string;
  /** Whether the pod spec already lists imagePullSecrets (otherwise the reference is refused). */
  listed: boolean;
  /** The references that need it, as `file: location`. */
  for: string[];
}

/** One file's outcome. */
export interface PinFileResult {
  name: string;
  format: DeployFileFormat;
  /** The file with every pinned reference replaced; refused and skipped ones as written. */
  text: string;
  /** Whether `text` differs from the input. */
  changed: boolean;
  references: PinnedReference[];
}

/** The result of {@link pinDeployFiles}. */
export interface PinResult {
  files: PinFileResult[];
  /** Every refused reference of every file. */
  refused: (PinnedReference & { file: string })[];
  /** The pull Secrets Kubernetes workloads need (one per namespace, name and registry). */
  pullSecrets: PullSecretNeed[];
}

/** What is known about one image, found once per reference text. */
interface Resolved {
  ref: ImageReference;
  digest: string;
  /** The platforms of an index with their manifests' digests, or the single image's own platform. */
  platforms: { platform: Platform; digest?: string }[];
  index: boolean;
  /** Why the scan gate failed (empty when it passed or no thresholds were given). */
  gate: string[];
}

const indexTypes: ReadonlySet<string> = new Set([MediaType.DockerManifestList, MediaType.OciIndex]);

function platformMatches(have: Platform, want: Platform): boolean {
  const h = normalizePlatform(have);
  const w = normalizePlatform(want);
  return h.os === w.os && h.architecture === w.architecture;
}

function platformsText(platforms: Resolved['platforms']): string {
  return platforms.length ? platforms.map((p) => formatPlatform(p.platform)).join(', ') : 'no platform';
}

/** `host/repository@digest`, the host as written (FIPS and dual-stack hosts stay what they were). */
function digestReference(ref: ImageReference, digest: string): string {
  const { tag: _tag, digest: _digest, ...rest } = ref;
  return formatImageReference({ ...rest, digest });
}

/** The `ecr-<account>-<region>` name suggested for a registry's pull Secret. */
function secretName(registry: RegistryLocation): string {
  return `ecr-${registry.registryId}-${registry.region}`;
}

class Resolver {
  readonly #client: EcrClient;
  readonly #options: PinOptions;
  readonly #cache = new Map<string, Promise<Resolved | { refused: string }>>();

  constructor(client: EcrClient, options: PinOptions) {
    this.#client = client;
    this.#options = options;
  }

  /** Resolve a reference once per text: existence and the gate via `getImageForDeployment` (an index: each platform's), then the platforms. */
  resolve(image: string, ref: ImageReference, needPlatforms: boolean): Promise<Resolved | { refused: string }> {
    const key = `${image}|${needPlatforms}`;
    let found = this.#cache.get(key);
    if (!found) {
      found = this.#resolve(ref, needPlatforms);
      this.#cache.set(key, found);
    }
    return found;
  }

  async #resolve(ref: ImageReference, needPlatforms: boolean): Promise<Resolved | { refused: string }> {
    const registry = { registryId: ref.registryId!, region: ref.region! };
    const client = this.#options.clientFor ? this.#options.clientFor(registry) : this.#client.forRegistry(registry);
    const signal = this.#options.signal;
    const opts = signal ? { signal } : {};
    const wanted = ref.digest ?? ref.tag ?? 'latest';
    let deployment: Awaited<ReturnType<EcrClient['getImageForDeployment']>>;
    try {
      deployment = await client.getImageForDeployment(ref.repositoryName, wanted, {
        ...(this.#options.thresholds ? { thresholds: this.#options.thresholds } : {}),
        ...opts,
      });
    } catch (err) {
      if (isEcrError(err) && err.kind === 'RepositoryNotFound')
        return { refused: `repository ${ref.repositoryName} does not exist in ${registry.registryId}/${registry.region}` };
      if (isEcrError(err) && err.kind === 'ImageNotFound')
        return { refused: `${ref.digest ? 'digest' : 'tag'} ${wanted} does not exist in ${ref.repositoryName}` };
      throw err;
    }
    const digest = deployment.digest;
    const index = indexTypes.has(deployment.image.imageManifestMediaType ?? '');
    const thresholds = this.#options.thresholds;
    let gate = deployment.gate.passed ? [] : deployment.gate.reasons;
    let platforms: Resolved['platforms'] = [];
    if (needPlatforms || (index && thresholds)) {
      if (index) {
        const list = await client.manifests.getManifestList(ref.repositoryName, { imageDigest: digest }, opts);
        platforms = list.manifest.manifests.flatMap((m) => (m.platform ? [{ platform: m.platform, digest: m.digest }] : []));
      } else {
        const config = await client.manifests.getImageConfig(ref.repositoryName, { imageDigest: digest }, opts);
        platforms = [{ platform: { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) } }];
      }
    }
    if (index && thresholds) {
      // ECR scans the platform images, not the index: the gate applies to each of them.
      gate = [];
      for (const { platform, digest: child } of platforms) {
        if (!child) continue;
        const verdict = await client.getImageForDeployment(ref.repositoryName, child, { thresholds, ...opts });
        if (!verdict.gate.passed) gate.push(`${formatPlatform(platform)}: ${verdict.gate.reasons.join(', ')}`);
      }
    }
    return { ref, digest, platforms, index, gate };
  }
}

/** Why an image cannot run where the site puts it, or `undefined` when it can. */
function platformProblem(site: ImageSite, resolved: Resolved): string | undefined {
  const want = site.platform;
  if (site.singlePlatform && resolved.index) {
    const match = want ? resolved.platforms.find((p) => platformMatches(p.platform, want)) : undefined;
    const pin = match?.digest ? digestReference(resolved.ref, match.digest) : undefined;
    const hint = match && pin ? `; pin its ${formatPlatform(match.platform)} manifest instead: ${pin}` : '';
    return `is a multi-platform index (${platformsText(resolved.platforms)}); Lambda needs a single-platform image${hint}`;
  }
  if (!want) return undefined;
  const ok = resolved.index
    ? resolved.platforms.some((p) => platformMatches(p.platform, want))
    : resolved.platforms.every((p) => platformMatches(p.platform, want));
  if (ok) return undefined;
  const what = site.singlePlatform ? `the function's Architectures need ${formatPlatform(want)}` : `the task's runtimePlatform needs ${formatPlatform(want)}`;
  return `is ${platformsText(resolved.platforms)} only; ${what}`;
}

/**
 * Pin the ECR image references of deploy files to digests (`repo@sha256:…`): Kubernetes
 * manifests, ECS task definitions and Lambda function configurations (see `parseDeployFile`).
 * Each reference is resolved once with `getImageForDeployment` (so the scan gate applies when
 * `thresholds` are given) and refused, with one line saying why, when the image does not exist,
 * fails the gate, or cannot run where it goes: a Lambda function needs a single-platform image
 * of its `Architectures`; an ECS task's `runtimePlatform` must be among the image's platforms;
 * a Kubernetes workload whose image is in another account or region than `cluster` needs
 * `imagePullSecrets` (the Secrets needed are listed in `pullSecrets`; `client.auth.imagePullSecret`
 * of that registry makes one). References outside ECR private registries are skipped. Pure:
 * text in, text out; the caller reads and writes files.
 *
 * @throws EcrError kind `InvalidParameter` (field `file`) for a file that is not one of the formats;
 * transport and credential errors (not-found images are refusals, not errors).
 * @example
 * const { files, refused } = await pinDeployFiles([{ name: 'web.yaml', text }], client, { thresholds: { maxCritical: 0 } });
 * if (refused.length === 0) await writeFile('web.yaml', files[0].text);
 */
export async function pinDeployFiles(files: readonly { name: string; text: string }[], client: EcrClient, options: PinOptions = {}): Promise<PinResult> {
  if (!Array.isArray(files))
    throw new EcrError({ kind: 'InvalidParameter', field: 'files', message: `Invalid parameter 'files': must be a list of { name, text }` });
  if (options.clientFor !== undefined && typeof options.clientFor !== 'function') {
    throw new EcrError({
      kind: 'InvalidParameter',
      field: 'clientFor',
      message: `Invalid parameter 'clientFor': must be a function from registry to EcrClient`,
    });
  }
  // Parse everything first: a malformed file fails before any request.
  const parsed = files.map((f) => ({ name: f.name, file: parseDeployFile(f.text, f.name) }));
  const resolver = new Resolver(client, options);
  let cluster: RegistryLocation | undefined = options.cluster;
  const clusterOf = async (): Promise<RegistryLocation> => {
    if (cluster) return cluster;
    const signal = options.signal ? { signal: options.signal } : {};
    // The login host names the account on ECR; a simulation or proxy serves at its own address, so ask the registry.
    const host = await client.resolveRegistryUri(signal);
    const registryId =
      client.config.registryId ??
      (isPrivateRegistryHost(host) ? host.split('.')[0] : undefined) ??
      (await client.replication.getConfiguration(signal)).registryId ??
      '';
    cluster = { registryId, region: client.region };
    return cluster;
  };
  const result: PinResult = { files: [], refused: [], pullSecrets: [] };
  const secrets = new Map<string, PullSecretNeed>();

  for (const [fileIndex, { name, file }] of parsed.entries()) {
    const references: PinnedReference[] = [];
    const replacements = new Map<number, string>();
    for (const [index, site] of file.sites.entries()) {
      const out: PinnedReference = { ...site, status: PinStatus.Skipped };
      references.push(out);
      if (!site.image.includes('/') || !isPrivateRegistryHost(site.image.slice(0, site.image.indexOf('/')))) {
        out.reason = site.image.startsWith('public.ecr.aws/') ? 'an ECR Public image (not pinned)' : 'not an ECR private registry image';
        continue;
      }
      let ref: ImageReference;
      try {
        ref = parseImageReference(site.image);
      } catch (err) {
        out.status = PinStatus.Refused;
        out.reason = `is not a valid image reference: ${isEcrError(err) ? err.message.replace(/^Invalid parameter 'imageReference':\s*/, '') : String(err)}`;
        continue;
      }
      const resolved = await resolver.resolve(site.image, ref, site.platform !== undefined || site.singlePlatform === true);
      if ('refused' in resolved) {
        out.status = PinStatus.Refused;
        out.reason = resolved.refused;
        continue;
      }
      const pinned = digestReference(ref, resolved.digest);
      // The most basic problem is the one reported: cannot run there, then the gate.
      const problem = platformProblem(site, resolved) ?? (resolved.gate.length > 0 ? `fails the scan gate: ${resolved.gate.join('; ')}` : undefined);
      if (problem) {
        out.status = PinStatus.Refused;
        out.reason = problem;
        continue;
      }
      if (site.kubernetes) {
        const home = await clusterOf();
        if (ref.registryId !== home.registryId || ref.region !== home.region) {
          const registry = { registryId: ref.registryId!, region: ref.region! };
          const listed = site.kubernetes.imagePullSecrets;
          const secret = listed.length === 1 ? listed[0]! : secretName(registry);
          const key = `${site.kubernetes.namespace}/${secret}/${registry.registryId}/${registry.region}`;
          const need = secrets.get(key) ?? { ...registry, namespace: site.kubernetes.namespace, name: secret, listed: listed.length > 0, for: [] };
          need.for.push(`${name}: ${site.location}`);
          secrets.set(key, need);
          if (listed.length === 0) {
            out.status = PinStatus.Refused;
            out.reason = `is in ${registry.registryId}/${registry.region}, which the cluster's nodes (${home.registryId}/${home.region}) pull from only with an imagePullSecret; list one in the pod spec, e.g. ${secret}`;
            continue;
          }
        }
      }
      out.digest = resolved.digest;
      out.pinned = ref.digest ? site.image : pinned;
      out.status = ref.digest ? PinStatus.AlreadyPinned : PinStatus.Pinned;
      if (!ref.digest) replacements.set(index, pinned);
    }
    const text = file.withImages(replacements);
    result.files.push({ name, format: file.format, text, changed: text !== files[fileIndex]?.text, references });
    for (const r of references) if (r.status === PinStatus.Refused) result.refused.push({ ...r, file: name });
  }
  result.pullSecrets = [...secrets.values()];
  return result;
}
