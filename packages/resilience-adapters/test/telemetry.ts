import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { DataPoint, MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '@ecrkit/core-types';

/** A reader that collects only when the test asks. */
class ManualMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** One logged line, as a pino transport would see it. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

/** In-memory OpenTelemetry SDK (spans and metrics) and a capturing logger. */
export function createTelemetry() {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const reader = new ManualMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const lines: LogLine[] = [];
  const log = (level: LogLine['level']) => (obj: object, msg?: string) => {
    // Serialise at once, as a real logger would; later mutation must not change what was logged.
    lines.push({ level, obj: JSON.parse(JSON.stringify(obj)) as object, msg });
  };
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return {
    tracer: tracerProvider.getTracer('test'),
    meter: meterProvider.getMeter('test'),
    logger,
    lines,
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    async metrics(): Promise<MetricData[]> {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    },
    async shutdown(): Promise<void> {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The data points of one metric, or [] when it recorded nothing. */
export function pointsOf(metrics: MetricData[], name: string): DataPoint<unknown>[] {
  return (metrics.find((m) => m.descriptor.name === name)?.dataPoints ?? []) as DataPoint<unknown>[];
}

/** Sum of a counter's points whose attributes include `match`. */
export function sumOf(metrics: MetricData[], name: string, match: Record<string, unknown> = {}): number {
  return pointsOf(metrics, name)
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((total, p) => total + (p.value as number), 0);
}
