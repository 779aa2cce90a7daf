import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, explain, runCli, tempDir, type CliResult } from './runCli.js';

// `ecrkit copy` and `ecrkit pull` as subprocesses, between regions of one simulation server,
// between two servers, and on the embedded simulation.

const dir = tempDir('ecrkit-copy-');
const env = baseEnv({ AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDCOPYTEST', AWS_SECRET_ACCESS_KEY: 'copy-test' });
let registry: SimulatedRegistry;
let mirror: SimulatedRegistry;
let server: SimulationServer;
let mirrorServer: SimulationServer;
let image: ReturnType<SimulatedRegistry['addImage']>;

beforeAll(async () => {
  registry = new SimulatedRegistry().withRepository('web-app').withRepository('web-app', { region: 'eu-west-1' });
  image = registry.addImage('web-app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
  mirror = new SimulatedRegistry().withRepository('mirror/web-app');
  server = await startSimulationServer({ registry });
  mirrorServer = await startSimulationServer({ registry: mirror });
});
afterAll(async () => {
  await server.close();
  await mirrorServer.close();
  dir.remove();
});

const host = (s: SimulationServer) => s.url.replace('http://', '');
interface Report {
  digest: string;
  manifests: { role: string; platform?: string; outcome: string }[];
  blobs: { outcome: string; size: number }[];
  copiedBytes: number;
  skipped: { manifests: number; blobs: number; bytes: number };
}

async function cli(args: string[], code = 0): Promise<CliResult> {
  const result = await runCli(args, { env });
  expect(result.code, explain(args, result)).toBe(code);
  return result;
}

async function digestsIn(reg: SimulatedRegistry, repositoryName: string, region = 'us-east-1'): Promise<string[]> {
  const out = (await reg.execute({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName }, region, face: 'in-process' })) as {
    imageDetails: { imageDigest: string }[];
  };
  return out.imageDetails.map((d) => d.imageDigest).sort();
}

describe('ecrkit copy', () => {
  it('copies a multi-arch image between two regions of a simulation, and reports what it skipped when run again', async () => {
    const args = ['copy', `${host(server)}/web-app:v1`, `${host(server)}/web-app:v1`, '--src-region', 'us-east-1', '--dst-region', 'eu-west-1', '-o', 'json'];
    const first = JSON.parse((await cli(args)).stdout) as Report;
    expect(first.digest).toBe(image.imageDigest);
    expect(first.manifests.map((m) => [m.role, m.platform ?? '', m.outcome])).toEqual([
      ['platform', 'linux/amd64', 'copied'],
      ['platform', 'linux/arm64/v8', 'copied'],
      ['index', '', 'copied'],
    ]);
    expect(first.skipped).toEqual({ manifests: 0, blobs: 0, bytes: 0 });
    expect(await digestsIn(registry, 'web-app', 'eu-west-1')).toEqual(await digestsIn(registry, 'web-app'));

    const again = JSON.parse((await cli(args)).stdout) as Report;
    expect(again.copiedBytes).toBe(0);
    expect(again.skipped).toEqual({ manifests: 3, blobs: first.blobs.length, bytes: first.copiedBytes });
    const table = await cli(args.slice(0, -2));
    expect(table.stdout).toMatch(/manifests: +0 copied, 3 already there/);
    expect(table.stdout).toMatch(new RegExp(`blobs: +0 copied \\(0 B\\), 0 mounted, ${first.blobs.length} already there`));
  }, 90_000);

  it('copies between two simulation servers, and addresses a region with ECR host names through --endpoint', async () => {
    const report = JSON.parse(
      (await cli(['copy', `${host(server)}/web-app:v1`, `${host(mirrorServer)}/mirror/web-app:stable`, '-o', 'json'])).stdout,
    ) as Report;
    expect(report.digest).toBe(image.imageDigest);
    expect(await digestsIn(mirror, 'mirror/web-app')).toEqual(await digestsIn(registry, 'web-app'));

    const ecrHost = (region: string) => `123456789012.dkr.ecr.${region}.amazonaws.com`;
    const named = await cli([
      '--endpoint',
      server.url,
      'copy',
      `${ecrHost('us-east-1')}/web-app@${image.imageDigest}`,
      `${ecrHost('eu-west-1')}/web-app:from-ecr-names`,
      '-o',
      'json',
    ]);
    expect((JSON.parse(named.stdout) as Report).digest).toBe(image.imageDigest);
    const tagged = (await registry.execute({
      api: 'ecr',
      operation: 'DescribeImages',
      input: { repositoryName: 'web-app', imageIds: [{ imageTag: 'from-ecr-names' }] },
      region: 'eu-west-1',
      face: 'in-process',
    })) as { imageDetails: { imageDigest: string }[] };
    expect(tagged.imageDetails[0]!.imageDigest).toBe(image.imageDigest);
  }, 90_000);

  it('copies on the embedded simulation, mounting blobs between its repositories, and keeps the result in the state file', async () => {
    const state = join(dir.path, 'state.json');
    const repo = (name: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}`;
    const copied = JSON.parse((await cli(['--state', state, 'copy', repo('api-service:latest'), repo('worker:api-latest'), '-o', 'json'])).stdout) as Report;
    // The demo's images share base layers, so some are already in the destination; none is streamed.
    expect(copied.blobs.some((b) => b.outcome === 'mounted')).toBe(true);
    expect(copied.blobs.filter((b) => b.outcome === 'copied')).toEqual([]);
    expect(copied.copiedBytes).toBe(0);
    const { imageDetails } = JSON.parse((await cli(['--state', state, 'images', 'worker', '-o', 'json'])).stdout) as {
      imageDetails: { imageDigest: string; imageTags?: string[] }[];
    };
    expect(imageDetails.find((i) => i.imageDigest === copied.digest)?.imageTags).toEqual(['api-latest']);
  }, 90_000);

  it('refuses references it cannot copy, before any request', async () => {
    const [bad, publicSource, missing] = await Promise.all([
      cli(['copy', 'web-app:v1', '127.0.0.1:1/web-app:v1'], 2),
      cli(['copy', 'public.ecr.aws/acme/tools:v1', `${host(server)}/web-app:v1`], 2),
      cli(['copy', `${host(server)}/web-app:v9`, `${host(mirrorServer)}/mirror/web-app:v9`], 3),
    ]);
    expect(bad.stderr).toMatch(/names no registry/);
    expect(publicSource.stderr).toMatch(/ECR Public .* not supported/);
    expect(missing.stderr).toMatch(/MANIFEST_UNKNOWN/);
  }, 90_000);
});

describe('ecrkit pull', () => {
  it('writes an OCI image layout with every platform, named by its tag', async () => {
    const layout = join(dir.path, 'layout');
    const report = JSON.parse((await cli(['pull', `${host(server)}/web-app:v1`, layout, '-o', 'json'])).stdout) as Report;
    expect(report.digest).toBe(image.imageDigest);
    expect(JSON.parse(readFileSync(join(layout, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    expect(index.manifests).toEqual([expect.objectContaining({ digest: image.imageDigest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } })]);
    expect(readFileSync(join(layout, 'blobs', 'sha256', image.imageDigest.slice(7)), 'utf8')).toBe(image.manifest);
    for (const child of image.children!) {
      const manifest = JSON.parse(child.manifest) as { config: { digest: string }; layers: { digest: string }[] };
      for (const d of [child.imageDigest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)])
        expect(existsSync(join(layout, 'blobs', 'sha256', d.slice(7)))).toBe(true);
    }
  }, 90_000);
});
