import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedRegistry, demoSeed, loadSnapshot, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, explain, runCli, runMany, tempDir, type CliResult } from './runCli.js';

// The CLI against the simulation's HTTP face, as against any ECR-compatible endpoint, with each transport.
const accessKeyId = 'AKIDECRKITCLITEST';
const secretAccessKey = 'ecrkit-cli-test-secret';
let server: SimulationServer;
const env = baseEnv({ AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: 'us-east-1' });

beforeAll(async () => {
  const registry = new SimulatedRegistry().loadSeed(demoSeed);
  // Scans finish on the first poll, so `scan --wait` needs no real waiting here.
  registry.configureScanProgression({ sequence: ['COMPLETE'] });
  server = await startSimulationServer({ registry, port: 0, verifySignatures: true, credentials: [{ accessKeyId, secretAccessKey }] });
});
afterAll(() => server.close());

const json = (r: CliResult) => JSON.parse(r.stdout) as Record<string, unknown>;

describe.each(['sigv4', 'sdk'])('--target aws --endpoint <sim> --transport %s', (transport) => {
  const aws = (...args: string[]) => ['--target', 'aws', '--endpoint', server.url, '--transport', transport, ...args];
  const cases: [string, () => string[], number][] = [
    ['repos', () => aws('repos', '-o', 'json'), 0],
    ['images', () => aws('images', 'web-app', '--untagged', '-o', 'json'), 0],
    ['arm64', () => aws('manifest', 'api-service', 'latest', '--platform', 'linux/arm64/v8', '-o', 'json'), 0],
    ['config', () => aws('config', 'api-service', 'latest', '--platform', 'linux/arm/v7', '-o', 'json'), 0],
    ['layers', () => aws('layers', 'worker', 'latest', '-o', 'json'), 0],
    ['findings', () => aws('findings', 'lambda-processor', 'prod-2025-01-10', '-o', 'json'), 0],
    ['login', () => aws('login'), 0],
    ['password', () => aws('get-login-password'), 0],
    ['public', () => aws('public', 'images', 'hello-world', '-o', 'json'), 0],
    ['missing', () => aws('images', 'no-such-repo'), 3],
  ];
  const results = new Map<string, CliResult>();

  beforeAll(async () => {
    const out = await runMany(
      cases.map(([, args]) => args()),
      { env },
      3,
    );
    for (const [i, [name]] of cases.entries()) results.set(name, out[i]!);
  }, 90_000);

  const r = (name: string) => {
    const [, args, code] = cases.find(([n]) => n === name)!;
    const result = results.get(name)!;
    expect(result.code, explain(args(), result)).toBe(code);
    expect(result.stderr).not.toContain('target sim');
    return result;
  };

  it('reads repositories, images, manifests, configs (blob over HTTP), layers, findings and ECR Public', () => {
    expect((json(r('repos')) as { repositories: { repositoryName: string }[] }).repositories.map((x) => x.repositoryName)).toContain('api-service');
    expect((json(r('images')) as { imageDetails: unknown[] }).imageDetails).toHaveLength(1);
    expect((json(r('arm64')) as { manifest: { layers: unknown[] } }).manifest.layers.length).toBeGreaterThan(0);
    expect(json(r('config'))).toMatchObject({ architecture: 'arm', variant: 'v7' });
    const layers = json(r('layers')) as { layers: { layerAvailability: string }[]; failures: unknown[] };
    expect(layers.layers.every((l) => l.layerAvailability === 'AVAILABLE')).toBe(true);
    expect(layers.failures).toEqual([]);
    expect(
      (json(r('findings')) as { imageScanFindings: { findingSeverityCounts: Record<string, number> } }).imageScanFindings.findingSeverityCounts.CRITICAL,
    ).toBe(1);
    expect((json(r('public')) as { imageDetails: { imageTags: string[] }[] }).imageDetails[0]!.imageTags).toContain('latest');
  });

  it('login prints the pipeline with the same target flags, to the simulation`s own registry; get-login-password only the password', () => {
    const login = r('login').stdout;
    const password = r('password').stdout;
    expect(password).toMatch(/^\S{16,}\n$/);
    expect(login).toBe(
      `ecrkit --target aws --endpoint ${server.url}${transport === 'sdk' ? ' --transport sdk' : ''} get-login-password | docker login --username AWS --password-stdin ${server.url.replace('http://', '')}\n`,
    );
    expect(login).not.toContain(password.trim());
  });

  it('an unknown repository exits 3 with a one-line error', () => {
    const missing = r('missing');
    expect(missing.stderr).toMatch(/^error: .*no-such-repo.* Run `ecrkit repos`/m);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('mutates over HTTP: tag, scan with gate, replication wait, deployable', async () => {
    const steps: [string[], number][] = [
      [aws('tag', 'web-app', 'v1.2.0', `http-${transport}`), 0],
      [aws('scan', 'worker', '2025.01.2', '--wait', '--max-critical', '0', '-o', 'json'), 0],
      [aws('replication', 'web-app', 'v1.2.0', '--wait', '--timeout', '20', '-o', 'json'), 0],
      [aws('deployable', 'web-app', `http-${transport}`, '--quiet'), 0],
    ];
    const out: CliResult[] = [];
    for (const [args, code] of steps) {
      const result = await runCli(args, { env });
      expect(result.code, explain(args, result)).toBe(code);
      out.push(result);
    }
    expect(json(out[1]!)).toMatchObject({ imageScanStatus: { status: 'COMPLETE' }, gate: { passed: true } });
    expect(json(out[2]!)).toMatchObject({ complete: true });
    expect(out[3]!.stdout).toMatch(/^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web-app@sha256:[0-9a-f]{64}\n$/);
  }, 60_000);

  it('a wrong secret key is an auth failure (exit 4)', async () => {
    const args = aws('repos');
    const result = await runCli(args, { env: { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' } });
    expect(result.code, explain(args, result)).toBe(4);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).not.toContain('wrong');
  }, 30_000);
});

describe('--account-profile', () => {
  it("reads another account's registries (here: replication destinations) with that account's profile", async () => {
    const dir = tempDir();
    try {
      const credentials = join(dir.path, 'credentials');
      writeFileSync(
        credentials,
        `[dest]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n[wrong]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = not-the-secret\n`,
      );
      const profileEnv = { ...env, AWS_SHARED_CREDENTIALS_FILE: credentials };
      const verify = (profile: string) => [
        '--endpoint',
        server.url,
        '--account-profile',
        `123456789012=${profile}`,
        'replication',
        'verify',
        'worker',
        'latest',
        '-o',
        'json',
      ];
      const right = await runCli(verify('dest'), { env: profileEnv });
      expect([0, 6], explain(verify('dest'), right)).toContain(right.code);
      // The source is read with the environment's keys, the destinations with the profile's: a wrong one is an auth failure.
      const wrong = await runCli(verify('wrong'), { env: profileEnv });
      expect(wrong.code, explain(verify('wrong'), wrong)).toBe(4);
      expect(wrong.stderr).not.toContain('not-the-secret');
      const bad = await runCli(['--account-profile', 'dest', 'repos'], { env: profileEnv });
      expect(bad.code, explain(['--account-profile', 'dest'], bad)).toBe(2);
    } finally {
      dir.remove();
    }
  }, 60_000);
});

describe('ecrkit sim serve', () => {
  it('serves the demo seed over HTTP, saves its --state on changes and stops on SIGINT', async () => {
    const dir = tempDir();
    const state = join(dir.path, 'served.json');
    try {
      let resolveUrl: (found: { url: string; kill: () => void }) => void = () => undefined;
      const started = new Promise<{ url: string; kill: () => void }>((resolve) => (resolveUrl = resolve));
      const serving = runCli(['--state', state, 'sim', 'serve', '--port', '0'], {
        env,
        onOutput: (text, child) => {
          const m = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(text);
          if (m) resolveUrl({ url: m[1]!, kill: () => child.kill('SIGINT') });
        },
      });
      const { url, kill } = await started;
      const tag = await runCli(['--endpoint', url, 'tag', 'api-service', 'v2.3.1', 'served-tag'], { env });
      expect(tag.code, explain(['tag'], tag)).toBe(0);
      kill();
      const done = await serving;
      expect(done.code, explain(['sim', 'serve'], done)).toBe(0);
      expect(done.stderr).toContain('simulation stopped');
      expect(existsSync(state)).toBe(true);
      const registry = await loadSnapshot(state);
      expect(JSON.stringify(registry.snapshot())).toContain('served-tag');
      expect(readFileSync(state, 'utf8').length).toBeGreaterThan(0);
    } finally {
      dir.remove();
    }
  }, 60_000);
});
