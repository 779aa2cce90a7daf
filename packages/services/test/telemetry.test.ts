// The services' half of the telemetry: business metrics on a real OpenTelemetry meter (any
// `Meter` fits the services' `MeterLike`) and structured security and scan logs.
import type { Logger } from '@ecrkit/core-types';
import { AggregationTemporality, DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection, setup } from './fixtures.js';

class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.shutdown()));
});

function telemetry() {
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  providers.push(provider);
  const lines: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const log = (level: string) => (obj: object, msg?: string) =>
    void lines.push({ level, obj: JSON.parse(JSON.stringify(obj)) as Record<string, unknown>, msg });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return {
    meter: provider.getMeter('test'),
    logger,
    lines,
    async metrics(): Promise<MetricData[]> {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    },
  };
}

function points(metrics: MetricData[], name: string): DataPoint<unknown>[] {
  return (metrics.find((m) => m.descriptor.name === name)?.dataPoints ?? []) as DataPoint<unknown>[];
}
function sum(metrics: MetricData[], name: string): number {
  return points(metrics, name).reduce((total, p) => total + (p.value as number), 0);
}

describe('business metrics', () => {
  it('count repositories listed, images described and token cache hits and misses', async () => {
    const t = telemetry();
    const f = setup({ client: { meter: t.meter } });
    f.registry
      .withRepository('web-app')
      .withRepository('api')
      .withImage('web-app', { tags: ['v1'] })
      .withImage('web-app', { tags: ['v2'] });
    await f.client.repositories.list().toArray();
    await f.client.repositories.list({ namePrefix: 'web' }).toArray();
    await f.client.images.describe('web-app').toArray();
    await f.client.auth.getAuthorizationToken();
    await f.client.auth.getAuthorizationToken();
    await Promise.all([f.client.auth.getDockerCredentials(), f.client.auth.getDockerCredentials()]);
    const m = await t.metrics();
    expect(sum(m, 'ecr.repositories.listed')).toBe(3);
    expect(sum(m, 'ecr.images.described')).toBe(2);
    expect(sum(m, 'ecr.token.cache_miss')).toBe(1);
    expect(sum(m, 'ecr.token.cache_hit')).toBe(3);
    expect(points(m, 'ecr.images.described')[0]?.attributes).toEqual({ 'ecr.region': 'us-east-1' });
  });

  it('record each completed scan once as a histogram sample per severity, however often it is read', async () => {
    const t = telemetry();
    const f = setup({ client: { meter: t.meter } });
    f.registry.withImage('web-app', { tags: ['v1'] }).withScanFindings('web-app', 'v1', { critical: 2, high: 1, low: 4 });
    await f.client.scans.getFindings('web-app', 'v1');
    await f.client.scans.getFindings('web-app', 'v1');
    const m = await t.metrics();
    const bySeverity = Object.fromEntries(
      points(m, 'ecr.scans.findings').map((p) => [
        p.attributes['ecr.finding.severity'],
        { count: (p.value as Histogram).count, sum: (p.value as Histogram).sum },
      ]),
    );
    expect(bySeverity).toEqual({
      CRITICAL: { count: 1, sum: 2 },
      HIGH: { count: 1, sum: 1 },
      MEDIUM: { count: 1, sum: 0 },
      LOW: { count: 1, sum: 4 },
      INFORMATIONAL: { count: 1, sum: 0 },
      UNDEFINED: { count: 1, sum: 0 },
    });
    expect(m.find((x) => x.descriptor.name === 'ecr.scans.findings')?.dataPointType).toBe(DataPointType.HISTOGRAM);
  });
});

describe('structured logs', () => {
  it('carry module and event_type: ACCESS_DENIED, TOKEN_REFRESH_FAILED, CROSS_ACCOUNT_ACCESS, and never a token', async () => {
    const t = telemetry();
    const f = setup({ client: { logger: t.logger }, config: (b) => b.registryId('210987654321') });
    f.registry.withRepository('web-app');
    f.registry.withErrorInjection({ operation: 'DescribeRepositories', error: 'AccessDeniedException', times: 1 });
    f.registry.withErrorInjection({ operation: 'GetAuthorizationToken', error: 'ServerException', times: 1 });
    await rejection(f.client.repositories.get('web-app'));
    await rejection(f.client.auth.getAuthorizationToken());
    const [token] = await f.client.auth.getAuthorizationToken();
    await f.client.repositories
      .list()
      .toArray()
      .catch(() => undefined);
    await f.client.repositories
      .list()
      .toArray()
      .catch(() => undefined);
    const events = t.lines.map((l) => [l.level, l.obj.module, l.obj.event_type]);
    expect(events).toEqual([
      ['warn', 'services', 'ACCESS_DENIED'],
      ['warn', 'services.auth', 'TOKEN_REFRESH_FAILED'],
      // Once per foreign registry, after the caller's own account is known from its token.
      ['info', 'services', 'CROSS_ACCOUNT_ACCESS'],
    ]);
    expect(t.lines[0]?.obj).toMatchObject({ operation: 'DescribeRepositories', region: 'us-east-1', registryId: '210987654321' });
    expect(t.lines[2]?.obj).toMatchObject({ registryId: '210987654321', account: '123456789012', operation: 'DescribeRepositories' });
    expect(JSON.stringify(t.lines)).not.toContain(token?.token.reveal());
  });

  it.each([
    ['off', 0, false],
    ['counts', 1, false],
    ['full', 1, true],
  ] as const)('log completed scans as configured: %s', async (level, lines, withFindings) => {
    const t = telemetry();
    const f = setup({ client: { logger: t.logger, scanFindingsLog: level } });
    f.registry.withImage('web-app', { tags: ['v1'] }).withScanFindings('web-app', 'v1', [
      { name: 'CVE-2024-0001', severity: 'CRITICAL' },
      { name: 'CVE-2024-0002', severity: 'LOW' },
    ]);
    await f.client.scans.getFindings('web-app', 'v1');
    const scans = t.lines.filter((l) => l.obj.event_type === 'SCAN_FINDINGS');
    expect(scans).toHaveLength(lines);
    if (lines === 0) return;
    expect(scans[0]?.obj).toMatchObject({ module: 'services.scans', repositoryName: 'web-app', counts: { CRITICAL: 1, LOW: 1, HIGH: 0 } });
    expect('findings' in (scans[0]?.obj ?? {})).toBe(withFindings);
    if (withFindings)
      expect(scans[0]?.obj.findings).toEqual([
        { name: 'CVE-2024-0001', severity: 'CRITICAL' },
        { name: 'CVE-2024-0002', severity: 'LOW' },
      ]);
  });
});
