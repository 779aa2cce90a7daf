import { invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import { readOptions } from './readOptions.js';
import { partitionOf } from './partitions.js';
import { isValidDigest, isValidImageTag, isValidPublicRepositoryName, isValidRegion, isValidRegistryId, isValidRepositoryName } from './validation.js';

/** The parts of an ECR image reference. */
export interface ImageReference {
  /** The account id of a private registry. */
  registryId?: string;
  /** The region of a private registry. */
  region?: string;
  repositoryName: string;
  tag?: string;
  digest?: string;
  /** True for `public.ecr.aws` references. */
  public: boolean;
  /** The registry alias of a public reference (`public.ecr.aws/<alias>/<repo>`). */
  publicAlias?: string;
  /** The registry host as written; {@link formatImageReference} derives the standard one when absent. */
  host?: string;
}

const field = 'imageReference';
const publicHost = 'public.ecr.aws';
/** ECR Public registry aliases: 2–50 characters (`RegistryIdOrAlias`), lowercase words joined by `.`, `_` or `-`. */
const aliasPattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * Private registry hosts, from the ECR user guide ("Making requests to Amazon ECR registries"):
 * `<account>.dkr.ecr.<region>.amazonaws.com`, FIPS `<account>.dkr.ecr-fips.<region>.amazonaws.com`,
 * dual-stack `<account>.dkr-ecr.<region>.on.aws` (and `dkr-ecr-fips`). China regions use
 * `amazonaws.com.cn` and, dual-stack, `on.amazonwebservices.com.cn`.
 */
const privateHostPattern = /^([^.]+)\.(dkr\.ecr|dkr\.ecr-fips|dkr-ecr|dkr-ecr-fips)\.([^.]+)\.(.+)$/;

/**
 * Whether a host is an ECR private registry (`<account>.dkr.ecr.<region>.amazonaws.com`, FIPS,
 * dual-stack and China hosts) by its shape, before {@link parseImageReference} checks its parts.
 *
 * @example isPrivateRegistryHost('123456789012.dkr.ecr.us-east-1.amazonaws.com') // true; 'docker.io' // false
 */
export function isPrivateRegistryHost(host: string): boolean {
  return typeof host === 'string' && privateHostPattern.test(host.toLowerCase());
}

function fail(problem: string): never {
  throw invalidParameter(field, problem);
}

/** The domain a private registry host must end in, for its endpoint kind and region (none: no dual-stack there). */
function expectedSuffix(kind: string, region: string): string | undefined {
  const partition = partitionOf(region);
  return kind.startsWith('dkr-ecr') ? partition.registryDualStackDnsSuffix : partition.dnsSuffix;
}

/**
 * Parse an ECR image reference: `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag][@digest]`
 * (also FIPS, dual-stack, China and GovCloud hosts) or `public.ecr.aws/<alias>/<repo>[:tag][@digest]`.
 * The host is matched case-insensitively and returned lowercased.
 *
 * @throws EcrError kind `InvalidParameter` (field `imageReference`) saying which part is wrong.
 * @example
 * parseImageReference('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2')
 * // { registryId: '123456789012', region: 'eu-west-1', repositoryName: 'team/app', tag: '1.2', public: false, host: '…' }
 */
export function parseImageReference(ref: unknown): ImageReference {
  if (typeof ref !== 'string') fail(`must be a string, got ${describeValue(ref)}`);
  if (ref.length === 0) fail('is empty');
  if (ref.length > 1024) fail(`is longer than 1024 characters (${ref.length})`);
  if (/\s/.test(ref)) fail('contains whitespace');
  if (ref.includes('://')) fail('must not include a scheme such as https://; write host/repository[:tag]');

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) fail("has an invalid digest after '@': expected 'sha256:' and 64 lowercase hex digits");
  }

  const slash = rest.indexOf('/');
  if (slash < 0) fail(`${describeValue(ref)} has no repository after the registry host`);
  const host = rest.slice(0, slash).toLowerCase();
  let path = rest.slice(slash + 1);

  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!isValidImageTag(tag)) {
      fail("has an invalid tag after ':': 1–300 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
    }
  }
  if (path.length === 0) fail('has an empty repository name');

  if (host === publicHost) {
    const aliasEnd = path.indexOf('/');
    if (aliasEnd < 0) fail(`public references are public.ecr.aws/<alias>/<repository>; ${describeValue(ref)} has no alias`);
    const publicAlias = path.slice(0, aliasEnd);
    const repositoryName = path.slice(aliasEnd + 1);
    if (publicAlias.length < 2 || publicAlias.length > 50 || !aliasPattern.test(publicAlias)) {
      fail("has an invalid public registry alias: 2–50 lowercase letters and digits joined by '.', '_' or '-'");
    }
    if (!isValidPublicRepositoryName(repositoryName)) {
      fail('has an invalid public repository name: 2–205 characters of lowercase words joined by one of . _ - and /');
    }
    return compact({ repositoryName, tag, digest, public: true, publicAlias, host });
  }

  const m = privateHostPattern.exec(host);
  if (!m) {
    fail(
      `host ${describeValue(host)} is not an Amazon ECR registry: expected <account>.dkr.ecr.<region>.amazonaws.com ` +
        '(or .dkr.ecr-fips., .dkr-ecr.<region>.on.aws, amazonaws.com.cn) or public.ecr.aws',
    );
  }
  const [, registryId = '', kind = '', region = '', suffix = ''] = m;
  if (!isValidRegistryId(registryId)) fail('has a registry host whose account id is not exactly 12 digits');
  if (!isValidRegion(region)) fail(`has a registry host whose region ${describeValue(region)} is not a region name`);
  const expected = expectedSuffix(kind, region);
  if (expected === undefined) fail(`has a dual-stack registry host in ${region}, whose partition has no dual-stack endpoints`);
  if (suffix !== expected) {
    fail(`has a registry host ending in ${describeValue(suffix)}; for ${kind} in ${region} it must end in '${expected}'`);
  }
  if (!isValidRepositoryName(path)) {
    fail("has an invalid repository name: 2–256 characters of lowercase letters and digits joined by '.', '_', '__' or '-', namespaces by '/'");
  }
  return compact({ registryId, region, repositoryName: path, tag, digest, public: false, host });
}

/** The standard registry host for a private registry, or `public.ecr.aws`. */
export function registryHost(parts: { registryId: string; region: string }): string {
  const { registryId, region } = readOptions(parts ?? null, ['registryId', 'region'], 'parts');
  if (typeof registryId !== 'string' || typeof region !== 'string') throw invalidParameter('parts', 'must have string registryId and region');
  return `${registryId}.dkr.ecr.${region}.${partitionOf(region).dnsSuffix}`;
}

/**
 * Format image reference parts; the inverse of {@link parseImageReference}. Uses `host` when
 * given, otherwise the standard host (`<registryId>.dkr.ecr.<region>.amazonaws.com[.cn]`, or
 * `public.ecr.aws` with `publicAlias`).
 *
 * @throws EcrError kind `InvalidParameter` (field `imageReference`) when parts are missing or invalid.
 * @example formatImageReference({ registryId: '123456789012', region: 'us-east-1', repositoryName: 'app', tag: 'v1', public: false })
 */
export function formatImageReference(reference: ImageReference): string {
  const parts = readReference(reference);
  const suffix = (parts.tag !== undefined ? `:${parts.tag}` : '') + (parts.digest !== undefined ? `@${parts.digest}` : '');
  let text: string;
  if (parts.public) {
    if (parts.publicAlias === undefined) fail('a public reference needs publicAlias');
    text = `${parts.host ?? publicHost}/${parts.publicAlias}/${parts.repositoryName}${suffix}`;
  } else {
    if (parts.host === undefined && (parts.registryId === undefined || parts.region === undefined)) {
      fail('a private reference needs host, or registryId and region');
    }
    const host = parts.host ?? registryHost({ registryId: parts.registryId ?? '', region: parts.region ?? '' });
    text = `${host}/${parts.repositoryName}${suffix}`;
  }
  const parsed = parseImageReference(text);
  for (const key of ['registryId', 'region', 'publicAlias'] as const) {
    if (parts[key] !== undefined && parsed[key] !== parts[key]) fail(`${key} disagrees with the host`);
  }
  if (parsed.public !== parts.public) fail('public disagrees with the host');
  return text;
}

const referenceFields = ['registryId', 'region', 'repositoryName', 'tag', 'digest', 'public', 'host', 'publicAlias'] as const;

/** Reference parts read once: strings where set, `public` a boolean. */
function readReference(value: unknown): ImageReference {
  const parts = readOptions(value ?? null, referenceFields, field);
  for (const key of referenceFields) {
    const v = parts[key];
    if (v !== undefined && typeof v !== (key === 'public' ? 'boolean' : 'string'))
      fail(`${key} must be a ${key === 'public' ? 'boolean' : 'string'}, got ${describeValue(v)}`);
  }
  return parts as unknown as ImageReference;
}

function compact(ref: { [K in keyof ImageReference]: ImageReference[K] | undefined }): ImageReference {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(ref)) if (v !== undefined) out[k] = v;
  return out as unknown as ImageReference;
}
