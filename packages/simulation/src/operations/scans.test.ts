import { describe, expect, test } from 'vitest';
import { operationSetup } from '../../test/support/operationCalls.js';

const setup = () => operationSetup();

describe('scans', () => {
  test('StartImageScan: IN_PROGRESS however often it is polled, COMPLETE with findings and counts once the clock moves on', async () => {
    const { registry, clock, send, fail } = setup();
    registry.withImage('app', { tags: ['v1'] }).configureScanProgression({ findings: { critical: 1, high: 2 } });
    const missing = await fail('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    expect(missing.awsCode).toBe('ScanNotFoundException');
    expect(missing.message).toContain("Image scan does not exist for the image with '{imageDigest:'null', imageTag:'v1'}'");
    const started = await send('StartImageScan', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    expect(started.imageScanStatus).toEqual({ status: 'IN_PROGRESS' });
    const first = await send('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    expect(first.imageScanStatus.status).toBe('IN_PROGRESS');
    expect(first.imageScanFindings).toBeUndefined();
    expect((await send('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } })).imageScanStatus.status).toBe('IN_PROGRESS');
    expect((await send('DescribeImages', { repositoryName: 'app' })).imageDetails[0].imageScanStatus.status).toBe('IN_PROGRESS');
    await clock.advance(5000);
    const second = await send('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    expect(second.imageScanStatus).toEqual({ status: 'COMPLETE', description: 'The scan was completed successfully.' });
    expect(second.imageScanFindings.findingSeverityCounts).toEqual({ CRITICAL: 1, HIGH: 2 });
    expect(second.imageScanFindings.findings).toHaveLength(3);
    expect(second.imageScanFindings.findings[0]).toMatchObject({ name: expect.stringMatching(/^CVE-\d{4}-\d+$/), severity: 'CRITICAL' });
    expect(second.imageScanFindings.imageScanCompletedAt).toBeInstanceOf(Date);
    const { imageDetails } = await send('DescribeImages', { repositoryName: 'app' });
    expect(imageDetails[0].imageScanFindingsSummary.findingSeverityCounts).toEqual({ CRITICAL: 1, HIGH: 2 });
    expect((await fail('StartImageScan', { repositoryName: 'app', imageId: { imageTag: 'v1' } })).awsCode).toBe('LimitExceededException');
  });

  test('time-driven progressions follow the clock; sequences can end in FAILED', async () => {
    const { registry, clock, send } = setup();
    registry.configureScanProgression({ sequence: ['PENDING', 'IN_PROGRESS', 'FAILED'], advanceOn: 'time', stepMs: 1000 });
    registry.withRepository('app', { scanOnPush: true }).withImage('app', { tags: ['v1'] });
    const status = async () => (await send('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } })).imageScanStatus.status;
    expect(await status()).toBe('PENDING');
    expect(await status()).toBe('PENDING');
    await clock.advance(1000);
    expect(await status()).toBe('IN_PROGRESS');
    await clock.advance(5000);
    expect(await status()).toBe('FAILED');
  });

  test('findings paginate; enhanced findings have the Inspector shape', async () => {
    const { registry, send } = setup();
    registry.withImage('app', { tags: ['v1'] }).withScanFindings('app', 'v1', { high: 3, low: 2 });
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await send('DescribeImageScanFindings', {
        repositoryName: 'app',
        imageId: { imageTag: 'v1' },
        maxResults: 2,
        ...(nextToken ? { nextToken } : {}),
      });
      expect(page.imageScanFindings.findings.length).toBeLessThanOrEqual(2);
      seen.push(...page.imageScanFindings.findings.map((f: any) => f.name));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toHaveLength(5);

    registry
      .withImage('app', { tags: ['v2'] })
      .withScanFindings(
        'app',
        'v2',
        [{ name: 'CVE-2024-0001', severity: 'CRITICAL', packageName: 'openssl', packageVersion: '3.0.1', fixedInVersion: '3.0.2' }],
        { enhanced: true },
      );
    const enhanced = await send('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v2' } });
    expect(enhanced.imageScanStatus.status).toBe('ACTIVE');
    expect(enhanced.imageScanFindings.findings).toBeUndefined();
    expect(enhanced.imageScanFindings.enhancedFindings[0]).toMatchObject({
      severity: 'CRITICAL',
      type: 'PACKAGE_VULNERABILITY',
      packageVulnerabilityDetails: { vulnerabilityId: 'CVE-2024-0001', vulnerablePackages: [{ name: 'openssl', version: '3.0.1', fixedInVersion: '3.0.2' }] },
      resources: [{ type: 'AWS_ECR_CONTAINER_IMAGE', details: { awsEcrContainerImage: { repositoryName: 'app', imageTags: ['v2'] } } }],
    });
    expect(enhanced.imageScanFindings.enhancedFindings[0].firstObservedAt).toBeInstanceOf(Date);
  });

  test('indexes cannot be scanned; unknown images are ImageNotFoundException', async () => {
    const { registry, fail } = setup();
    registry.withImage('app', { tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64'] });
    expect((await fail('StartImageScan', { repositoryName: 'app', imageId: { imageTag: 'multi' } })).awsCode).toBe('UnsupportedImageTypeException');
    expect((await fail('StartImageScan', { repositoryName: 'app', imageId: { imageTag: 'nope' } })).awsCode).toBe('ImageNotFoundException');
  });

  test('registry scanning configuration: defaults, rules, enhanced scans on push', async () => {
    const { registry, send, fail } = setup();
    expect(await send('GetRegistryScanningConfiguration', {})).toEqual({ registryId: '123456789012', scanningConfiguration: { scanType: 'BASIC', rules: [] } });
    const put = await send('PutRegistryScanningConfiguration', {
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'prod-*', filterType: 'WILDCARD' }] }],
    });
    expect(put.registryScanningConfiguration.scanType).toBe('ENHANCED');
    expect(
      (await fail('PutRegistryScanningConfiguration', { scanType: 'BASIC', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [] }] })).awsCode,
    ).toBe('ValidationException');
    registry.withImage('prod-api', { tags: ['v1'] }).withImage('dev-api', { tags: ['v1'] });
    const prod = await send('DescribeImages', { repositoryName: 'prod-api' });
    expect(prod.imageDetails[0].imageScanStatus.status).toBe('IN_PROGRESS');
    const dev = await send('DescribeImages', { repositoryName: 'dev-api' });
    expect(dev.imageDetails[0].imageScanStatus).toBeUndefined();
  });
});
