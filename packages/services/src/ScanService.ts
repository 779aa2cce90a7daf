import {
  EcrError,
  emptySeverityCounts,
  invalidParameter,
  scanStateOf,
  severityCountsOf,
  severityOf,
  validateRepositoryName,
  readOptions,
} from '@ecrkit/core-types';
import type {
  CallOptions,
  SeverityCounts,
  DescribeImageScanFindingsResponse,
  EnhancedImageScanFinding,
  ImageIdentifier,
  ImageScanFinding,
  ScanStatus,
  WaitOptions,
} from '@ecrkit/core-types';
import { findingNames } from './findingNames.js';
import { paginate } from './Paginated.js';
import { toImageIdentifier } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import type { ServiceContext } from './internal/ServiceContext.js';
import { waitFor } from './waitFor.js';
import { callOptions, signalOf, waitOptions } from './internal/options.js';

/** All findings of one scan, every page merged. */
export interface ScanFindings {
  repositoryName: string;
  imageId: ImageIdentifier;
  /** `COMPLETE` (basic) or `ACTIVE` (enhanced) when findings are available. */
  status?: ScanStatus;
  statusDescription?: string;
  imageScanCompletedAt?: Date;
  vulnerabilitySourceUpdatedAt?: Date;
  /** ECR's own count per severity (for the whole scan). */
  findingSeverityCounts: Record<string, number>;
  /** Basic scanning findings. */
  findings: ImageScanFinding[];
  /** Enhanced (Amazon Inspector) findings. */
  enhancedFindings: EnhancedImageScanFinding[];
}

/** A scan's state, from DescribeImages (no findings fetched). */
export interface ScanStatusResult {
  imageId: ImageIdentifier;
  /** `undefined` when the image was never scanned. */
  status?: ScanStatus;
  description?: string;
  findingSeverityCounts?: Record<string, number>;
  imageScanCompletedAt?: Date;
}

/** The result of {@link ScanService.start}. */
export interface StartScanResult {
  imageId: ImageIdentifier;
  status?: ScanStatus;
  description?: string;
}

/** Deployment-gate limits: the most findings allowed per severity, and CVE names to ignore. */
export interface ScanThresholds {
  maxCritical?: number;
  maxHigh?: number;
  maxMedium?: number;
  maxLow?: number;
  /** Vulnerability names (e.g. `CVE-2024-1234`) left out of the counts. */
  ignore?: readonly string[];
}

/** The verdict of {@link ScanService.evaluate}. */
export interface ScanEvaluation {
  passed: boolean;
  /** Findings per severity after the ignore list. */
  counts: SeverityCounts;
  /** Why the gate failed; empty when it passed. */
  violations: string[];
}

/** Progress of {@link ScanService.waitForScan}, after every poll that found the scan still running. */
export interface ScanWaitProgress {
  attempt: number;
  elapsedMs: number;
  nextDelayMs: number;
  status?: ScanStatus;
}

/**
 * Options of {@link ScanService.waitForScan} (core-types `WaitOptions`): `timeoutMs` default 5
 * minutes, `pollIntervalMs` 1000 doubling up to `maxPollIntervalMs` 30 000, `clock` the client's.
 */
export type ScanWaitOptions = WaitOptions<ScanWaitProgress>;

/** Whether a scan status means its findings are available (core-types `scanStateOf`: `COMPLETE` or `ACTIVE`). */
function findingsAvailable(status: ScanStatus | undefined): boolean {
  return status !== undefined && scanStateOf(status) === 'complete';
}
const thresholdKeys = [
  ['CRITICAL', 'maxCritical'],
  ['HIGH', 'maxHigh'],
  ['MEDIUM', 'maxMedium'],
  ['LOW', 'maxLow'],
] as const;

/** Start scans, read findings, wait for scans and evaluate findings against deployment thresholds. */
export class ScanService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * Start a basic scan (StartImageScan). ECR allows one per image per 24 hours.
   *
   * @throws EcrError kind `LimitExceeded`, `ImageNotFound`, `UnsupportedImageType`; `InvalidParameter` before any request.
   */
  async start(repository: string, id: ImageRef, options: CallOptions = {}): Promise<StartScanResult> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(id);
    const { signal } = callOptions(options);
    const out = await this.#ctx.send('ecr', 'StartImageScan', { ...this.#ctx.registryField, repositoryName: repository, imageId }, signal);
    const result: StartScanResult = { imageId: { ...(out.imageId ?? imageId) } };
    if (out.imageScanStatus?.status) result.status = out.imageScanStatus.status;
    if (out.imageScanStatus?.description) result.description = out.imageScanStatus.description;
    return result;
  }

  /**
   * Every finding of an image's latest scan (DescribeImageScanFindings, all pages merged: basic
   * and enhanced findings, plus ECR's severity counts). Feeds the vector memory when configured.
   *
   * @throws EcrError kind `ScanNotFound`, `ImageNotFound`; `InvalidParameter` before any request.
   */
  async getFindings(repository: string, id: ImageRef, options: CallOptions & { pageSize?: number } = {}): Promise<ScanFindings> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(id);
    const { pageSize, signal } = readOptions(options, ['pageSize', 'signal']);
    return this.#collect(repository, imageId, undefined, { signal: signalOf(signal), pageSize: pageSize as number | undefined });
  }

  /**
   * The scan state of an image from DescribeImages (cheap; no findings read, no error when never scanned).
   *
   * @throws EcrError kind `ImageNotFound`; `InvalidParameter` before any request.
   */
  async getStatus(repository: string, id: ImageRef, options: CallOptions = {}): Promise<ScanStatusResult> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(id);
    const { signal } = callOptions(options);
    const out = await this.#ctx.send('ecr', 'DescribeImages', { ...this.#ctx.registryField, repositoryName: repository, imageIds: [imageId] }, signal);
    const detail = out.imageDetails?.[0];
    if (!detail)
      throw new EcrError({
        kind: 'InvalidResponse',
        operation: 'DescribeImages',
        message: `DescribeImages returned no detail for the requested image of ${repository}`,
      });
    const result: ScanStatusResult = { imageId: { ...imageId, ...(detail.imageDigest ? { imageDigest: detail.imageDigest } : {}) } };
    if (detail.imageScanStatus?.status) result.status = detail.imageScanStatus.status;
    if (detail.imageScanStatus?.description) result.description = detail.imageScanStatus.description;
    const summary = detail.imageScanFindingsSummary;
    if (summary?.findingSeverityCounts) result.findingSeverityCounts = { ...summary.findingSeverityCounts };
    if (summary?.imageScanCompletedAt) result.imageScanCompletedAt = summary.imageScanCompletedAt;
    return result;
  }

  /**
   * Poll DescribeImageScanFindings until the scan is done, with backoff (1 s, 2 s, 4 s … at most
   * 30 s, with jitter) on the client's clock, then return every finding. A scan that ends
   * `FAILED` (or `UNSUPPORTED_IMAGE`, …) is returned with that `status`, not thrown; `evaluate`
   * fails it. A status this model does not know (AWS adds some over time) keeps it polling, as
   * the SDK's `waitUntilImageScanComplete` does, until the scan completes, fails or times out.
   *
   * @throws EcrError kind `ScanTimeout` when `timeoutMs` (default 5 minutes) passes; `Aborted` on
   * abort; `ScanNotFound` when no scan was started.
   */
  async waitForScan(repository: string, id: ImageRef, options: ScanWaitOptions = {}): Promise<ScanFindings> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(id);
    const base = { ...this.#ctx.registryField, repositoryName: repository, imageId };
    const { onProgress, clock, ...timing } = waitOptions<ScanWaitProgress>(options);
    const done = await waitFor<DescribeImageScanFindingsResponse>({
      ...timing,
      ...(onProgress
        ? {
            onProgress: (p) =>
              onProgress({
                attempt: p.attempt,
                elapsedMs: p.elapsedMs,
                nextDelayMs: p.nextDelayMs,
                ...(p.result.imageScanStatus?.status ? { status: p.result.imageScanStatus.status } : {}),
              }),
          }
        : {}),
      clock: clock ?? this.#ctx.clock,
      random: this.#ctx.random,
      timeoutKind: 'ScanTimeout',
      description: `the scan of ${repository}:${imageId.imageTag ?? imageId.imageDigest}`,
      describeLast: (r) => r.imageScanStatus?.status ?? 'unknown',
      poll: (signal) => this.#ctx.send('ecr', 'DescribeImageScanFindings', { ...base }, signal),
      // scanStateOf: an absent status, or one this model does not know, keeps the wait polling.
      acceptor: (r) => {
        const state = scanStateOf(r.imageScanStatus?.status);
        return state === 'complete' ? 'SUCCESS' : state === 'failed' ? 'FAILURE' : 'RETRY';
      },
    });
    return this.#collect(repository, imageId, done.result, { signal: timing.signal });
  }

  /**
   * Apply deployment-gate thresholds to a scan's findings: counts per severity (ignored CVE
   * names left out), and a violation per threshold exceeded. A scan result whose status is not
   * `COMPLETE`/`ACTIVE` fails the gate. When a result carries only ECR's counts and no finding
   * details, those counts are used (the ignore list cannot apply to them).
   *
   * @throws EcrError kind `InvalidParameter` for a negative or fractional threshold.
   */
  evaluate(findings: ScanFindings | readonly (ImageScanFinding | EnhancedImageScanFinding)[], thresholdOptions: ScanThresholds = {}): ScanEvaluation {
    const thresholds = readOptions(thresholdOptions, ['maxCritical', 'maxHigh', 'maxMedium', 'maxLow', 'ignore'], 'thresholds') as ScanThresholds;
    if (!isFindingsInput(findings)) throw invalidParameter('findings', 'must be a scan result or a list of findings');
    for (const [, key] of thresholdKeys) {
      const max = thresholds[key];
      if (max !== undefined && (!Number.isInteger(max) || max < 0)) {
        throw new EcrError({ kind: 'InvalidParameter', field: key, message: `Invalid parameter '${key}': must be a non-negative integer` });
      }
    }
    if (thresholds.ignore !== undefined && (!Array.isArray(thresholds.ignore) || !thresholds.ignore.every((n) => typeof n === 'string'))) {
      throw new EcrError({ kind: 'InvalidParameter', field: 'ignore', message: `Invalid parameter 'ignore': must be a list of vulnerability names` });
    }
    const ignore = new Set(thresholds.ignore ?? []);
    const violations: string[] = [];
    const counts = emptySeverityCounts();
    const isResult = !Array.isArray(findings);
    const basic: readonly ImageScanFinding[] = isResult ? (findings as ScanFindings).findings : (findings as ImageScanFinding[]).filter((f) => !isEnhanced(f));
    const enhanced: readonly EnhancedImageScanFinding[] = isResult
      ? (findings as ScanFindings).enhancedFindings
      : (findings as (ImageScanFinding | EnhancedImageScanFinding)[]).filter(isEnhanced);
    if (isResult) {
      const status = (findings as ScanFindings).status;
      if (!findingsAvailable(status)) violations.push(`scan status is ${status ?? 'unknown'}, not COMPLETE`);
    }
    for (const f of basic) if (!(f.name && ignore.has(f.name))) counts[severityOf(f.severity)]++;
    for (const f of enhanced) {
      const name = findingNames({ enhancedFindings: [f] })[0];
      if (!(name && ignore.has(name))) counts[severityOf(f.severity)]++;
    }
    if (isResult && basic.length === 0 && enhanced.length === 0) {
      const reported = severityCountsOf((findings as ScanFindings).findingSeverityCounts);
      for (const severity of Object.keys(counts) as (keyof SeverityCounts)[]) counts[severity] += reported[severity];
    }
    for (const [severity, key] of thresholdKeys) {
      const max = thresholds[key];
      if (max !== undefined && counts[severity] > max) violations.push(`${counts[severity]} ${severity} findings exceed ${key} ${max}`);
    }
    return { passed: violations.length === 0, counts, violations };
  }

  async #collect(
    repository: string,
    imageId: ImageIdentifier,
    first: DescribeImageScanFindingsResponse | undefined,
    options: { signal?: AbortSignal; pageSize?: number },
  ): Promise<ScanFindings> {
    const result: ScanFindings = { repositoryName: repository, imageId: { ...imageId }, findingSeverityCounts: {}, findings: [], enhancedFindings: [] };
    let seenFirst = false;
    const absorb = (page: DescribeImageScanFindingsResponse) => {
      if (!seenFirst) {
        seenFirst = true;
        if (page.imageId) result.imageId = { ...page.imageId };
        if (page.imageScanStatus?.status) result.status = page.imageScanStatus.status;
        if (page.imageScanStatus?.description) result.statusDescription = page.imageScanStatus.description;
        const f = page.imageScanFindings;
        if (f?.imageScanCompletedAt) result.imageScanCompletedAt = f.imageScanCompletedAt;
        if (f?.vulnerabilitySourceUpdatedAt) result.vulnerabilitySourceUpdatedAt = f.vulnerabilitySourceUpdatedAt;
        if (f?.findingSeverityCounts) result.findingSeverityCounts = { ...f.findingSeverityCounts };
      }
      result.findings.push(...(page.imageScanFindings?.findings ?? []));
      result.enhancedFindings.push(...(page.imageScanFindings?.enhancedFindings ?? []));
    };
    if (first) absorb(first);
    if (!first || first.nextToken) {
      const pages = paginate(
        this.#ctx.send,
        'ecr',
        'DescribeImageScanFindings',
        { ...this.#ctx.registryField, repositoryName: repository, imageId },
        {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
          ...(first?.nextToken ? { startingToken: first.nextToken } : {}),
        },
      ).pages();
      for await (const page of pages) absorb(page);
    }
    if (findingsAvailable(result.status)) {
      this.#ctx.observe.scanCompleted({
        repositoryName: repository,
        imageDigest: result.imageId.imageDigest,
        completedAt: result.imageScanCompletedAt,
        // ECR's own count covers the whole scan; the findings themselves when it sent none.
        counts: Object.keys(result.findingSeverityCounts).length > 0 ? severityCountsOf(result.findingSeverityCounts) : countFindings(result),
        findings: [
          ...result.findings.map((f) => ({ name: f.name, severity: f.severity })),
          ...result.enhancedFindings.map((f) => ({
            name: f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title,
            severity: f.severity,
            packageName: f.packageVulnerabilityDetails?.vulnerablePackages?.[0]?.name,
            packageVersion: f.packageVulnerabilityDetails?.vulnerablePackages?.[0]?.version,
          })),
        ],
      });
    }
    return result;
  }
}

/** A `ScanFindings` result (with its lists) or a list of findings objects. */
function isFindingsInput(value: unknown): value is ScanFindings | readonly (ImageScanFinding | EnhancedImageScanFinding)[] {
  try {
    if (Array.isArray(value)) return value.every((f) => typeof f === 'object' && f !== null);
    if (typeof value !== 'object' || value === null) return false;
    const r = value as Partial<ScanFindings>;
    return Array.isArray(r.findings) && Array.isArray(r.enhancedFindings) && typeof r.findingSeverityCounts === 'object' && r.findingSeverityCounts !== null;
  } catch {
    return false;
  }
}

/** Counts per severity of the findings a scan returned. */
function countFindings(result: ScanFindings): SeverityCounts {
  const counts = emptySeverityCounts();
  for (const f of result.findings) counts[severityOf(f.severity)]++;
  for (const f of result.enhancedFindings) counts[severityOf(f.severity)]++;
  return counts;
}

function isEnhanced(f: ImageScanFinding | EnhancedImageScanFinding): f is EnhancedImageScanFinding {
  return 'packageVulnerabilityDetails' in f || 'findingArn' in f || 'title' in f || 'awsAccountId' in f;
}
