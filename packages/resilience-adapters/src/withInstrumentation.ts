import { isEcrError, systemClock } from '@ecrkit/core-types';
import type {
  Api,
  BatchDeleteImageResponse,
  Clock,
  DescribeImageScanFindingsResponse,
  DescribeImagesResponse,
  OperationName,
  OutputOf,
  PutImageRequest,
  Transport,
  TransportRequest,
} from '@ecrkit/core-types';
import { INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Attributes, Meter, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import type { IDisposable } from 'cockatiel';
import type { CircuitBreaker } from './CircuitBreaker.js';
import { EcrMetrics } from './EcrMetrics.js';
import type { Logger } from './Logger.js';
import { redactForTelemetry } from './redactForTelemetry.js';
import { copyOfRequest, sendSafely } from './internal/abort.js';
import { KeyCache } from './internal/KeyCache.js';
import { packageName, packageVersion } from './internal/packageInfo.js';
import { repositoryOf } from './internal/requestScope.js';
import type { RequestLike } from './RequestLike.js';

/** Options of {@link withInstrumentation}. */
export interface InstrumentationOptions {
  /** Span source; default the global OpenTelemetry tracer provider's (a no-op until an SDK is registered). */
  tracer?: Tracer;
  /** Meter for a fresh {@link EcrMetrics}; ignored when `metrics` is given. Default the global meter provider's. */
  meter?: Meter;
  /** Instruments to record on, e.g. shared with the auth service's token cache hook. */
  metrics?: EcrMetrics;
  /** Structured logs (pino-compatible); none by default. Everything logged goes through {@link redactForTelemetry}. */
  logger?: Logger;
  /** Time source for latency; defaults to the system clock. */
  clock?: Clock;
  /** A breaker whose states `ecr.circuit_breaker.state` reports. */
  breaker?: CircuitBreaker;
  /** Retries of a call, for the span's `ecr.retry.count` (see `createRetryTracker`). */
  retryCount?: (request: RequestLike) => number;
}

/** An instrumented transport, with its instruments exposed for the hooks on {@link EcrMetrics}. */
export interface InstrumentedTransport extends Transport {
  /** The instruments; call `metrics.recordTokenCache(hit)` from a token cache. */
  readonly metrics: EcrMetrics;
}

const serviceNames: Readonly<Record<Api, string>> = { ecr: 'ECR', 'ecr-public': 'ECR PUBLIC' };

interface AttributeSet {
  spanName: string;
  /** Metric attributes: operation, API, region. */
  metric: Attributes;
  success: Attributes;
  failure: Attributes;
  /** The span's start options: kind and attributes, repository aside. */
  spanOptions: SpanOptions;
}

/**
 * One OpenTelemetry span per call (`ecr.<Operation>`, kind client) with attributes `ecr.operation`,
 * `ecr.api`, `ecr.region`, `ecr.repository.name`, `ecr.retry.count`, and on failure
 * `ecr.error.kind`, `http.response.status_code`, `aws.request_id` (plus `rpc.*` and `cloud.region`);
 * the metrics of {@link EcrMetrics}, derived from each call's outcome; and redacted structured
 * logs: `debug` before and after each call, `warn` on failure (`debug` for caller aborts).
 * Manifests, tokens, credentials and layer bytes never reach a span, metric or log line.
 *
 * Derived metrics: `ecr.images.described` (DescribeImages details), `ecr.images.tagged` (PutImage
 * with a tag), `ecr.images.deleted` (BatchDeleteImage `imageIds`), `ecr.scans.started`
 * (StartImageScan), `ecr.scans.completed` and `ecr.scans.findings` (a COMPLETE
 * DescribeImageScanFindings, each scan once), `ecr.auth.token_refresh` (GetAuthorizationToken),
 * `ecr.replication.checks` (DescribeImageReplicationStatus, answered or not).
 *
 * @example
 * const metrics = createEcrMetrics(meterProvider.getMeter('app'));
 * const transport = withInstrumentation(base, { metrics, logger: pino(), tracer });
 * tokenCache.onLookup = metrics.recordTokenCache;
 */
export function withInstrumentation(next: Transport, options: InstrumentationOptions = {}): InstrumentedTransport {
  const tracer = options.tracer ?? trace.getTracer(packageName, packageVersion);
  const metrics = options.metrics ?? new EcrMetrics(options.meter);
  const { logger, retryCount } = options;
  const clock = options.clock ?? systemClock;
  const breakerObservation: IDisposable | undefined = options.breaker ? metrics.observeBreaker(options.breaker) : undefined;

  // Attribute objects per (api, operation, region), built once: the hot path allocates no attributes.
  const attributeSets = new Map<string, AttributeSet>();
  const attributeKeys = new KeyCache('\u0000');
  const attributesOf = (request: RequestLike): AttributeSet => {
    const key = attributeKeys.get(request.api, request.operation, request.region);
    let set = attributeSets.get(key);
    if (!set) {
      const metric: Attributes = spanAttributes({ 'ecr.operation': request.operation, 'ecr.api': request.api, 'ecr.region': request.region });
      const span: Attributes = {
        ...metric,
        ...spanAttributes({
          'rpc.system': 'aws-api',
          'rpc.service': serviceNames[request.api],
          'rpc.method': request.operation,
          'cloud.region': request.region,
        }),
      };
      set = {
        spanName: `ecr.${request.operation}`,
        metric,
        success: { ...metric, 'ecr.outcome': 'success' },
        failure: { ...metric, 'ecr.outcome': 'error' },
        spanOptions: { kind: SpanKind.CLIENT, attributes: span },
      };
      attributeSets.set(key, set);
    }
    return set;
  };

  // Not async: one `.then` on the call below instead of an async frame (a promise and microtask
  // hops per call that keep each answer alive longer). Throws before the call become rejections.
  function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
    try {
      return instrumented(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function instrumented<O extends OperationName, A extends Api>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
    // A fresh object per call, so a RetryTracker's count belongs to this call alone.
    const call = copyOfRequest(request);
    const started = clock.now();
    const attributes = attributesOf(request);
    const repositoryName = repositoryOf(request);
    const span = tracer.startSpan(attributes.spanName, attributes.spanOptions);
    // Set after the start so a no-op span costs no per-call attribute object.
    if (repositoryName !== undefined && span.isRecording()) span.setAttributes(spanAttributes({ 'ecr.repository.name': repositoryName }));
    logger?.debug({ ecr: redactForTelemetry({ operation: request.operation, api: request.api, region: request.region, input: request.input }) }, 'ecr request');

    // Make the span the parent of whatever the transport traces; a no-op span has nothing to pass on.
    const spanContext = span.spanContext();
    const pending =
      spanContext !== INVALID_SPAN_CONTEXT && trace.isSpanContextValid(spanContext)
        ? context.with(trace.setSpan(context.active(), span), () => sendSafely(next, call))
        : sendDirect(next, call);

    return pending.then(
      (output) => {
        const durationMs = clock.now() - started;
        metrics.requestLatency.record(durationMs, attributes.success);
        recordDomainMetrics(metrics, request, output, attributes.metric);
        if (span.isRecording()) {
          span.setAttribute('ecr.retry.count', retryCount?.(call) ?? 0);
          span.setStatus({ code: SpanStatusCode.OK });
        }
        span.end();
        if (logger) {
          const retries = retryCount?.(call) ?? 0;
          logger.debug(
            { ecr: redactForTelemetry({ operation: request.operation, region: request.region, repositoryName, durationMs, retries }) },
            'ecr response',
          );
        }
        return output;
      },
      (error: unknown) => {
        const durationMs = clock.now() - started;
        const retries = retryCount?.(call) ?? 0;
        const kind = isEcrError(error) ? error.kind : 'Unknown';
        metrics.requestLatency.record(durationMs, attributes.failure);
        metrics.requestErrors.add(1, { ...attributes.metric, 'ecr.error.kind': kind });
        if (request.operation === 'DescribeImageReplicationStatus') metrics.replicationChecks.add(1, attributes.metric);
        endWithError(span, error, kind, retries);
        if (logger) {
          const fields = redactForTelemetry({ operation: request.operation, region: request.region, repositoryName, durationMs, retries, error });
          if (kind === 'Aborted') logger.debug({ ecr: fields }, 'ecr request aborted');
          else logger.warn({ ecr: fields }, 'ecr request failed');
        }
        throw error;
      },
    );
  }

  return {
    send,
    metrics,
    async destroy() {
      breakerObservation?.dispose();
      await next.destroy?.();
    },
  };
}

/** `next.send(request)`, a synchronous throw turned into a rejection; its own call site, which sees one transport. */
function sendDirect<O extends OperationName, A extends Api>(next: Transport, request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
  try {
    return next.send(request);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Span attributes through the one redaction, dropping empty values. */
function spanAttributes(values: Record<string, string | number | undefined>): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const safe = redactForTelemetry(value, attributeField(key));
    if (typeof safe === 'string' || typeof safe === 'number') attributes[key] = safe;
  }
  return attributes;
}

// Which redaction rule an attribute falls under: its last dotted segment, in the wire's spelling.
const attributeFields: Readonly<Record<string, string>> = {
  'ecr.repository.name': 'repositoryName',
  'ecr.error.kind': 'kind',
  'aws.request_id': 'requestId',
  'http.response.status_code': 'statusCode',
  'cloud.region': 'region',
  'ecr.region': 'region',
  'ecr.operation': 'operation',
  'rpc.method': 'operation',
  'ecr.api': 'api',
  'rpc.system': 'api',
  'rpc.service': 'api',
};

function attributeField(key: string): string {
  return attributeFields[key] ?? key;
}

function endWithError(span: Span, error: unknown, kind: string, retries: number): void {
  const ecr = isEcrError(error) ? error : undefined;
  span.setAttributes(
    spanAttributes({
      'ecr.error.kind': kind,
      'ecr.retry.count': retries,
      'http.response.status_code': ecr?.statusCode,
      'aws.request_id': ecr?.requestId,
    }),
  );
  const safe = redactForTelemetry(error) as { message?: unknown };
  const message = typeof safe.message === 'string' ? safe.message : kind;
  span.recordException({ name: `EcrError ${kind}`, message });
  span.setStatus({ code: SpanStatusCode.ERROR, message: kind });
  span.end();
}

function recordDomainMetrics(metrics: EcrMetrics, request: RequestLike, output: unknown, attributes: Attributes): void {
  switch (request.operation) {
    case 'DescribeImages': {
      const count = (output as DescribeImagesResponse | undefined)?.imageDetails?.length ?? 0;
      if (count > 0) metrics.imagesDescribed.add(count, attributes);
      return;
    }
    case 'PutImage':
      if ((request.input as PutImageRequest).imageTag !== undefined) metrics.imagesTagged.add(1, attributes);
      return;
    case 'BatchDeleteImage': {
      const count = (output as BatchDeleteImageResponse | undefined)?.imageIds?.length ?? 0;
      if (count > 0) metrics.imagesDeleted.add(count, attributes);
      return;
    }
    case 'StartImageScan':
      metrics.scansStarted.add(1, attributes);
      return;
    case 'DescribeImageScanFindings': {
      const findings = output as DescribeImageScanFindingsResponse | undefined;
      if (findings?.imageScanStatus?.status !== 'COMPLETE') return;
      metrics.recordScanCompleted(
        {
          repositoryName: findings.repositoryName,
          imageDigest: findings.imageId?.imageDigest,
          completedAt: findings.imageScanFindings?.imageScanCompletedAt,
          severityCounts: findings.imageScanFindings?.findingSeverityCounts,
        },
        attributes,
      );
      return;
    }
    case 'GetAuthorizationToken':
      metrics.tokenRefresh.add(1, attributes);
      return;
    case 'DescribeImageReplicationStatus':
      metrics.replicationChecks.add(1, attributes);
      return;
  }
}
