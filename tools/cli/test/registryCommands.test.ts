import { copyFileSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { SimulatedRegistry, demoSeed, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { captureIo } from './captureIo.js';
import { baseEnv, cliRoot, runCli, tempDir } from './runCli.js';

// `referrers`, `pull-through` and `registry-policy`, in process: on the embedded simulation
// (state kept in a file between commands, as a user's shell would), and against the
// simulation's HTTP face with `--target aws` (the referrers need images pushed with a subject).

const dir = tempDir();
const state = join(dir.path, 'state.json');
const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runWith({}, ...args);
}

async function runWith(options: { stdin?: NodeJS.ReadableStream }, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ cwd: dir.path, env: {}, ...options });
  const code = await main(['--state', state, ...args], io.io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(() => copyFileSync(join(cliRoot, 'test', 'fixtures', 'registry-policy.json'), join(dir.path, 'registry-policy.json')));
afterAll(() => dir.remove());

describe('pull-through', () => {
  it('create, list (table, json, --query), validate, delete; a missing rule exits 3', async () => {
    expect((await run('pull-through', 'list')).out).toBe('No pull through cache rules.\n');
    const created = await run('pull-through', 'create', 'hub', 'registry-1.docker.io', '--credential-arn', secret, '-o', 'json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({
      ecrRepositoryPrefix: 'hub',
      upstreamRegistry: 'docker-hub',
      credentialArn: secret,
      registryId: '123456789012',
    });
    expect((await run('pull-through', 'create', 'ecr-public', 'public.ecr.aws')).out).toBe(
      'Created rule ecr-public: pulls of ecr-public/<name> come from public.ecr.aws.\n',
    );

    const table = await run('pull-through', 'list');
    expect(table.out.split('\n')[0]).toMatch(/^PREFIX\s+UPSTREAM\s+REGISTRY\s+CREDENTIAL\s+CREATED$/);
    expect(table.out).toMatch(/hub\s+registry-1\.docker\.io\s+docker-hub\s+arn:aws:secretsmanager/);
    expect((await run('pull-through', 'list', '--prefix', 'ecr-public', '--query', 'pullThroughCacheRules[].upstreamRegistryUrl', '-o', 'text')).out).toBe(
      'public.ecr.aws\n',
    );

    const valid = await run('pull-through', 'validate', 'hub', '-o', 'json');
    expect([valid.code, JSON.parse(valid.out).isValid]).toEqual([0, true]);
    expect(JSON.parse((await run('pull-through', 'delete', 'hub', '-o', 'json')).out)).toMatchObject({ ecrRepositoryPrefix: 'hub' });
    const gone = await run('pull-through', 'validate', 'hub');
    expect(gone.code).toBe(3);
    expect(gone.err).toMatch(/^error: .*hub/);
  });

  it('bad input is a usage error (exit 2) naming the field, before anything is sent', async () => {
    const bad = await run('pull-through', 'create', 'Hub', 'quay.io', '-o', 'json');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.err)).toMatchObject({ kind: 'InvalidParameter', message: expect.stringContaining("'ecrRepositoryPrefix'") });
    const secretless = await run('pull-through', 'create', 'ghcr', 'ghcr.io', '--credential-arn', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x');
    expect(secretless.code).toBe(2);
    expect(secretless.err).toContain('credentialArn');
  });
});

describe('registry-policy', () => {
  it('put from a file, get (statements table, json in API field names), delete; none is exit 3', async () => {
    expect((await run('registry-policy', 'get')).code).toBe(3);
    const put = await run('registry-policy', 'put', 'registry-policy.json', '-o', 'json');
    expect(put.code).toBe(0);
    const document = JSON.parse(put.out) as { registryId: string; policyText: string };
    expect(document.registryId).toBe('123456789012');
    expect(JSON.parse(document.policyText).Statement[0].Sid).toBe('ReplicateFromSharedServices');

    const table = (await run('registry-policy', 'get')).out;
    expect(table).toMatch(/ReplicateFromSharedServices\s+Allow\s+AWS: arn:aws:iam::210987654321:root\s+ecr:ReplicateImage, ecr:CreateRepository/);
    expect((await run('registry-policy', 'delete')).out).toBe('Deleted the registry policy (1 statement).\n');
    const none = await run('registry-policy', 'delete', '-o', 'json');
    expect(none.code).toBe(3);
    expect(JSON.parse(none.err)).toMatchObject({ kind: 'RegistryPolicyNotFound', awsCode: 'RegistryPolicyNotFoundException' });
  });

  it('put - reads the document from standard input (in process, and through the bin); without one it is a usage error', async () => {
    const document = readFileSync(join(dir.path, 'registry-policy.json'), 'utf8');
    const piped = await runWith({ stdin: Readable.from([document]) }, 'registry-policy', 'put', '-', '--query', 'policyText', '--output', 'text');
    expect([piped.code, JSON.parse(piped.out).Statement[0].Sid]).toEqual([0, 'ReplicateFromSharedServices']);
    const none = await run('registry-policy', 'put', '-');
    expect([none.code, none.err]).toEqual([2, expect.stringContaining('No standard input to read the policy from')]);

    const bin = await runCli(['--state', state, 'registry-policy', 'put', '-', '-o', 'json'], { cwd: dir.path, env: baseEnv(), input: document });
    expect(bin.code, bin.stderr).toBe(0);
    expect(JSON.parse(JSON.parse(bin.stdout).policyText)).toEqual(JSON.parse(document));
  }, 60_000);

  it('an unreadable file or a document that is no policy is a usage error', async () => {
    const missing = await run('registry-policy', 'put', 'nope.json');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('Cannot read the policy file nope.json');
    copyFileSync(join(cliRoot, 'package.json'), join(dir.path, 'not-a-policy.json'));
    const wrong = await run('registry-policy', 'put', 'not-a-policy.json');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("'policyText'");
  });
});

describe('referrers (against the simulation over HTTP)', () => {
  const accessKeyId = 'AKIDECRKITREFERRERS';
  const secretAccessKey = 'ecrkit-referrers-test-secret';
  let server: SimulationServer;
  beforeAll(async () => {
    const registry = new SimulatedRegistry().loadSeed(demoSeed);
    registry
      .withReferrer('web-app', 'v1.2.0', { artifactType: 'application/vnd.cncf.notary.signature' })
      .withReferrer('web-app', 'v1.2.0', { artifactType: 'application/spdx+json', content: '{"spdxVersion":"SPDX-2.3"}' });
    server = await startSimulationServer({ registry, port: 0, credentials: [{ accessKeyId, secretAccessKey }] });
  });
  afterAll(() => server.close());
  const aws = async (...args: string[]) => {
    const io = captureIo({ cwd: dir.path, env: { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: 'us-east-1' } });
    const code = await main(['--target', 'aws', '--endpoint', server.url, ...args], io.io);
    return { code, out: io.out(), err: io.err() };
  };

  it('lists the signature and the SBOM; filters by artifact type; an unsigned image has none', async () => {
    const table = await aws('referrers', 'web-app', 'v1.2.0');
    expect(table.code, table.err).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^ARTIFACT TYPE\s+DIGEST\s+SIZE\s+STATUS$/);
    expect(table.out).toContain('application/vnd.cncf.notary.signature');
    const sbom = await aws('referrers', 'web-app', 'v1.2.0', '--artifact-type', 'application/spdx+json', '-o', 'json');
    const { referrers } = JSON.parse(sbom.out) as { referrers: { artifactType: string; digest: string; artifactStatus: string }[] };
    expect(referrers).toEqual([
      expect.objectContaining({ artifactType: 'application/spdx+json', artifactStatus: 'ACTIVE', digest: expect.stringMatching(/^sha256:/) }),
    ]);
    expect((await aws('referrers', 'web-app', 'v1.1.0')).out).toBe('No referrers of web-app:v1.1.0.\n');
    expect((await aws('referrers', 'web-app', 'v9.9.9')).code).toBe(3);
    expect((await aws('referrers', 'web-app', 'v1.2.0', '--artifact-type', 'spdx')).code).toBe(2);
  });
});
