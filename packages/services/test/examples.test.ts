// The usage examples of the specification, as executable tests against the in-process simulation.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ManualClock, ecrConfig } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';
import { createClient } from '../src/index.js';
import { settle } from './fixtures.js';

function world() {
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  const registry = new SimulatedRegistry({ clock, seed: 42 });
  const config = ecrConfig().region('us-east-1').registryId('123456789012').build();
  const client = createClient(config, { transport: createSimulatedTransport(registry), clock });
  return { clock, registry, client };
}

describe('usage examples', () => {
  it('list all images of a repository, across every page', async () => {
    const { registry, client } = world();
    for (let i = 0; i < 250; i++) registry.withImage('web-app', { tags: [`build-${i}`], layers: 1 });

    const images = [];
    for await (const image of client.images.describe('web-app')) images.push(image);

    expect(images).toHaveLength(250);
    expect(new Set(images.map((i) => i.imageDigest)).size).toBe(250);
    expect(registry.getOperationHistory({ operation: 'DescribeImages' })).toHaveLength(3);
  });

  it('scan an image and evaluate it against deployment thresholds', async () => {
    const { clock, registry, client } = world();
    registry.configureScanProgression({ findings: { critical: 1, high: 4, medium: 10 } });
    registry.withImage('api-service', { tags: ['v2.0.0'] });

    await client.scans.start('api-service', 'v2.0.0');
    const findings = await settle(clock, client.scans.waitForScan('api-service', 'v2.0.0', { timeoutMs: 10 * 60_000 }));
    const verdict = client.scans.evaluate(findings, { maxCritical: 0, maxHigh: 5 });

    expect(findings.status).toBe('COMPLETE');
    expect(verdict.passed).toBe(false);
    expect(verdict.counts).toMatchObject({ CRITICAL: 1, HIGH: 4, MEDIUM: 10 });
    expect(verdict.violations).toEqual(['1 CRITICAL findings exceed maxCritical 0']);
  });

  it('wait for cross-region replication of a new image', async () => {
    const { clock, registry, client } = world();
    registry.configureReplication({ destinations: [{ region: 'us-west-2' }, { region: 'eu-central-1' }], advanceOn: 'time', stepMs: 45_000 });
    const pushed = registry.addImage('web-app', { tags: ['v3'] });

    const result = await settle(clock, client.replication.waitForReplication('web-app', pushed.imageDigest, ['us-west-2', 'eu-central-1']));

    expect(result.complete).toBe(true);
    expect(result.regions.map((r) => `${r.region} ${r.status}`)).toEqual(['us-west-2 COMPLETE', 'eu-central-1 COMPLETE']);
    // Replicas land at 45 s; the waiter's jittered backoff (polls no later than 0, 1, 3, 7, 15, 31, 61 s) sees it by 61 s.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(45_000);
    expect(result.elapsedMs).toBeLessThanOrEqual(61_000);
  });

  it('docker login for CI: the password goes to stdin, never to argv', async () => {
    const { client } = world();
    const login = await client.auth.getLoginCommand();

    // What a CI step does: spawn(login.command, login.args, { input: login.stdin.reveal() }).
    // A stand-in "docker" that echoes what it received shows where the password went.
    const echo = spawnSync(
      process.execPath,
      [
        '-e',
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify({argv:process.argv.slice(1),stdin:s})))',
        ...login.args,
      ],
      {
        input: login.stdin.reveal(),
        encoding: 'utf8',
      },
    );
    const seen = JSON.parse(echo.stdout) as { argv: string[]; stdin: string };

    expect(seen.argv).toEqual(['login', '--username', 'AWS', '--password-stdin', '123456789012.dkr.ecr.us-east-1.amazonaws.com']);
    expect(seen.stdin).toBe(login.stdin.reveal());
    expect(seen.argv.join(' ')).not.toContain(login.stdin.reveal());
    expect(String(login)).toBe(
      'aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com',
    );
  });

  it('resolve the arm64 manifest and config of a multi-architecture image', async () => {
    const { registry, client } = world();
    const pushed = registry.addImage('web-app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'] });

    const arm = await client.manifests.getPlatformManifest('web-app', 'v1', 'linux/arm64/v8');
    const config = await client.manifests.getImageConfig('web-app', 'v1', { platform: 'linux/arm64/v8' });

    expect(arm.digest).toBe(pushed.children?.[1]?.imageDigest);
    expect(config).toMatchObject({ os: 'linux', architecture: 'arm64', variant: 'v8' });
  });

  it('the simulated scan workflow, asserted through the operation history', async () => {
    const { clock, registry, client } = world();
    // One step per DescribeImageScanFindings (the default moves scans on the clock), so the history is exact.
    registry.withRepository('payments', { scanOnPush: true }).configureScanProgression({ findings: { high: 1 }, advanceOn: 'poll' });
    registry.withImage('payments', { tags: ['2026.03.01'] });

    const { imageUri, digest } = await client.getImageForDeployment('payments', '2026.03.01');
    const findings = await settle(clock, client.scans.waitForScan('payments', { imageDigest: digest }));
    const gate = client.scans.evaluate(findings, { maxCritical: 0, maxHigh: 1 });

    expect(imageUri).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/payments@${digest}`);
    expect(gate.passed).toBe(true);
    expect(registry.getOperationHistory().map((e) => `${e.operation} ${e.outcome === 'success' ? 'ok' : 'failed'}`)).toEqual([
      'DescribeImages ok',
      'DescribeImageScanFindings ok',
      'DescribeImageScanFindings ok',
    ]);
    expect(registry.getOperationHistory()[1]?.input).toEqual({ registryId: '123456789012', repositoryName: 'payments', imageId: { imageDigest: digest } });
  });
});
