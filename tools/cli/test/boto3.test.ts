import { fileURLToPath } from 'node:url';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { independentClientAvailable, runIndependentClient } from '@ecrkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, tempDir } from './runCli.js';

// The simulation's ECR and ECR Public API against boto3 from Debian: its paginators, waiter,
// error factory (modeled exception classes) and timestamp parsing, over the real HTTP server with
// signature verification on. The Python side (fixtures/boto3_client.py) only observes; the
// assertions are here.

const haveBoto3 = independentClientAvailable('boto3');
const script = fileURLToPath(new URL('./fixtures/boto3_client.py', import.meta.url));
const dir = tempDir('ecrkit-boto3-');
const accessKeyId = 'AKIDBOTO3TEST';
const secretAccessKey = 'boto3-test-secret';
let registry: SimulatedRegistry;
let server: SimulationServer;
let seen: Record<string, unknown>;

const tags = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);

beforeAll(async () => {
  if (!haveBoto3) return;
  registry = new SimulatedRegistry().withRepository('team/many').withRepository('team/scanned', { scanOnPush: true });
  for (const tag of tags) registry.withImage('team/many', { tags: [tag] });
  for (let i = 0; i < 3; i++) registry.withImage('team/many', { tags: [] });
  // Pushed with scan-on-push; the scan ends 1.5 s from now, so the waiter has to poll again.
  registry.withImage('team/scanned', { tags: ['v1'] }).withScanOutcome('team/scanned', 'v1', { after: 1_500, findings: { high: 2, critical: 1 } });
  server = await startSimulationServer({ registry, verifySignatures: true, credentials: [{ accessKeyId, secretAccessKey }] });

  const env = baseEnv({ HOME: dir.path, ECRKIT_ENDPOINT: server.url, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey });
  const result = await runIndependentClient('boto3', [script], { env });
  expect(result.code, `python3 ${script}\n${result.stdout}\n${result.stderr}`).toBe(0);
  seen = JSON.parse(result.stdout) as Record<string, unknown>;
}, 60_000);
afterAll(async () => {
  await server?.close();
  dir.remove();
});

describe.skipIf(!haveBoto3)('boto3 against the simulation server', () => {
  it('paginators fetch every page at the size asked for, and timestamps parse as aware datetimes', () => {
    expect(seen.describeImagesPages).toEqual([7, 7, 7, 2]);
    expect(seen.describedTags).toEqual(tags);
    expect(seen.taggedListed).toBe(20);
    expect(seen.pushedAtAware).toBe(true);
    const pages = registry.getOperationHistory({ operation: 'DescribeImages' });
    expect(pages.map((p) => (p.input as { maxResults?: number }).maxResults)).toEqual([7, 7, 7, 7]);
  });

  it('the image_scan_complete waiter polls until the scripted scan completes, then reads its findings', () => {
    expect(seen.scanStatus).toBe('COMPLETE');
    expect(seen.severityCounts).toEqual({ HIGH: 2, CRITICAL: 1 });
    expect(seen.scanCompletedAtAware).toBe(true);
    const polls = registry.getOperationHistory({ operation: 'DescribeImageScanFindings' });
    // At least one poll saw it in progress; the last two (the waiter's and the read) saw it complete.
    expect(polls.length).toBeGreaterThanOrEqual(3);
  });

  it('errors carry ECR codes and status 400, and the modeled exception classes catch them', () => {
    expect(seen.errors).toEqual({
      duplicate: ['RepositoryAlreadyExistsException', 400],
      badName: ['InvalidParameterException', 400],
      missingRepository: ['RepositoryNotFoundException', 400],
      missingPolicy: ['RepositoryPolicyNotFoundException', 400],
    });
    expect(seen.modeledException).toBe('RepositoryNotFoundException');
    expect(seen.batchGet).toEqual({ found: ['t00'], failures: [['absent', 'ImageNotFound']] });
  });

  it('registry policy and pull-through cache rules round-trip, with their documented errors', () => {
    expect(seen.registryPolicy).toMatchObject({ Statement: [{ Sid: 'replicate', Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'] }] });
    expect(seen.registryPolicyAfterDelete).toEqual(['RegistryPolicyNotFoundException', 400]);
    expect(seen.pullThroughRules).toEqual([['quay', 'quay.io', true]]);
    expect(seen.duplicateRule).toEqual(['PullThroughCacheRuleAlreadyExistsException', 400]);
  });

  it('login data and ECR Public: the proxy endpoint, expiry times, tags and catalog data', () => {
    expect(seen.proxyEndpoint).toBe(server.url);
    expect(seen.tokenExpiresAware).toBe(true);
    expect(seen.publicTags).toEqual([{ Key: 'team', Value: 'platform' }]);
    expect(seen.publicCatalog).toEqual({ displayName: 'ecrkit tests' });
    expect(seen.publicTokenExpiresAware).toBe(true);
  });
});
