import { severities } from '@ecrkit/core-types';
import type { EnhancedImageScanFinding, FindingSeverity, ImageScanFinding, ScanFindingsCounts } from '@ecrkit/core-types';
import type { SeededRandom } from './rng.js';
import type { FindingSpec } from './state.js';

// Counts as tests and seeds write them (core-types' `ScanFindingsCounts`, `{ high: 2 }`), keyed by core-types' severities.
const severityKeys = severities.map((severity) => [severity.toLowerCase() as keyof ScanFindingsCounts, severity] as const);

const packages = ['openssl', 'glibc', 'zlib', 'curl', 'libxml2', 'busybox', 'expat', 'sqlite', 'ncurses', 'libssh2', 'pcre2', 'krb5'];
const baseScore: Record<FindingSeverity, number> = { CRITICAL: 9.4, HIGH: 7.8, MEDIUM: 5.3, LOW: 3.1, INFORMATIONAL: 0, UNDEFINED: 0 };

/** Plausible, seeded findings for the given counts (CVE ids, packages, fixed versions). */
export function generateFindings(counts: ScanFindingsCounts, rng: SeededRandom): FindingSpec[] {
  const out: FindingSpec[] = [];
  for (const [key, severity] of severityKeys) {
    const n = counts[key] ?? 0;
    for (let i = 0; i < n; i++) {
      const year = rng.int(2019, 2025);
      const id = `CVE-${year}-${rng.int(1000, 49999)}`;
      const pkg = rng.pick(packages);
      const major = rng.int(1, 3);
      const minor = rng.int(0, 9);
      const patch = rng.int(0, 20);
      out.push({
        name: id,
        severity,
        description: `A ${severity.toLowerCase()} severity vulnerability in ${pkg} ${major}.${minor}.${patch}.`,
        uri: `https://nvd.nist.gov/vuln/detail/${id}`,
        packageName: pkg,
        packageVersion: `${major}.${minor}.${patch}`,
        fixedInVersion: `${major}.${minor}.${patch + 1}`,
        score: Math.round((baseScore[severity] + rng.next() * 0.5) * 10) / 10,
      });
    }
  }
  return out;
}

/** Validate and copy caller-supplied findings (`ImageScanFinding`-like objects). */
export function findingsFromList(list: readonly Partial<ImageScanFinding & FindingSpec>[]): FindingSpec[] {
  return list.map((f) => {
    const spec: FindingSpec = { name: f.name ?? 'UNNAMED', severity: (f.severity ?? 'UNDEFINED') as FindingSeverity };
    if (f.description !== undefined) spec.description = f.description;
    if (f.uri !== undefined) spec.uri = f.uri;
    const attr = (key: string) => f.attributes?.find((a) => a.key === key)?.value;
    const packageName = f.packageName ?? attr('package_name');
    const packageVersion = f.packageVersion ?? attr('package_version');
    if (packageName !== undefined) spec.packageName = packageName;
    if (packageVersion !== undefined) spec.packageVersion = packageVersion;
    if (f.fixedInVersion !== undefined) spec.fixedInVersion = f.fixedInVersion;
    if (f.score !== undefined) spec.score = f.score;
    return spec;
  });
}

/** `{ CRITICAL: 2, HIGH: 1 }`: only severities that occur, as ECR reports them. */
export function severityCounts(findings: readonly FindingSpec[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

export function toBasicFinding(f: FindingSpec): ImageScanFinding {
  const attributes = [];
  if (f.packageVersion !== undefined) attributes.push({ key: 'package_version', value: f.packageVersion });
  if (f.packageName !== undefined) attributes.push({ key: 'package_name', value: f.packageName });
  if (f.score !== undefined) {
    attributes.push({ key: 'CVSS2_VECTOR', value: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' });
    attributes.push({ key: 'CVSS2_SCORE', value: String(f.score) });
  }
  const out: ImageScanFinding = { name: f.name, severity: f.severity, attributes };
  if (f.description !== undefined) out.description = f.description;
  if (f.uri !== undefined) out.uri = f.uri;
  return out;
}

export interface EnhancedContext {
  accountId: string;
  region: string;
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
  pushedAt: number;
  observedAt: number;
  platform?: string;
}

export function toEnhancedFinding(f: FindingSpec, index: number, ctx: EnhancedContext): EnhancedImageScanFinding {
  const score = f.score ?? baseScore[f.severity];
  const observed = new Date(ctx.observedAt);
  const vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
  const findingId = `${ctx.imageDigest.slice(7, 23)}${index.toString(16).padStart(16, '0')}`;
  const [os, architecture] = (ctx.platform ?? 'linux/amd64').split('/');
  const out: EnhancedImageScanFinding = {
    awsAccountId: ctx.accountId,
    description: f.description ?? f.name,
    findingArn: `arn:aws:inspector2:${ctx.region}:${ctx.accountId}:finding/${findingId}`,
    firstObservedAt: observed,
    lastObservedAt: observed,
    updatedAt: observed,
    packageVulnerabilityDetails: {
      cvss: [{ baseScore: score, scoringVector: vector, source: 'NVD', version: '3.1' }],
      referenceUrls: f.uri !== undefined ? [f.uri] : [],
      source: 'NVD',
      sourceUrl: f.uri ?? `https://nvd.nist.gov/vuln/detail/${f.name}`,
      vendorSeverity: f.severity,
      vulnerabilityId: f.name,
      vulnerablePackages: [
        {
          name: f.packageName ?? 'unknown',
          version: f.packageVersion ?? '0',
          ...(f.fixedInVersion !== undefined ? { fixedInVersion: f.fixedInVersion } : {}),
          packageManager: 'OS',
          arch: architecture ?? 'amd64',
        },
      ],
    },
    remediation: {
      recommendation: { text: f.fixedInVersion !== undefined ? `Upgrade ${f.packageName ?? 'the package'} to ${f.fixedInVersion}.` : 'None Provided' },
    },
    resources: [
      {
        id: `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${ctx.repositoryName}/${ctx.imageDigest}`,
        type: 'AWS_ECR_CONTAINER_IMAGE',
        details: {
          awsEcrContainerImage: {
            architecture: architecture ?? 'amd64',
            imageHash: ctx.imageDigest,
            imageTags: [...ctx.imageTags],
            platform: os === 'linux' ? 'LINUX' : (os ?? 'LINUX').toUpperCase(),
            pushedAt: new Date(ctx.pushedAt),
            registry: ctx.accountId,
            repositoryName: ctx.repositoryName,
          },
        },
      },
    ],
    score,
    scoreDetails: { cvss: { adjustments: [], score, scoreSource: 'NVD', scoringVector: vector, version: '3.1' } },
    severity: f.severity,
    status: 'ACTIVE',
    title: `${f.name} - ${f.packageName ?? 'unknown'}`,
    type: 'PACKAGE_VULNERABILITY',
    fixAvailable: f.fixedInVersion !== undefined ? 'YES' : 'NO',
    exploitAvailable: 'NO',
  };
  return out;
}
