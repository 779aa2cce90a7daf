import { metrics as otelMetrics } from '@opentelemetry/api';
import type { Attributes, Counter, Histogram, Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import type { IDisposable } from 'cockatiel';
import type { CircuitBreaker, CircuitState } from './CircuitBreaker.js';
import { packageName, packageVersion } from './internal/packageInfo.js';

/** The value `ecr.circuit_breaker.state` reports for each state. */
export const circuitStateValue: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** Severity counts as ECR reports them (`findingSeverityCounts`). */
export type SeverityCounts = Readonly<Partial<Record<string, number>>>;

const maxRememberedScans = 10_000;

/**
 * The ecrkit metric instruments on one OpenTelemetry meter. `withInstrumentation` records the
 * per-call ones itself; the hooks here are for what never reaches a transport (token cache hits)
 * and for callers that want to record by hand. Attributes are fixed, low-cardinality names:
 * `ecr.operation`, `ecr.region`, `ecr.api`, `ecr.error.kind`, `ecr.finding.severity`, `ecr.breaker.key`.
 */
export class EcrMetrics {
  readonly requestLatency: Histogram;
  readonly requestErrors: Counter;
  readonly imagesDescribed: Counter;
  readonly imagesTagged: Counter;
  readonly imagesDeleted: Counter;
  readonly scansStarted: Counter;
  readonly scansCompleted: Counter;
  readonly scanFindings: Counter;
  readonly tokenRefresh: Counter;
  readonly tokenCacheHit: Counter;
  readonly tokenCacheMiss: Counter;
  readonly replicationChecks: Counter;
  readonly breakerState: ObservableGauge;
  readonly #seenScans = new Set<string>();

  constructor(meter: Meter = otelMetrics.getMeter(packageName, packageVersion)) {
    this.requestLatency = meter.createHistogram('ecr.request.latency_ms', { unit: 'ms', description: 'Latency of one logical ECR call, retries included' });
    this.requestErrors = meter.createCounter('ecr.request.errors', { description: 'ECR calls that failed, by error kind' });
    this.imagesDescribed = meter.createCounter('ecr.images.described', { description: 'Image details returned by DescribeImages' });
    this.imagesTagged = meter.createCounter('ecr.images.tagged', { description: 'Tags written by PutImage' });
    this.imagesDeleted = meter.createCounter('ecr.images.deleted', { description: 'Images deleted by BatchDeleteImage' });
    this.scansStarted = meter.createCounter('ecr.scans.started', { description: 'Scans started with StartImageScan' });
    this.scansCompleted = meter.createCounter('ecr.scans.completed', { description: 'Completed scans observed, each counted once' });
    this.scanFindings = meter.createCounter('ecr.scans.findings', { description: 'Findings of completed scans, by severity' });
    this.tokenRefresh = meter.createCounter('ecr.auth.token_refresh', { description: 'Authorization tokens fetched with GetAuthorizationToken' });
    this.tokenCacheHit = meter.createCounter('ecr.auth.token_cache_hit', { description: 'Authorization token cache hits' });
    this.tokenCacheMiss = meter.createCounter('ecr.auth.token_cache_miss', { description: 'Authorization token cache misses' });
    this.replicationChecks = meter.createCounter('ecr.replication.checks', { description: 'DescribeImageReplicationStatus calls' });
    this.breakerState = meter.createObservableGauge('ecr.circuit_breaker.state', { description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open' });
  }

  /** Count a token cache lookup; the auth service's cache calls this (it never reaches a transport). */
  readonly recordTokenCache = (hit: boolean): void => {
    (hit ? this.tokenCacheHit : this.tokenCacheMiss).add(1);
  };

  /**
   * Count a completed scan and its findings once, however often it is read: scans are told
   * apart by repository, digest and completion time.
   */
  recordScanCompleted(
    scan: { repositoryName?: string; imageDigest?: string; completedAt?: Date; severityCounts?: SeverityCounts },
    attributes: Attributes = {},
  ): void {
    const id = `${scan.repositoryName ?? ''}|${scan.imageDigest ?? ''}|${scan.completedAt?.getTime() ?? ''}`;
    if (this.#seenScans.has(id)) return;
    this.#seenScans.add(id);
    // Forget the oldest first (a Set iterates in insertion order).
    if (this.#seenScans.size > maxRememberedScans) this.#seenScans.delete(this.#seenScans.values().next().value as string);
    this.scansCompleted.add(1, attributes);
    for (const [severity, count] of Object.entries(scan.severityCounts ?? {})) {
      if (typeof count === 'number' && count > 0) this.scanFindings.add(count, { ...attributes, 'ecr.finding.severity': severity });
    }
  }

  /** Report a breaker's states on `ecr.circuit_breaker.state`, one series per key, until disposed. */
  observeBreaker(breaker: CircuitBreaker): IDisposable {
    const callback = (result: ObservableResult) => {
      for (const key of breaker.keys()) result.observe(circuitStateValue[breaker.state(key)], { 'ecr.breaker.key': key });
    };
    this.breakerState.addCallback(callback);
    return { dispose: () => this.breakerState.removeCallback(callback) };
  }
}

/** The ecrkit instruments on `meter` (default: the global OpenTelemetry meter provider's). */
export function createEcrMetrics(meter?: Meter): EcrMetrics {
  return new EcrMetrics(meter);
}
