import { isEcrError, readOptions } from '@ecrkit/core-types';
import type { Api, Clock, Logger, OperationName, OutputOf, Transport, TransportDecorator, TransportRequest } from '@ecrkit/core-types';
import { INVALID_SPAN_CONTEXT, ProxyTracerProvider, SpanKind, SpanStatusCode, context, createNoopMeter, trace } from '@opentelemetry/api';
import type { Attributes, Meter, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import type { CircuitBreaker } from './CircuitBreaker.js';
import { EcrMetrics } from './EcrMetrics.js';
import { copyOfRequest, sendSafely } from './internal/abort.js';
import { KeyCache } from './internal/KeyCache.js';
import type { Disposable } from './internal/Listeners.js';
import { packageName, packageVersion } from './internal/packageInfo.js';
import { repositoryOf } from './internal/requestScope.js';
import { redactForTelemetry } from './redactForTelemetry.js';
import type { RequestLike } from './RequestLike.js';
import { turnClock } from './internal/turnClock.js';

/** Options of {@link withInstrumentation}. */
export interface InstrumentationOptions {
  /** Span source; default the global OpenTelemetry tracer provider's (a no-op until an SDK is registered). */
  tracer?: Tracer;
  /** Meter for a fresh {@link EcrMetrics}; ignored when `metrics` is given. Default the global meter provider's. */
  meter?: Meter;
  /** Instruments to record on, e.g. shared by several pipelines. */
  metrics?: EcrMetrics;
  /** Structured logs (pino-compatible); none by default. Everything logged goes through {@link redactForTelemetry}. */
  logger?: Logger;
  /** Time source for latency; defaults to the system clock. */
  clock?: Clock;
  /** A breaker whose states `ecr.circuit_breaker.state` reports and whose transitions are logged. */
  breaker?: CircuitBreaker;
  /** Retries of a call, for the span's `ecr.retry.count` (see `createRetryTracker`). */
  retryCount?: (request: RequestLike) => number;
}

/** The decorator {@link withInstrumentation} returns, with its instruments exposed. */
export interface InstrumentationDecorator extends TransportDecorator {
  readonly metrics: EcrMetrics;
}

/** The API's no-op histogram (a singleton), to tell a meter with no SDK behind it. */
const noopHistogram = createNoopMeter().createHistogram('ecr.noop');
/** The API's no-op tracer provider (a singleton): the global one's delegate until an SDK is registered. */
const noopTracerProvider = new ProxyTracerProvider().getDelegate();

/** Whether the global tracer provider has an SDK behind it (checked per call: one may be registered later). */
function globalTracing(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== noopTracerProvider;
}

/** The AWS service id of each API: `rpc.service` and the first half of a span name, as the AWS SDK instrumentation has them. */
const serviceNames: Readonly<Record<Api, string>> = { ecr: 'ECR', 'ecr-public': 'ECR PUBLIC' };

/** The `module` of every log line this step writes. */
const logModule = 'pipeline';

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
 * Telemetry for each logical call (retries inside it), generic to every operation:
 *
 * - one OpenTelemetry span, kind client, named `<service>.<Operation>` (`ECR.DescribeImages`) with
 *   the semantic conventions for AWS SDK calls: `rpc.system` `aws-api`, `rpc.service`,
 *   `rpc.method`, `cloud.region`, and `aws.request_id` (set by the transport, or from the error);
 *   plus `ecr.repository.name`, `ecr.retry.count`, and on failure `ecr.error.kind`,
 *   `http.response.status_code`, an exception event and status `ERROR`. The span is the active
 *   context while the call starts, so the transport's own spans (credentials, signing, the HTTP
 *   request, parsing) are its children;
 * - the metrics of {@link EcrMetrics}: `ecr.request.count`, `ecr.request.latency`,
 *   `ecr.request.errors`, and `ecr.circuit_breaker.state` for the `breaker` given;
 * - redacted structured logs with `module` `pipeline` and an `event_type`: `API_REQUEST` and
 *   `API_RESPONSE` (debug), `API_ERROR` (warn; `API_ABORTED` at debug for caller aborts),
 *   `CIRCUIT_STATE_CHANGED` (warn).
 *
 * Manifests, tokens, credentials and layer bytes never reach a span, metric or log line.
 *
 * @example
 * const instrumentation = withInstrumentation({ tracer, meter, logger: pino() });
 * const transport = compose(base, withRetry(), instrumentation);
 */
export function withInstrumentation(options: InstrumentationOptions = {}): InstrumentationDecorator {
  const o = readOptions(options, ['tracer', 'meter', 'metrics', 'logger', 'clock', 'breaker', 'retryCount']) as InstrumentationOptions;
  const tracer = o.tracer ?? trace.getTracer(packageName, packageVersion);
  const metrics = o.metrics ?? new EcrMetrics(o.meter);
  const { logger, retryCount, breaker } = o;
  const clock = o.clock ?? turnClock;
  // Durations are read off the clock only when something records them: a clock read costs a
  // system call in some environments, and with no metrics SDK the histogram is the API's no-op
  // (instruments made before an SDK is registered stay no-ops). Spans time themselves.
  const measured = metrics.requestLatency !== noopHistogram;
  const timed = measured || logger !== undefined;
  // With nothing to record to (no SDK behind the global tracer or the meter, no logger) a call
  // passes straight through: no span, no observer, no promise of its own.
  const ownTracer = o.tracer !== undefined;

  // Attribute objects per (api, operation, region), built once: the hot path allocates no attributes.
  const attributeSets = new Map<string, AttributeSet>();
  const attributeKeys = new KeyCache('\u0000');
  // The previous call's set, checked before any map: most pipelines call a few operations in one region.
  let last: AttributeSet | undefined;
  let lastApi = '';
  let lastOperation = '';
  let lastRegion = '';
  const attributesOf = (request: RequestLike): AttributeSet => {
    if (last !== undefined && request.operation === lastOperation && request.region === lastRegion && request.api === lastApi) return last;
    const key = attributeKeys.get(request.api, request.operation, request.region);
    let set = attributeSets.get(key);
    if (!set) {
      const metric: Attributes = spanAttributes({ 'ecr.operation': request.operation, 'ecr.api': request.api, 'ecr.region': request.region });
      const service = serviceNames[request.api] ?? String(request.api);
      const span: Attributes = spanAttributes({
        'rpc.system': 'aws-api',
        'rpc.service': service,
        'rpc.method': request.operation,
        'cloud.region': request.region,
      });
      set = {
        spanName: `${service}.${request.operation}`,
        metric,
        success: { ...metric, 'ecr.outcome': 'success' },
        failure: { ...metric, 'ecr.outcome': 'error' },
        spanOptions: { kind: SpanKind.CLIENT, attributes: span },
      };
      attributeSets.set(key, set);
    }
    last = set;
    lastApi = request.api;
    lastOperation = request.operation;
    lastRegion = request.region;
    return set;
  };

  const decorate = (next: Transport): Transport => {
    let observations: Disposable[] = [];
    if (breaker) {
      observations = [
        metrics.observeBreaker(breaker),
        breaker.onStateChange((change) =>
          logger?.warn({ module: logModule, event_type: 'CIRCUIT_STATE_CHANGED', ecr: redactForTelemetry(change) }, 'circuit breaker state changed'),
        ),
      ];
    }

    // Not async: one `.then` on the call below instead of an async frame (a promise and microtask
    // hops per call that keep each answer alive longer). Throws before the call become rejections.
    function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      if (!timed && !ownTracer && !globalTracing()) return sendDirect(next, request);
      try {
        return instrumented(request);
      } catch (error) {
        return Promise.reject(error);
      }
    }

    function instrumented<O extends OperationName, A extends Api>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      const started = timed ? clock.now() : 0;
      const attributes = attributesOf(request);
      const span = tracer.startSpan(attributes.spanName, attributes.spanOptions);
      const recording = span.isRecording();
      // A fresh request object when the retry count will be read, so a RetryTracker's count
      // belongs to this call alone (callers may send one request object many times at once).
      const call = recording || logger ? copyOfRequest(request) : request;
      const repositoryName = recording || logger ? repositoryOf(request) : undefined;
      // Set after the start so a no-op span costs no per-call attribute object.
      if (repositoryName !== undefined && recording) span.setAttributes(spanAttributes({ 'ecr.repository.name': repositoryName }));
      logger?.debug(
        {
          module: logModule,
          event_type: 'API_REQUEST',
          ecr: redactForTelemetry({ operation: request.operation, api: request.api, region: request.region, input: request.input }),
        },
        'ecr request',
      );

      // Make the span the parent of whatever the transport traces; a no-op span has nothing to pass on.
      const spanContext = span.spanContext();
      const pending =
        spanContext !== INVALID_SPAN_CONTEXT && trace.isSpanContextValid(spanContext)
          ? context.with(trace.setSpan(context.active(), span), () => sendSafely(next, call))
          : sendDirect(next, call);

      // Observed beside the caller rather than in a chain: the caller awaits the transport's own
      // promise (no extra hop); the handlers below only record, and never throw.
      pending.then(
        (output) => {
          if (measured) {
            metrics.requestLatency.record(clock.now() - started, attributes.success);
            metrics.requestCount.add(1, attributes.success);
          }
          if (recording) {
            span.setAttribute('ecr.retry.count', retryCount?.(call) ?? 0);
            span.setStatus({ code: SpanStatusCode.OK });
          }
          span.end();
          if (logger) {
            const fields = {
              operation: request.operation,
              region: request.region,
              repositoryName,
              durationMs: clock.now() - started,
              retries: retryCount?.(call) ?? 0,
            };
            logger.debug({ module: logModule, event_type: 'API_RESPONSE', ecr: redactForTelemetry(fields) }, 'ecr response');
          }
          return output;
        },
        (error: unknown) => {
          const durationMs = timed ? clock.now() - started : 0;
          const retries = retryCount?.(call) ?? 0;
          const kind = isEcrError(error) ? error.kind : 'Unknown';
          metrics.requestLatency.record(durationMs, attributes.failure);
          metrics.requestCount.add(1, attributes.failure);
          metrics.requestErrors.add(1, { ...attributes.metric, 'ecr.error.kind': kind });
          endWithError(span, error, kind, retries);
          if (logger) {
            const fields = redactForTelemetry({ operation: request.operation, region: request.region, repositoryName, durationMs, retries, error });
            if (kind === 'Aborted') logger.debug({ module: logModule, event_type: 'API_ABORTED', ecr: fields }, 'ecr request aborted');
            else logger.warn({ module: logModule, event_type: 'API_ERROR', ecr: fields }, 'ecr request failed');
          }
        },
      );
      return pending;
    }

    return {
      send,
      async destroy() {
        for (const observation of observations) observation.dispose();
        observations = [];
        await next.destroy?.();
      },
    };
  };
  return Object.assign(decorate, { metrics });
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
