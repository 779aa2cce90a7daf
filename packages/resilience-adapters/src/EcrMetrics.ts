import { invalidParameter, readOptions } from '@ecrkit/core-types';
import { metrics as otelMetrics } from '@opentelemetry/api';
import type { Counter, Histogram, Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import type { CircuitBreaker, CircuitState } from './CircuitBreaker.js';
import type { Disposable } from './internal/Listeners.js';
import { packageName, packageVersion } from './internal/packageInfo.js';

/** The value `ecr.circuit_breaker.state` reports for each state. */
export const circuitStateValue: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The pipeline's metric instruments on one OpenTelemetry meter: what every call has, whatever it
 * is about. (What calls mean for the business, such as images described or scan findings, is
 * recorded by `@ecrkit/services`.) Attributes are fixed, low-cardinality names: `ecr.operation`,
 * `ecr.api`, `ecr.region`, `ecr.outcome`, `ecr.error.kind`, `ecr.breaker.key`.
 *
 * - `ecr.request.count` (counter): logical calls, retries included in one, with `ecr.outcome`;
 * - `ecr.request.latency` (histogram, unit `ms`): their duration, with `ecr.outcome`;
 * - `ecr.request.errors` (counter): failed calls, with `ecr.error.kind`;
 * - `ecr.circuit_breaker.state` (observable gauge): 0 closed, 1 half-open, 2 open, per breaker key.
 */
export class EcrMetrics {
  readonly requestCount: Counter;
  readonly requestLatency: Histogram;
  readonly requestErrors: Counter;
  readonly breakerState: ObservableGauge;

  constructor(meter: Meter = otelMetrics.getMeter(packageName, packageVersion)) {
    const { createCounter, createHistogram, createObservableGauge } = readOptions(
      meter,
      ['createCounter', 'createHistogram', 'createObservableGauge'],
      'meter',
    );
    if (typeof createCounter !== 'function' || typeof createHistogram !== 'function' || typeof createObservableGauge !== 'function') {
      throw invalidParameter('meter', 'must be an OpenTelemetry Meter (createCounter, createHistogram, createObservableGauge)');
    }
    this.requestCount = meter.createCounter('ecr.request.count', { description: 'ECR calls, each counted once however often it was retried' });
    this.requestLatency = meter.createHistogram('ecr.request.latency', { unit: 'ms', description: 'Duration of one ECR call, retries included' });
    this.requestErrors = meter.createCounter('ecr.request.errors', { description: 'ECR calls that failed, by error kind' });
    this.breakerState = meter.createObservableGauge('ecr.circuit_breaker.state', { description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open' });
  }

  /** Report a breaker's states on `ecr.circuit_breaker.state`, one series per key, until disposed. */
  observeBreaker(breaker: CircuitBreaker): Disposable {
    const callback = (result: ObservableResult) => {
      for (const key of breaker.keys()) result.observe(circuitStateValue[breaker.state(key)], { 'ecr.breaker.key': key });
    };
    this.breakerState.addCallback(callback);
    return { dispose: () => this.breakerState.removeCallback(callback) };
  }
}

/** The pipeline's instruments on `meter` (default: the global OpenTelemetry meter provider's). */
export function createEcrMetrics(meter?: Meter): EcrMetrics {
  return new EcrMetrics(meter);
}
