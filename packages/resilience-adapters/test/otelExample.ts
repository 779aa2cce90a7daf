import { ecrConfig } from '@ecrkit/core-types';
import type { Logger } from '@ecrkit/core-types';
import { resilient } from '@ecrkit/resilience-adapters';
import { SimulatedRegistry, startSimulationServer } from '@ecrkit/simulation';
import { createSigV4Transport } from '@ecrkit/transport-sigv4';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';

// 1. The OpenTelemetry SDK, registered globally before the pipeline is built. NodeTracerProvider
//    brings Node's async context, so the transport's spans nest under each call's span across
//    retries. In-memory exporters here; an OTLP exporter in production.
const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
tracerProvider.register();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);
// Structured logs: pino() fits this shape; every line carries module and event_type.
const logger: Logger = { debug() {}, info() {}, warn: (fields) => console.log('log', JSON.stringify(fields).slice(0, 60)), error() {} };

// 2. An endpoint (the simulation's HTTP server), and the pipeline over the SigV4 transport.
const registry = new SimulatedRegistry()
  .withImage('web-app', { tags: ['v1'] })
  .withErrorInjection({ operation: 'DescribeImages', sequence: ['ServerException'] });
const server = await startSimulationServer({ registry });
const config = ecrConfig()
  .region('us-east-1')
  .endpointUrl(server.url)
  .auth({ type: 'static', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret-key' })
  .build();
const transport = resilient(createSigV4Transport(config), { config, retry: { baseDelayMs: 1 }, instrumentation: { logger } });
// The first call meets the injected HTTP 500 and is retried; the second fails for good (and is logged).
await transport.send({ api: 'ecr', operation: 'DescribeImages', region: 'us-east-1', input: { repositoryName: 'web-app' } });
await transport.send({ api: 'ecr', operation: 'DescribeImages', region: 'us-east-1', input: { repositoryName: 'nope' } }).catch(() => undefined);

// 3. What was recorded: one span per call with the transport's spans under it, and the metrics.
const finished = spans.getFinishedSpans();
for (const call of finished.filter((span) => span.parentSpanContext === undefined)) {
  const children = finished.filter((span) => span.parentSpanContext?.spanId === call.spanContext().spanId).map((span) => span.name);
  console.log(call.name, call.attributes['rpc.system'], call.attributes['ecr.retry.count'], children.join(' '));
}
await reader.forceFlush();
const names = metricExporter.getMetrics().flatMap((m) => m.scopeMetrics.flatMap((s) => s.metrics.map((x) => x.descriptor.name)));
console.log([...new Set(names)].sort().join(' '));
// ECR.DescribeImages aws-api 1 ecr.credentials ecr.sign POST ecr.parse_response ecr.sign POST ecr.parse_response
// ECR.DescribeImages aws-api 0 ecr.sign POST ecr.parse_response
// ecr.circuit_breaker.state ecr.request.count ecr.request.errors ecr.request.latency

await transport.destroy();
await server.close();
await tracerProvider.shutdown();
await meterProvider.shutdown();
