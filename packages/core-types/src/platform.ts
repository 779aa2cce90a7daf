import { invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import { readOptions } from './readOptions.js';
import type { ManifestList, PlatformManifest } from './manifest.js';

/**
 * A platform as written in an image index entry (`os.version` and `os.features` are spelled
 * `osVersion` and `osFeatures` here).
 */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  osFeatures?: string[];
}

const componentPattern = /^[a-z0-9_.-]+$/;
const osVersionPattern = /^[A-Za-z0-9_.-]+$/;

/**
 * Architecture aliases and the variant they imply, after containerd's `normalizeArch`
 * (containerd/platforms: database.go): `aarch64` is `arm64`, `x86_64` is `amd64`, `armhf` is
 * `arm/v7`, `armel` is `arm/v6`, `i386` is `386`.
 */
const archAliases: Readonly<Record<string, { architecture: string; variant?: string }>> = {
  aarch64: { architecture: 'arm64' },
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
  i386: { architecture: '386' },
};

const osAliases: Readonly<Record<string, string>> = { macos: 'darwin' };

function normaliseVariant(architecture: string, variant: string | undefined): string | undefined {
  if (variant === undefined || variant === '') return undefined;
  const v = variant.toLowerCase();
  // containerd accepts bare numbers ("7", "8") and arm64's "8.0" for the v-prefixed forms.
  if (/^[0-9]+(\.[0-9]+)?$/.test(v)) {
    return architecture === 'arm64' && v === '8.0' ? 'v8' : `v${v}`;
  }
  if (architecture === 'arm64' && v === 'v8.0') return 'v8';
  return v;
}

/**
 * A platform object read once: string `os` and `architecture` (required), string `variant` and
 * `osVersion`, an array of strings `osFeatures`; anything else is `InvalidParameter` naming `field`.
 */
function readPlatform(value: unknown, field: string): Platform {
  const { os, architecture, variant, osVersion, osFeatures } = readOptions(value ?? null, ['os', 'architecture', 'variant', 'osVersion', 'osFeatures'], field);
  if (typeof os !== 'string' || typeof architecture !== 'string') throw invalidParameter(field, 'must have string os and architecture');
  const out: Platform = { os, architecture };
  if (variant !== undefined) {
    if (typeof variant !== 'string') throw invalidParameter(`${field}.variant`, `must be a string, got ${describeValue(variant)}`);
    out.variant = variant;
  }
  if (osVersion !== undefined) {
    if (typeof osVersion !== 'string') throw invalidParameter(`${field}.osVersion`, `must be a string, got ${describeValue(osVersion)}`);
    out.osVersion = osVersion;
  }
  if (osFeatures !== undefined) {
    if (!Array.isArray(osFeatures) || !osFeatures.every((f) => typeof f === 'string'))
      throw invalidParameter(`${field}.osFeatures`, 'must be an array of strings');
    out.osFeatures = osFeatures;
  }
  return out;
}

/**
 * Normalise names and aliases without inventing defaults: lowercase os and architecture,
 * `aarch64` → `arm64`, `x86_64` → `amd64`, `armhf` → `arm` + `v7`, `macos` → `darwin`, numeric
 * variants get a `v`. The result is what {@link parsePlatform} returns.
 */
export function normalizePlatform(value: Platform): Platform {
  const platform = readPlatform(value, 'platform');
  const os = platform.os.toLowerCase();
  let architecture = platform.architecture.toLowerCase();
  let variant = typeof platform.variant === 'string' ? platform.variant : undefined;
  const alias = archAliases[architecture];
  if (alias) {
    architecture = alias.architecture;
    variant = alias.variant ?? variant;
  }
  const out: Platform = { os: osAliases[os] ?? os, architecture };
  const v = normaliseVariant(architecture, variant);
  if (v !== undefined) out.variant = v;
  if (typeof platform.osVersion === 'string') out.osVersion = platform.osVersion;
  if (Array.isArray(platform.osFeatures)) out.osFeatures = [...platform.osFeatures];
  return out;
}

/**
 * Parse `os/architecture[/variant]`, with Windows' version in parentheses as containerd writes
 * it: `windows(10.0.17763.5458)/amd64`. Aliases are normalised (see {@link normalizePlatform}).
 *
 * @throws EcrError kind `InvalidParameter`, field `platform`.
 * @example parsePlatform('linux/arm64/v8') // { os: 'linux', architecture: 'arm64', variant: 'v8' }
 */
export function parsePlatform(text: unknown): Platform {
  if (typeof text !== 'string') throw invalidParameter('platform', `must be a string, got ${describeValue(text)}`);
  if (text.length === 0 || text.length > 200) {
    throw invalidParameter('platform', `must be 1–200 characters like 'linux/amd64', got ${text.length}`);
  }
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3) {
    throw invalidParameter('platform', `${describeValue(text)} is not 'os/architecture[/variant]'`);
  }
  let [osPart = '', architecture = '', variant] = parts;
  let osVersion: string | undefined;
  const paren = /^([^()]*)\(([^()]*)\)$/.exec(osPart);
  if (paren) {
    osPart = paren[1] ?? '';
    osVersion = paren[2] ?? '';
    if (!osVersionPattern.test(osVersion)) {
      throw invalidParameter('platform', 'the os version in parentheses must be letters, digits, dots, dashes or underscores');
    }
  }
  const check = (value: string, what: string): string => {
    const lower = value.toLowerCase();
    if (!componentPattern.test(lower)) {
      throw invalidParameter('platform', `the ${what} of ${describeValue(text)} must be letters, digits, '.', '_' or '-'`);
    }
    return lower;
  };
  const p: Platform = { os: check(osPart, 'os'), architecture: check(architecture, 'architecture') };
  if (variant !== undefined) p.variant = check(variant, 'variant');
  if (osVersion !== undefined) p.osVersion = osVersion;
  return normalizePlatform(p);
}

/**
 * Format a platform as `os/architecture[/variant]`, with `(osVersion)` after the os when set,
 * the inverse of {@link parsePlatform}.
 *
 * @example formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }) // 'linux/arm/v7'
 */
export function formatPlatform(value: Platform): string {
  const platform = readPlatform(value, 'platform');
  const os = platform.osVersion ? `${platform.os}(${platform.osVersion})` : platform.os;
  return platform.variant ? `${os}/${platform.architecture}/${platform.variant}` : `${os}/${platform.architecture}`;
}

/** The variant a platform means when it names none (containerd: arm64 ⇒ v8, arm ⇒ v7, amd64 ⇒ v1). */
function effectiveVariant(p: Platform): string | undefined {
  if (p.variant !== undefined) return p.variant;
  if (p.architecture === 'arm64') return 'v8';
  if (p.architecture === 'arm') return 'v7';
  if (p.architecture === 'amd64') return 'v1';
  return undefined;
}

interface Candidate {
  architecture: string;
  variant: string | undefined;
}

function versionNumber(variant: string | undefined): number | undefined {
  const m = variant === undefined ? null : /^v([0-9]+)$/.exec(variant);
  return m ? Number(m[1]) : undefined;
}

/**
 * The (architecture, variant) pairs that can run on `wanted`, best first, as containerd's
 * `platformVector` builds them: amd64/vN runs vN..v1 then 386; arm64/vN runs vN..v8 then
 * arm/v8..v5; arm/vN runs vN..v5.
 */
function compatibleCandidates(wanted: Platform): Candidate[] {
  const variant = effectiveVariant(wanted);
  const n = versionNumber(variant);
  const out: Candidate[] = [{ architecture: wanted.architecture, variant }];
  if (wanted.architecture === 'amd64') {
    for (let v = (n ?? 1) - 1; v >= 1; v--) out.push({ architecture: 'amd64', variant: `v${v}` });
    out.push({ architecture: '386', variant: undefined });
  } else if (wanted.architecture === 'arm64') {
    for (let v = (n ?? 8) - 1; v >= 8; v--) out.push({ architecture: 'arm64', variant: `v${v}` });
    for (let v = 8; v >= 5; v--) out.push({ architecture: 'arm', variant: `v${v}` });
  } else if (wanted.architecture === 'arm' && n !== undefined) {
    for (let v = n - 1; v >= 5; v--) out.push({ architecture: 'arm', variant: `v${v}` });
  }
  return out;
}

/** Windows matches on `major.minor.build`; the revision may differ (containerd's windows matcher). */
function buildPrefix(osVersion: string): string {
  return osVersion.split('.').slice(0, 3).join('.');
}

/**
 * Pick the index entry that best runs on `platform`, following containerd's platform matching:
 * os must match; architecture aliases are normalised; a missing variant means arm64 ⇒ v8,
 * arm ⇒ v7, amd64 ⇒ v1; older compatible variants are accepted in order (asking for
 * `linux/arm/v7` takes v7, then v6, then v5; `linux/amd64/v3` takes v3, v2, v1, then 386;
 * `linux/arm64` falls back to `arm/v8`..`arm/v5`). For Windows with an `osVersion`, entries whose
 * `os.version` shares its `major.minor.build` are preferred, entries without one come next,
 * others never match. Ties go to the earlier entry. Entries without a platform (attestations) never match.
 *
 * @throws EcrError kind `InvalidParameter` (field `platform`) when `platform` does not parse.
 * @example selectPlatform(index, 'linux/arm64')?.digest
 */
export function selectPlatform(list: ManifestList, platform: Platform | string): PlatformManifest | undefined {
  const wanted = normalizePlatform(typeof platform === 'string' ? parsePlatform(platform) : readPlatform(platform, 'platform'));
  const { manifests } = readOptions(list ?? null, ['manifests'], 'list');
  if (!Array.isArray(manifests)) throw invalidParameter('list.manifests', 'must be an array');
  const entries = (manifests as PlatformManifest[])
    .filter((m): m is PlatformManifest & { platform: Platform } => typeof m === 'object' && m !== null && m.platform !== undefined)
    .map((m) => ({ entry: m, p: normalizePlatform(readPlatform(m.platform, 'list.manifests[].platform')) }))
    .filter(({ p }) => p.os === wanted.os);

  const wantedBuild = wanted.os === 'windows' && wanted.osVersion ? buildPrefix(wanted.osVersion) : undefined;
  const rank = (p: Platform): number => {
    if (wantedBuild === undefined) return 0;
    if (p.osVersion === undefined) return 1;
    return buildPrefix(p.osVersion) === wantedBuild ? 0 : -1;
  };

  for (const candidate of compatibleCandidates(wanted)) {
    let best: { entry: PlatformManifest; rank: number } | undefined;
    for (const { entry, p } of entries) {
      if (p.architecture !== candidate.architecture || effectiveVariant(p) !== candidate.variant) continue;
      const r = rank(p);
      if (r < 0) continue;
      if (!best || r < best.rank) best = { entry, rank: r };
    }
    if (best) return best.entry;
  }
  return undefined;
}
