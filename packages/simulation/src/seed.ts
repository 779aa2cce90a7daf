import {
  EcrError,
  invalidParameter,
  isEcrError,
  isValidImageTag,
  isValidRegion,
  parsePlatform,
  severities,
  validateLifecyclePolicy,
  type ImageTagMutability,
} from '@ecrkit/core-types';
import type { ScanFindingsCounts } from '@ecrkit/core-types';
import type { FindingSpec } from './internal/state.js';
import { checkRepositoryName } from './operations/names.js';
import { checkRepositoryPolicy } from './operations/policies.js';
import { checkBaseNames } from './internal/imageFactory.js';
import { SimulatedRegistry } from './SimulatedRegistry.js';
import { checkReadable, optionsArgument, stringArgument } from './internal/arguments.js';

/** An image in a seed: generated, with valid blobs and manifests, like `withImage`. */
export interface SeedImage {
  /** Default `['latest']`; `[]` for an untagged image. */
  tags?: string[];
  /** Several platforms make a multi-architecture index, e.g. `['linux/amd64', 'linux/arm64/v8']`. */
  platforms?: string[];
  platform?: string;
  layers?: number;
  layerSize?: number;
  mediaType?: 'docker' | 'oci';
  /** Build on this named base image, or a chain of them outermost first: images on one base share its three layers. */
  base?: string | string[];
  /** ISO 8601 push time. */
  pushedAt?: string;
  /** Pushed this many days before the registry clock's "now" (ignored when `pushedAt` is set). */
  ageDays?: number;
  /** A completed scan with these findings: counts by severity, or findings. A multi-platform image's go to each platform image, which is what ECR scans. */
  findings?: ScanFindingsCounts | Partial<FindingSpec>[];
  /** Report the findings as enhanced (Amazon Inspector) findings. */
  enhanced?: boolean;
}

/** A private repository in a seed. */
export interface SeedRepository {
  name: string;
  tagMutability?: ImageTagMutability;
  scanOnPush?: boolean;
  /** Resource tags. */
  tags?: Record<string, string>;
  lifecyclePolicy?: string | object;
  repositoryPolicy?: string | object;
  images?: SeedImage[];
}

/** An ECR Public repository in a seed. */
export interface SeedPublicRepository {
  name: string;
  catalogData?: { description?: string; architectures?: string[]; operatingSystems?: string[]; aboutText?: string; usageText?: string };
  images?: SeedImage[];
}

/** One region of an account in a seed. */
export interface SeedRegion {
  region: string;
  repositories?: SeedRepository[];
  /** Registry replication: pushes replicate to these destinations (`registryId` defaults to the account). */
  replication?: { destinations: { region: string; registryId?: string }[]; repositoryPrefixes?: string[] };
  /** Registry scanning configuration. */
  scanning?: { scanType: 'BASIC' | 'ENHANCED'; rules?: { scanFrequency: 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL'; repositoryFilters: string[] }[] };
  pullThroughCacheRules?: { ecrRepositoryPrefix: string; upstreamRegistryUrl: string; upstreamRegistry?: string; credentialArn?: string }[];
}

/** One account in a seed, with its regions and its ECR Public registry. */
export interface SeedAccount {
  accountId: string;
  regions?: SeedRegion[];
  public?: { alias?: string; displayName?: string; repositories?: SeedPublicRepository[] };
}

/**
 * A compact description of registry state. Top-level `repositories`, `replication`, `scanning`
 * and `public` are shorthand for the registry's default account and region; `accounts` declares
 * any number of accounts and regions.
 *
 * @example
 * { "repositories": [{ "name": "web-app", "images": [{ "tags": ["v1"], "findings": { "high": 2 } }] }] }
 */
export interface SeedFile {
  version?: 1;
  repositories?: SeedRepository[];
  replication?: SeedRegion['replication'];
  scanning?: SeedRegion['scanning'];
  pullThroughCacheRules?: SeedRegion['pullThroughCacheRules'];
  public?: SeedAccount['public'];
  accounts?: SeedAccount[];
}

function fail(path: string, problem: string): EcrError {
  return new EcrError({
    kind: 'InvalidParameter',
    awsCode: 'InvalidParameterException',
    statusCode: 400,
    field: path,
    message: `Invalid seed at '${path}': ${problem}`,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw fail(path, 'must be an object');
  return value;
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw fail(path, 'must be an array');
  return value;
}

function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) throw fail(path, `unknown property '${key}' (allowed: ${allowed.join(', ')})`);
}

function optionalString(obj: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw fail(`${path}.${key}`, 'must be a string');
  return v;
}

function count(obj: Record<string, unknown>, key: string, path: string, max: number): void {
  const v = obj[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw fail(`${path}.${key}`, `must be an integer from 0 to ${max}`);
}

/** Rewrap a core-types validation error with the seed path in front. */
function within<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (isEcrError(err)) throw fail(path, err.message);
    throw err;
  }
}

// core-types' severities, and the lower-case keys of its ScanFindingsCounts that seeds write.
const severityKeys = severities.map((s) => s.toLowerCase());

function checkImage(value: unknown, path: string, repoTags: Set<string>): void {
  const image = record(value, path);
  onlyKeys(image, ['tags', 'platforms', 'platform', 'layers', 'layerSize', 'mediaType', 'base', 'pushedAt', 'ageDays', 'findings', 'enhanced'], path);
  if (image.base !== undefined) within(`${path}.base`, () => checkBaseNames(image.base));
  for (const [i, tag] of list(image.tags, `${path}.tags`).entries()) {
    if (!isValidImageTag(tag)) throw fail(`${path}.tags[${i}]`, `'${String(tag)}' is not a valid image tag`);
    repoTags.add(tag);
  }
  const platforms = list(image.platforms, `${path}.platforms`);
  for (const [i, p] of platforms.entries()) within(`${path}.platforms[${i}]`, () => parsePlatform(p));
  if (image.platform !== undefined) within(`${path}.platform`, () => parsePlatform(image.platform));
  count(image, 'layers', path, 50);
  count(image, 'layerSize', path, 16 * 1024 * 1024);
  if (image.layers === 0) throw fail(`${path}.layers`, 'an image needs at least one layer');
  if (image.mediaType !== undefined && image.mediaType !== 'docker' && image.mediaType !== 'oci') throw fail(`${path}.mediaType`, "must be 'docker' or 'oci'");
  const pushedAt = optionalString(image, 'pushedAt', path);
  if (pushedAt !== undefined && Number.isNaN(Date.parse(pushedAt))) throw fail(`${path}.pushedAt`, `'${pushedAt}' is not an ISO 8601 time`);
  if (image.ageDays !== undefined && (typeof image.ageDays !== 'number' || !(image.ageDays >= 0)))
    throw fail(`${path}.ageDays`, 'must be a non-negative number');
  if (image.enhanced !== undefined && typeof image.enhanced !== 'boolean') throw fail(`${path}.enhanced`, 'must be a boolean');
  const findings = image.findings;
  if (findings === undefined) return;
  if (Array.isArray(findings)) {
    for (const [i, f] of findings.entries()) {
      const finding = record(f, `${path}.findings[${i}]`);
      if (typeof finding.name !== 'string') throw fail(`${path}.findings[${i}].name`, 'must be a string');
      if (!(severities as readonly string[]).includes(finding.severity as string))
        throw fail(`${path}.findings[${i}].severity`, `must be one of ${severities.join(', ')}`);
    }
  } else {
    const counts = record(findings, `${path}.findings`);
    onlyKeys(counts, severityKeys, `${path}.findings`);
    for (const key of severityKeys) count(counts, key, `${path}.findings`, 10_000);
  }
}

function checkPolicy(value: unknown, path: string, check: (text: string) => void): void {
  if (value === undefined) return;
  if (typeof value !== 'string' && !isRecord(value)) throw fail(path, 'must be JSON text or an object');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  within(path, () => check(text));
}

function checkRepository(value: unknown, path: string, isPublic: boolean): string {
  const repo = record(value, path);
  onlyKeys(
    repo,
    isPublic ? ['name', 'catalogData', 'images'] : ['name', 'tagMutability', 'scanOnPush', 'tags', 'lifecyclePolicy', 'repositoryPolicy', 'images'],
    path,
  );
  if (typeof repo.name !== 'string') throw fail(`${path}.name`, 'must be a string');
  const name = repo.name;
  within(`${path}.name`, () => checkRepositoryName(name, isPublic));
  if (
    repo.tagMutability !== undefined &&
    !['MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'].includes(repo.tagMutability as string)
  ) {
    throw fail(`${path}.tagMutability`, 'must be MUTABLE or IMMUTABLE');
  }
  if (repo.scanOnPush !== undefined && typeof repo.scanOnPush !== 'boolean') throw fail(`${path}.scanOnPush`, 'must be a boolean');
  if (repo.tags !== undefined) {
    for (const [k, v] of Object.entries(record(repo.tags, `${path}.tags`)))
      if (typeof v !== 'string' || k.length === 0) throw fail(`${path}.tags.${k}`, 'tag values must be strings');
  }
  checkPolicy(repo.lifecyclePolicy, `${path}.lifecyclePolicy`, (t) => validateLifecyclePolicy(t));
  checkPolicy(repo.repositoryPolicy, `${path}.repositoryPolicy`, (t) => checkRepositoryPolicy(t));
  if (repo.catalogData !== undefined) record(repo.catalogData, `${path}.catalogData`);
  const tags = new Set<string>();
  for (const [i, image] of list(repo.images, `${path}.images`).entries()) {
    checkImage(image, `${path}.images[${i}]`, tags);
    if (isPublic && (image as Record<string, unknown>).findings !== undefined) throw fail(`${path}.images[${i}].findings`, 'ECR Public images are not scanned');
  }
  return name;
}

function checkRegionBody(region: Record<string, unknown>, at: string, accountId: string | undefined, regionName: string | undefined): void {
  // The top level of a seed is region shorthand; its paths have no prefix.
  const path = at;
  const sub = (key: string) => (path ? `${path}.${key}` : key);
  const names = new Set<string>();
  for (const [i, r] of list(region.repositories, sub('repositories')).entries()) {
    const name = checkRepository(r, `${sub('repositories')}[${i}]`, false);
    if (names.has(name)) throw fail(`${sub('repositories')}[${i}].name`, `repository '${name}' is declared twice`);
    names.add(name);
  }
  if (region.replication !== undefined) {
    const rep = record(region.replication, sub('replication'));
    onlyKeys(rep, ['destinations', 'repositoryPrefixes'], `${sub('replication')}`);
    for (const [i, d] of list(rep.destinations, `${sub('replication')}.destinations`).entries()) {
      const dest = record(d, `${sub('replication')}.destinations[${i}]`);
      if (!isValidRegion(dest.region)) throw fail(`${sub('replication')}.destinations[${i}].region`, `'${String(dest.region)}' is not a region`);
      if (dest.registryId !== undefined && (typeof dest.registryId !== 'string' || !/^[0-9]{12}$/.test(dest.registryId))) {
        throw fail(`${sub('replication')}.destinations[${i}].registryId`, 'must be 12 digits');
      }
      if (dest.region === regionName && (dest.registryId ?? accountId) === accountId) {
        throw fail(`${sub('replication')}.destinations[${i}]`, 'a registry cannot replicate to itself');
      }
    }
    for (const [i, p] of list(rep.repositoryPrefixes, `${sub('replication')}.repositoryPrefixes`).entries()) {
      if (typeof p !== 'string' || p.length < 2) throw fail(`${sub('replication')}.repositoryPrefixes[${i}]`, 'must be a string of at least 2 characters');
    }
  }
  if (region.scanning !== undefined) {
    const scanning = record(region.scanning, `${sub('scanning')}`);
    if (scanning.scanType !== 'BASIC' && scanning.scanType !== 'ENHANCED') throw fail(`${sub('scanning')}.scanType`, 'must be BASIC or ENHANCED');
    for (const [i, r] of list(scanning.rules, `${sub('scanning')}.rules`).entries()) {
      const rule = record(r, `${sub('scanning')}.rules[${i}]`);
      if (!['SCAN_ON_PUSH', 'CONTINUOUS_SCAN', 'MANUAL'].includes(rule.scanFrequency as string))
        throw fail(`${sub('scanning')}.rules[${i}].scanFrequency`, 'must be SCAN_ON_PUSH, CONTINUOUS_SCAN or MANUAL');
      for (const [j, f] of list(rule.repositoryFilters, `${sub('scanning')}.rules[${i}].repositoryFilters`).entries()) {
        if (typeof f !== 'string' || f.length === 0) throw fail(`${sub('scanning')}.rules[${i}].repositoryFilters[${j}]`, 'must be a non-empty string');
      }
    }
  }
  for (const [i, r] of list(region.pullThroughCacheRules, `${sub('pullThroughCacheRules')}`).entries()) {
    const rule = record(r, `${sub('pullThroughCacheRules')}[${i}]`);
    if (typeof rule.ecrRepositoryPrefix !== 'string' || typeof rule.upstreamRegistryUrl !== 'string') {
      throw fail(`${sub('pullThroughCacheRules')}[${i}]`, 'needs ecrRepositoryPrefix and upstreamRegistryUrl strings');
    }
  }
}

function checkPublic(value: unknown, path: string): void {
  if (value === undefined) return;
  const pub = record(value, path);
  onlyKeys(pub, ['alias', 'displayName', 'repositories'], path);
  if (pub.alias !== undefined && (typeof pub.alias !== 'string' || !/^[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(pub.alias) || pub.alias.length > 50)) {
    throw fail(`${path}.alias`, 'must be 2-50 lowercase letters, digits, and . _ - separators, starting with a letter');
  }
  const names = new Set<string>();
  for (const [i, r] of list(pub.repositories, `${path}.repositories`).entries()) {
    const name = checkRepository(r, `${path}.repositories[${i}]`, true);
    if (names.has(name)) throw fail(`${path}.repositories[${i}].name`, `repository '${name}' is declared twice`);
    names.add(name);
  }
}

/**
 * Check a seed without applying it; `defaults` are the account and region the top-level
 * shorthand applies to (default 123456789012 and us-east-1). Throws `EcrError` kind `InvalidParameter` whose `field` is
 * the path of the first problem (e.g. `accounts[0].regions[1].repositories[2].images[0].tags[1]`).
 */
export function validateSeed(seed: unknown, defaults: { accountId?: string; region?: string } = {}): asserts seed is SeedFile {
  const { accountId, region } = optionsArgument<typeof defaults>(defaults, ['accountId', 'region'], 'defaults');
  if (accountId !== undefined) stringArgument(accountId, 'defaults.accountId');
  if (region !== undefined) stringArgument(region, 'defaults.region');
  checkReadable('seed', () => checkSeed(seed, { ...(accountId !== undefined ? { accountId } : {}), ...(region !== undefined ? { region } : {}) }));
}

function checkSeed(seed: unknown, defaults: { accountId?: string; region?: string }): void {
  const root = record(seed, 'seed');
  onlyKeys(root, ['version', 'repositories', 'replication', 'scanning', 'pullThroughCacheRules', 'public', 'accounts'], 'seed');
  if (root.version !== undefined && root.version !== 1)
    throw fail('version', `version ${typeof root.version === 'number' ? root.version : typeof root.version} is not supported (expected 1)`);
  checkRegionBody(root, '', defaults.accountId ?? '123456789012', defaults.region ?? 'us-east-1');
  checkPublic(root.public, 'public');
  const accountIds = new Set<string>();
  for (const [a, raw] of list(root.accounts, 'accounts').entries()) {
    const path = `accounts[${a}]`;
    const account = record(raw, path);
    onlyKeys(account, ['accountId', 'regions', 'public'], path);
    if (typeof account.accountId !== 'string' || !/^[0-9]{12}$/.test(account.accountId)) throw fail(`${path}.accountId`, 'must be 12 digits');
    if (accountIds.has(account.accountId)) throw fail(`${path}.accountId`, `account '${account.accountId}' is declared twice`);
    accountIds.add(account.accountId);
    const regions = new Set<string>();
    for (const [g, rawRegion] of list(account.regions, `${path}.regions`).entries()) {
      const rpath = `${path}.regions[${g}]`;
      const region = record(rawRegion, rpath);
      onlyKeys(region, ['region', 'repositories', 'replication', 'scanning', 'pullThroughCacheRules'], rpath);
      if (!isValidRegion(region.region)) throw fail(`${rpath}.region`, `'${String(region.region)}' is not a region`);
      if (regions.has(region.region)) throw fail(`${rpath}.region`, `region '${region.region}' is declared twice`);
      regions.add(region.region);
      checkRegionBody(region, rpath, account.accountId, region.region);
    }
    checkPublic(account.public, `${path}.public`);
  }
}

const dayMs = 86_400_000;

function pushImages(
  registry: SimulatedRegistry,
  repositoryName: string,
  images: readonly SeedImage[],
  where: { accountId: string; region: string; public: boolean },
): void {
  const now = registry.clock.now();
  for (const image of images) {
    const pushedAt = image.pushedAt !== undefined ? new Date(image.pushedAt) : image.ageDays !== undefined ? new Date(now - image.ageDays * dayMs) : undefined;
    const added = registry.addImage(repositoryName, {
      accountId: where.accountId,
      region: where.region,
      public: where.public,
      ...(image.tags !== undefined ? { tags: image.tags } : {}),
      ...(image.platforms !== undefined ? { platforms: image.platforms } : {}),
      ...(image.platform !== undefined ? { platform: image.platform } : {}),
      ...(image.layers !== undefined ? { layers: image.layers } : {}),
      ...(image.layerSize !== undefined ? { layerSize: image.layerSize } : {}),
      ...(image.mediaType !== undefined ? { mediaType: image.mediaType } : {}),
      ...(image.base !== undefined ? { base: image.base } : {}),
      ...(pushedAt !== undefined ? { pushedAt } : {}),
    });
    if (image.findings !== undefined) {
      // ECR scans an index's platform images, not the index.
      for (const digest of added.children ? added.children.map((c) => c.imageDigest) : [added.imageDigest]) {
        registry.withScanFindings(repositoryName, digest, image.findings as ScanFindingsCounts, {
          accountId: where.accountId,
          region: where.region,
          enhanced: image.enhanced ?? false,
        });
      }
    }
  }
}

function applyRegion(registry: SimulatedRegistry, accountId: string, regionName: string, region: SeedRegion | SeedFile): void {
  if (region.replication) {
    registry.configureReplication({
      accountId,
      region: regionName,
      destinations: region.replication.destinations,
      ...(region.replication.repositoryPrefixes ? { repositoryPrefixes: region.replication.repositoryPrefixes } : {}),
    });
  }
  const calls: { operation: string; input: unknown }[] = [];
  if (region.scanning) {
    calls.push({
      operation: 'PutRegistryScanningConfiguration',
      input: {
        scanType: region.scanning.scanType,
        rules: (region.scanning.rules ?? []).map((r) => ({
          scanFrequency: r.scanFrequency,
          repositoryFilters: r.repositoryFilters.map((filter) => ({ filter, filterType: 'WILDCARD' })),
        })),
      },
    });
  }
  for (const rule of region.pullThroughCacheRules ?? []) calls.push({ operation: 'CreatePullThroughCacheRule', input: { ...rule } });
  for (const call of calls) registry.applySync({ api: 'ecr', operation: call.operation, input: call.input, region: regionName, accountId });
  for (const repo of region.repositories ?? []) {
    registry.withRepository(repo.name, {
      accountId,
      region: regionName,
      ...(repo.tagMutability !== undefined ? { tagMutability: repo.tagMutability } : {}),
      ...(repo.scanOnPush !== undefined ? { scanOnPush: repo.scanOnPush } : {}),
      ...(repo.tags !== undefined ? { tags: repo.tags } : {}),
      ...(repo.lifecyclePolicy !== undefined ? { lifecyclePolicy: repo.lifecyclePolicy } : {}),
      ...(repo.repositoryPolicy !== undefined ? { repositoryPolicy: repo.repositoryPolicy } : {}),
    });
    pushImages(registry, repo.name, repo.images ?? [], { accountId, region: regionName, public: false });
  }
}

function applyPublic(registry: SimulatedRegistry, accountId: string, pub: NonNullable<SeedAccount['public']>): void {
  if (pub.alias !== undefined || pub.displayName !== undefined) {
    registry.setPublicRegistry({
      accountId,
      ...(pub.alias !== undefined ? { alias: pub.alias } : {}),
      ...(pub.displayName !== undefined ? { displayName: pub.displayName } : {}),
    });
  }
  for (const repo of pub.repositories ?? []) {
    registry.withRepository(repo.name, { accountId, public: true, ...(repo.catalogData ? { catalogData: repo.catalogData } : {}) });
    pushImages(registry, repo.name, repo.images ?? [], { accountId, region: 'us-east-1', public: true });
  }
}

/** Validate a seed, then add its state to the registry (what `registry.loadSeed` does). */
export function applySeed(registry: SimulatedRegistry, seed: SeedFile): void {
  if (!(registry instanceof SimulatedRegistry)) throw invalidParameter('registry', 'must be a SimulatedRegistry');
  validateSeed(seed, { accountId: registry.defaultAccountId, region: registry.defaultRegion });
  applyRegion(registry, registry.defaultAccountId, registry.defaultRegion, seed);
  if (seed.public) applyPublic(registry, registry.defaultAccountId, seed.public);
  for (const account of seed.accounts ?? []) {
    for (const region of account.regions ?? []) applyRegion(registry, account.accountId, region.region, region);
    if (account.public) applyPublic(registry, account.accountId, account.public);
  }
}
