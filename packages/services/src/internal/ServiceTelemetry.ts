import { severities } from '@ecrkit/core-types';
import type { Logger, SeverityCounts } from '@ecrkit/core-types';

/** Metric attributes as OpenTelemetry takes them. */
export type MetricAttributes = Record<string, string | number | boolean>;

/**
 * The part of an OpenTelemetry `Meter` the services use. Any `Meter` from `@opentelemetry/api`
 * fits as it is, so the services record business metrics without depending on OpenTelemetry.
 */
export interface MeterLike {
  createCounter(name: string, options?: { description?: string; unit?: string }): { add(value: number, attributes?: MetricAttributes): void };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } },
  ): { record(value: number, attributes?: MetricAttributes): void };
}

/** How much of a completed scan's findings the services log: nothing, counts per severity, or every finding. */
export type ScanFindingsLogLevel = 'off' | 'counts' | 'full';

/** What a completed scan contributes to telemetry. */
export interface CompletedScan {
  repositoryName: string;
  imageDigest: string | undefined;
  completedAt: Date | undefined;
  counts: SeverityCounts;
  findings: readonly { name?: string | undefined; severity?: string | undefined; packageName?: string | undefined; packageVersion?: string | undefined }[];
}

const maxRememberedScans = 10_000;

/**
 * The business metrics and structured logs of the services, the domain half of ecrkit's
 * telemetry (the pipeline records the per-call half). Metrics: `ecr.repositories.listed`,
 * `ecr.images.described`, `ecr.scans.findings` (a histogram per `ecr.finding.severity`, one
 * sample per completed scan, each scan once however often it is read), `ecr.token.cache_hit` and
 * `ecr.token.cache_miss`, all with `ecr.region`. Logs carry `module` and `event_type`, never a
 * secret.
 */
export class ServiceTelemetry {
  readonly #attributes: MetricAttributes;
  readonly #repositoriesListed: { add(value: number, attributes?: MetricAttributes): void } | undefined;
  readonly #imagesDescribed: { add(value: number, attributes?: MetricAttributes): void } | undefined;
  readonly #scanFindings: { record(value: number, attributes?: MetricAttributes): void } | undefined;
  readonly #tokenCacheHit: { add(value: number, attributes?: MetricAttributes): void } | undefined;
  readonly #tokenCacheMiss: { add(value: number, attributes?: MetricAttributes): void } | undefined;
  readonly #severityAttributes: Record<string, MetricAttributes>;
  readonly #seenScans = new Set<string>();
  readonly logger: Logger | undefined;
  readonly scanFindingsLog: ScanFindingsLogLevel;

  constructor(options: { meter: MeterLike | undefined; logger: Logger | undefined; scanFindingsLog: ScanFindingsLogLevel; region: string }) {
    const { meter } = options;
    this.#attributes = { 'ecr.region': options.region };
    this.#severityAttributes = Object.fromEntries(severities.map((s) => [s, { ...this.#attributes, 'ecr.finding.severity': s }]));
    this.logger = options.logger;
    this.scanFindingsLog = options.scanFindingsLog;
    if (meter === undefined) return;
    this.#repositoriesListed = meter.createCounter('ecr.repositories.listed', {
      unit: '{repository}',
      description: 'Repositories returned by repository listings',
    });
    this.#imagesDescribed = meter.createCounter('ecr.images.described', { unit: '{image}', description: 'Image details returned by DescribeImages listings' });
    this.#scanFindings = meter.createHistogram('ecr.scans.findings', {
      unit: '{finding}',
      description: 'Findings of each completed scan, per severity; each scan counted once',
      advice: { explicitBucketBoundaries: [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000] },
    });
    this.#tokenCacheHit = meter.createCounter('ecr.token.cache_hit', { description: 'Authorization tokens served from the cache or a fetch in flight' });
    this.#tokenCacheMiss = meter.createCounter('ecr.token.cache_miss', { description: 'Authorization token lookups that fetched a new token' });
  }

  repositoriesListed(count: number): void {
    if (count > 0) this.#repositoriesListed?.add(count, this.#attributes);
  }

  imagesDescribed(count: number): void {
    if (count > 0) this.#imagesDescribed?.add(count, this.#attributes);
  }

  tokenCache(hit: boolean): void {
    (hit ? this.#tokenCacheHit : this.#tokenCacheMiss)?.add(1, this.#attributes);
  }

  /** A completed scan's findings: one histogram sample per severity and, as configured, one log line; each scan once. */
  scanCompleted(scan: CompletedScan): void {
    const id = `${scan.repositoryName}|${scan.imageDigest ?? ''}|${scan.completedAt?.getTime() ?? ''}`;
    if (this.#seenScans.has(id)) return;
    this.#seenScans.add(id);
    // Forget the oldest first (a Set iterates in insertion order).
    if (this.#seenScans.size > maxRememberedScans) this.#seenScans.delete(this.#seenScans.values().next().value as string);
    if (this.#scanFindings) for (const severity of severities) this.#scanFindings.record(scan.counts[severity], this.#severityAttributes[severity]);
    if (!this.logger || this.scanFindingsLog === 'off') return;
    const fields: Record<string, unknown> = {
      module: 'services.scans',
      event_type: 'SCAN_FINDINGS',
      repositoryName: scan.repositoryName,
      imageDigest: scan.imageDigest,
      completedAt: scan.completedAt?.toISOString(),
      counts: { ...scan.counts },
    };
    if (this.scanFindingsLog === 'full') {
      fields.findings = scan.findings.map((f) => ({ name: f.name, severity: f.severity, packageName: f.packageName, packageVersion: f.packageVersion }));
    }
    this.logger.info(fields, 'scan findings');
  }

  /** One structured line; `fields` must hold identifiers and counts only. */
  log(level: 'debug' | 'info' | 'warn', module: string, eventType: string, fields: Record<string, unknown>, message: string): void {
    this.logger?.[level]({ module, event_type: eventType, ...fields }, message);
  }
}
