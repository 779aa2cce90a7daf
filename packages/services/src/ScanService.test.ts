import { describe, expect, it } from 'vitest';
import type { EnhancedImageScanFinding, ImageScanFinding, ScanStatus } from '@ecrkit/core-types';
import type { ScanFindings } from './ScanService.js';
import { rejection, settle, setup } from '../test/fixtures.js';

function scanned(counts = { critical: 1, high: 2, medium: 3, low: 4 }) {
  const f = setup();
  f.registry.withImage('web-app', { tags: ['v1'] }).withScanFindings('web-app', 'v1', counts);
  f.registry.clearOperationHistory();
  return f;
}

describe('ScanService', () => {
  it('start() starts a scan; a second within 24 hours is LimitExceeded; an index is UnsupportedImageType', async () => {
    const f = setup();
    const img = f.registry.addImage('web-app', { tags: ['v1'] });
    f.registry.withImage('multi', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64'] });
    expect(await f.client.scans.start('web-app', 'v1')).toEqual({ imageId: { imageDigest: img.imageDigest, imageTag: 'v1' }, status: 'IN_PROGRESS' });
    expect(await rejection(f.client.scans.start('web-app', 'v1'))).toMatchObject({ kind: 'LimitExceeded' });
    expect(await rejection(f.client.scans.start('multi', 'v1'))).toMatchObject({ kind: 'UnsupportedImageType' });
    expect(await rejection(f.client.scans.start('web-app', 'nope'))).toMatchObject({ kind: 'ImageNotFound' });
  });

  it('getFindings() merges every page and keeps ECR counts', async () => {
    const f = scanned({ critical: 40, high: 80, medium: 60, low: 70 });
    const result = await f.client.scans.getFindings('web-app', 'v1', { pageSize: 100 });
    expect(result.findings).toHaveLength(250);
    expect(new Set(result.findings.map((x) => x.name)).size).toBeGreaterThan(200);
    expect(result.findingSeverityCounts).toEqual({ CRITICAL: 40, HIGH: 80, MEDIUM: 60, LOW: 70 });
    expect(result.status).toBe('COMPLETE');
    expect(result.imageScanCompletedAt).toBeInstanceOf(Date);
    expect(f.ops()).toEqual(['DescribeImageScanFindings', 'DescribeImageScanFindings', 'DescribeImageScanFindings']);
  });

  it('getFindings() returns enhanced findings in their own list', async () => {
    const f = setup();
    f.registry.withImage('web-app', { tags: ['v1'] }).withScanFindings('web-app', 'v1', { critical: 2, low: 1 }, { enhanced: true });
    const result = await f.client.scans.getFindings('web-app', 'v1');
    expect(result.status).toBe('ACTIVE');
    expect(result.findings).toEqual([]);
    expect(result.enhancedFindings).toHaveLength(3);
    expect(f.client.scans.evaluate(result, { maxCritical: 1 })).toMatchObject({ passed: false, counts: { CRITICAL: 2, LOW: 1 } });
  });

  it('getFindings() without a scan is ScanNotFound; getStatus() then has no status', async () => {
    const f = setup();
    const img = f.registry.addImage('web-app', { tags: ['v1'] });
    expect(await rejection(f.client.scans.getFindings('web-app', 'v1'))).toMatchObject({ kind: 'ScanNotFound' });
    expect(await f.client.scans.getStatus('web-app', 'v1')).toEqual({ imageId: { imageTag: 'v1', imageDigest: img.imageDigest } });
    await f.client.scans.start('web-app', 'v1');
    expect(await f.client.scans.getStatus('web-app', 'v1')).toMatchObject({ status: 'IN_PROGRESS' });
  });

  it('getStatus() reports a finished scan with ECR counts', async () => {
    const f = scanned();
    expect(await f.client.scans.getStatus('web-app', 'v1')).toMatchObject({
      status: 'COMPLETE',
      findingSeverityCounts: { CRITICAL: 1, HIGH: 2, MEDIUM: 3, LOW: 4 },
    });
    expect(f.ops()).toEqual(['DescribeImages']);
  });

  it('waitForScan() polls with backoff on the clock until COMPLETE, then returns every finding', async () => {
    const f = setup();
    f.registry.configureScanProgression({ sequence: ['PENDING', 'IN_PROGRESS', 'COMPLETE'], advanceOn: 'time', stepMs: 10_000, findings: { high: 3 } });
    f.registry.withImage('web-app', { tags: ['v1'] });
    await f.client.scans.start('web-app', 'v1');
    const progress: unknown[] = [];
    const result = await settle(f.clock, f.client.scans.waitForScan('web-app', 'v1', { onProgress: (p) => progress.push(p) }));
    expect(result.status).toBe('COMPLETE');
    expect(result.findings).toHaveLength(3);
    // Polls at 0, 1, 3, 7, 15 s see PENDING/IN_PROGRESS; the one at 31 s sees COMPLETE.
    expect(progress).toEqual([
      { attempt: 1, elapsedMs: 0, nextDelayMs: 1000, status: 'PENDING' },
      { attempt: 2, elapsedMs: 1000, nextDelayMs: 2000, status: 'PENDING' },
      { attempt: 3, elapsedMs: 3000, nextDelayMs: 4000, status: 'PENDING' },
      { attempt: 4, elapsedMs: 7000, nextDelayMs: 8000, status: 'PENDING' },
      { attempt: 5, elapsedMs: 15000, nextDelayMs: 16000, status: 'IN_PROGRESS' },
    ]);
    expect(f.ops({ operation: 'DescribeImageScanFindings' })).toHaveLength(6);
  });

  it('waitForScan() ends with ScanTimeout when the scan never finishes', async () => {
    const f = setup();
    f.registry.configureScanProgression({ sequence: ['IN_PROGRESS'] });
    f.registry.withImage('web-app', { tags: ['v1'] });
    await f.client.scans.start('web-app', 'v1');
    const err = await rejection(settle(f.clock, f.client.scans.waitForScan('web-app', 'v1', { timeoutMs: 60_000 })));
    expect(err).toMatchObject({ kind: 'ScanTimeout' });
    expect((err as Error).message).toContain('IN_PROGRESS');
    expect(f.ops({ operation: 'DescribeImageScanFindings' })).toHaveLength(7);
  });

  it('waitForScan() returns a FAILED scan, which evaluate() fails', async () => {
    const f = setup();
    f.registry.configureScanProgression({ sequence: ['IN_PROGRESS', 'FAILED'] });
    f.registry.withImage('web-app', { tags: ['v1'] });
    await f.client.scans.start('web-app', 'v1');
    const result = await settle(f.clock, f.client.scans.waitForScan('web-app', 'v1'));
    expect(result.status).toBe('FAILED');
    expect(f.client.scans.evaluate(result, {})).toEqual({ passed: false, counts: expect.any(Object), violations: ['scan status is FAILED, not COMPLETE'] });
  });

  it('waitForScan() keeps polling through a status it does not know, instead of calling it failed', async () => {
    // A status AWS might add later; the simulation reports it as given.
    const future = 'SOME_FUTURE_STATUS' as ScanStatus;
    const f = setup();
    f.registry.configureScanProgression({ sequence: ['IN_PROGRESS', future, future, 'COMPLETE'], findings: { high: 2 }, advanceOn: 'poll' });
    f.registry.withImage('web-app', { tags: ['v1'] });
    await f.client.scans.start('web-app', 'v1');
    const progress: (string | undefined)[] = [];
    const result = await settle(f.clock, f.client.scans.waitForScan('web-app', 'v1', { onProgress: (p) => progress.push(p.status) }));
    expect(progress).toEqual(['IN_PROGRESS', future, future]);
    expect(result.status).toBe('COMPLETE');
    expect(result.findings).toHaveLength(2);
    expect(f.ops({ operation: 'DescribeImageScanFindings' })).toHaveLength(4);
  });

  it('waitForScan() stops at once on abort, mid-sleep', async () => {
    const f = setup();
    f.registry.configureScanProgression({ sequence: ['IN_PROGRESS'] });
    f.registry.withImage('web-app', { tags: ['v1'] });
    await f.client.scans.start('web-app', 'v1');
    const controller = new AbortController();
    const waiting = f.client.scans.waitForScan('web-app', 'v1', { signal: controller.signal }).catch((e: unknown) => e);
    await f.clock.advance(2500);
    controller.abort();
    expect(await waiting).toMatchObject({ kind: 'Aborted' });
    expect(f.clock.pending).toBe(0);
    expect(f.ops({ operation: 'DescribeImageScanFindings' })).toHaveLength(2);
  });

  it('waitForScan() on an image never scanned is ScanNotFound at once', async () => {
    const f = setup();
    f.registry.withImage('web-app', { tags: ['v1'] });
    expect(await rejection(f.client.scans.waitForScan('web-app', 'v1'))).toMatchObject({ kind: 'ScanNotFound' });
  });

  it('bad input is refused before anything is sent', async () => {
    const f = setup();
    expect(await rejection(f.client.scans.start('web-app', 'bad tag'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(await rejection(f.client.scans.getFindings('Bad', 'v1'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(await rejection(f.client.scans.getFindings('web-app', 'v1', { pageSize: 0 }))).toMatchObject({ kind: 'InvalidParameter', field: 'pageSize' });
    expect(await rejection(f.client.scans.waitForScan('web-app', 'v1', { timeoutMs: -5 }))).toMatchObject({ kind: 'InvalidParameter' });
    expect(f.ops()).toEqual([]);
  });
});

describe('ScanService.evaluate', () => {
  const { client } = setup();
  const result = (findings: ImageScanFinding[], enhanced: EnhancedImageScanFinding[] = []): ScanFindings => ({
    repositoryName: 'web-app',
    imageId: { imageTag: 'v1' },
    status: 'COMPLETE',
    findingSeverityCounts: {},
    findings,
    enhancedFindings: enhanced,
  });
  const basic = [
    { name: 'CVE-1', severity: 'CRITICAL' },
    { name: 'CVE-2', severity: 'HIGH' },
    { name: 'CVE-3', severity: 'HIGH' },
    { name: 'CVE-4', severity: 'MEDIUM' },
    { name: 'CVE-5', severity: 'LOW' },
    { name: 'CVE-6', severity: 'INFORMATIONAL' },
  ] as const satisfies ImageScanFinding[];

  it('passes within the thresholds and names each violation', () => {
    expect(client.scans.evaluate(result([...basic]), { maxCritical: 1, maxHigh: 2 })).toEqual({
      passed: true,
      counts: { CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 1, INFORMATIONAL: 1, UNDEFINED: 0 },
      violations: [],
    });
    expect(client.scans.evaluate(result([...basic]), { maxCritical: 0, maxHigh: 1, maxMedium: 1, maxLow: 0 }).violations).toEqual([
      '1 CRITICAL findings exceed maxCritical 0',
      '2 HIGH findings exceed maxHigh 1',
      '1 LOW findings exceed maxLow 0',
    ]);
  });

  it('leaves ignored vulnerability names out, for basic and enhanced findings', () => {
    const enhanced = [{ title: 'CVE-9', severity: 'CRITICAL', packageVulnerabilityDetails: { vulnerabilityId: 'CVE-9' } }];
    const verdict = client.scans.evaluate(result([...basic], enhanced), { maxCritical: 0, ignore: ['CVE-1', 'CVE-9'] });
    expect(verdict).toMatchObject({ passed: true, counts: { CRITICAL: 0 } });
    expect(client.scans.evaluate([...basic, ...enhanced], { maxCritical: 0, ignore: ['CVE-1'] })).toMatchObject({ passed: false, counts: { CRITICAL: 1 } });
  });

  it('uses ECR counts when a result carries no finding details', () => {
    const counted = { ...result([]), findingSeverityCounts: { CRITICAL: 2, HIGH: 1 } };
    expect(client.scans.evaluate(counted, { maxCritical: 1 })).toMatchObject({ passed: false, counts: { CRITICAL: 2, HIGH: 1 } });
  });

  it('an unknown severity counts as UNDEFINED', () => {
    expect(client.scans.evaluate([{ name: 'X', severity: 'UNTRIAGED' as never }], {}).counts.UNDEFINED).toBe(1);
  });

  it('refuses negative, fractional or non-list thresholds', () => {
    expect(() => client.scans.evaluate([], { maxHigh: -1 })).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'maxHigh' }));
    expect(() => client.scans.evaluate([], { maxLow: 0.5 })).toThrow(expect.objectContaining({ field: 'maxLow' }));
    expect(() => client.scans.evaluate([], { ignore: 'CVE-1' as never })).toThrow(expect.objectContaining({ field: 'ignore' }));
  });
});
