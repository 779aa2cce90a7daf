import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, explain, runCli, runMany, tempDir, type CliResult } from './runCli.js';

// Every command against the embedded simulation, in one temporary state file.
const dir = tempDir();
const state = join(dir.path, 'state.json');
const sim = (...args: string[]) => ['--state', state, ...args];
const json = (r: CliResult): unknown => JSON.parse(r.stdout);

function ok(args: readonly string[], r: CliResult, code = 0): CliResult {
  expect(r.code, explain(args, r)).toBe(code);
  return r;
}

beforeAll(async () => {
  // The first command creates the state from the demo seed.
  const args = sim('--verbose', 'repos');
  const r = ok(args, await runCli(args));
  expect(r.stderr).toMatch(/target sim .*created from the demo seed/);
  expect(existsSync(state)).toBe(true);
}, 30_000);
afterAll(() => dir.remove());

describe('read commands on the embedded simulation', () => {
  const reads: Record<string, string[]> = {
    repos: sim('repos'),
    reposJson: sim('repos', '-o', 'json'),
    repoWeb: sim('repo', 'web-app', '--output', 'json'),
    repoApi: sim('repo', 'api-service'),
    images: sim('images', 'web-app', '-o', 'json'),
    tagged: sim('images', 'web-app', '--tagged', '-o', 'json'),
    untagged: sim('images', 'web-app', '--untagged', '-o', 'json'),
    describe: sim('describe', 'web-app', 'v1.0.0', '-o', 'json'),
    index: sim('manifest', 'api-service', 'latest', '-o', 'json'),
    arm64: sim('manifest', 'api-service', 'latest', '--platform', 'linux/arm64/v8', '-o', 'json'),
    raw: sim('manifest', 'web-app', 'v1.2.0', '--raw'),
    describeRaw: sim('describe', 'web-app', 'v1.2.0', '-o', 'json'),
    config: sim('config', 'api-service', 'latest', '--platform', 'linux/amd64', '-o', 'json'),
    configIndex: sim('config', 'api-service', 'latest'),
    layers: sim('layers', 'web-app', 'v1.2.0', '-o', 'json'),
    findings: sim('findings', 'web-app', 'v1.0.0', '--severity', 'high', '-o', 'json'),
    findingsTable: sim('findings', 'lambda-processor', 'prod-2025-01-10'),
    lifecycle: sim('lifecycle', 'preview', 'web-app', '-o', 'json'),
    publicRepos: sim('public', 'repos', '-o', 'json'),
    publicImages: sim('public', 'images', 'hello-world', '-o', 'json'),
    publicRepo: sim('public', 'repo', 'hello-world'),
    replication: sim('replication', 'web-app', 'v1.2.0', '-o', 'json'),
    deployable: sim('deployable', 'web-app', 'v1.2.0', '-o', 'json'),
    blocked: sim('deployable', 'web-app', 'v1.0.0'),
    blockedQuiet: sim('deployable', 'web-app', 'v1.0.0', '--quiet'),
    quiet: sim('deployable', 'web-app', 'latest', '--quiet'),
  };
  const results: Record<string, CliResult> = {};

  beforeAll(async () => {
    const names = Object.keys(reads);
    const out = await runMany(
      names.map((n) => reads[n]!),
      {},
      3,
    );
    for (const [i, n] of names.entries()) results[n] = out[i]!;
  }, 120_000);

  const r = (name: string, code = 0) => ok(reads[name]!, results[name]!, code);

  it('repos: a table and JSON with the API field names; nothing on stderr when it is not a terminal', () => {
    const table = r('repos');
    for (const name of ['web-app', 'api-service', 'worker', 'lambda-processor']) expect(table.stdout).toContain(name);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+URI\s+TAGS/);
    expect(table.stderr).toBe('');
    expect(table.stdout).not.toContain('\u001b['); // not a terminal: no color
    const { repositories } = json(r('reposJson')) as { repositories: { repositoryName: string; imageTagMutability: string; repositoryUri: string }[] };
    expect(repositories.map((x) => x.repositoryName)).toEqual(['web-app', 'api-service', 'worker', 'lambda-processor']);
    expect(repositories.find((x) => x.repositoryName === 'lambda-processor')?.imageTagMutability).toBe('IMMUTABLE');
    expect(repositories[0]!.repositoryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app');
  });

  it('repo: details, policy, lifecycle rules and resource tags', () => {
    const web = json(r('repoWeb')) as {
      repository: { repositoryName: string };
      lifecyclePolicyText: string;
      tags: { Key: string; Value: string }[];
      policyText?: string;
    };
    expect(web.repository.repositoryName).toBe('web-app');
    expect((JSON.parse(web.lifecyclePolicyText) as { rules: unknown[] }).rules).toHaveLength(2);
    expect(web.tags).toContainEqual({ Key: 'team', Value: 'web' });
    expect(web).not.toHaveProperty('policyText');
    expect(r('repoApi').stdout).toContain('AllowPullFromCi');
  });

  it('images and describe', () => {
    type Images = { imageDetails: { imageTags?: string[]; imageScanFindingsSummary?: { findingSeverityCounts: Record<string, number> } }[] };
    const all = (json(r('images')) as Images).imageDetails;
    expect(all).toHaveLength(4);
    expect(all[0]!.imageTags).toEqual(['v1.2.0', 'latest']);
    expect((json(r('tagged')) as Images).imageDetails).toHaveLength(3);
    expect((json(r('untagged')) as Images).imageDetails).toHaveLength(1);
    const [d] = (json(r('describe')) as Images).imageDetails;
    expect(d!.imageTags).toEqual(['v1.0.0']);
    expect(d!.imageScanFindingsSummary!.findingSeverityCounts.CRITICAL).toBe(2);
  });

  it('manifest: the index, the arm64 child, and the raw document matching its digest', () => {
    const index = json(r('index')) as { imageManifestMediaType: string; manifest: { manifests: { digest: string; platform: { architecture: string } }[] } };
    expect(index.imageManifestMediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifest.manifests).toHaveLength(3);
    const arm = json(r('arm64')) as { imageId: { imageDigest: string }; manifest: { layers: unknown[] } };
    expect(arm.manifest.layers.length).toBeGreaterThan(0);
    expect(arm.imageId.imageDigest).toBe(index.manifest.manifests.find((m) => m.platform.architecture === 'arm64')!.digest);
    const raw = r('raw').stdout;
    const digest = (json(r('describeRaw')) as { imageDetails: { imageDigest: string }[] }).imageDetails[0]!.imageDigest;
    const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
    expect([sha(raw), sha(raw.slice(0, -1))]).toContain(digest);
  });

  it('config and layers; a multi-platform image without --platform is a usage error', () => {
    const config = json(r('config')) as { os: string; architecture: string };
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64' });
    const { layers, failures } = json(r('layers')) as { layers: { layerAvailability: string; layerSize: number }[]; failures: unknown[] };
    expect(layers.length).toBeGreaterThan(0);
    expect(layers.every((l) => l.layerAvailability === 'AVAILABLE' && l.layerSize > 0)).toBe(true);
    expect(failures).toEqual([]);
    const bad = r('configIndex', 2);
    expect(bad.stderr).toContain('multi-platform index');
    expect(bad.stderr).toContain('--platform');
    expect(
      bad.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('error:')),
    ).toHaveLength(1);
  });

  it('findings, filtered by severity, basic and enhanced', () => {
    const f = (json(r('findings')) as { imageScanFindings: { findings: { severity: string; name: string }[]; findingSeverityCounts: Record<string, number> } })
      .imageScanFindings;
    expect(f.findings).toHaveLength(5);
    expect(f.findings.every((x) => x.severity === 'CRITICAL' || x.severity === 'HIGH')).toBe(true);
    expect(f.findingSeverityCounts.UNDEFINED).toBe(1);
    expect(r('findingsTable').stdout).toMatch(/CRITICAL\s+CVE-/);
  });

  it('lifecycle preview: the untagged image older than 14 days expires by rule 1', () => {
    const p = json(r('lifecycle')) as { previewResults: { imageTags: string[]; appliedRulePriority: number }[]; summary: { expiringImageTotalCount: number } };
    expect(p.previewResults).toHaveLength(1);
    expect(p.previewResults[0]).toMatchObject({ imageTags: [], appliedRulePriority: 1, action: { type: 'EXPIRE' } });
    expect(p.summary.expiringImageTotalCount).toBe(1);
  });

  it('public repos, images and catalog data', () => {
    expect((json(r('publicRepos')) as { repositories: unknown[] }).repositories[0]).toMatchObject({
      repositoryName: 'hello-world',
      repositoryUri: 'public.ecr.aws/ecrkit-demo/hello-world',
    });
    expect((json(r('publicImages')) as { imageDetails: { imageTags: string[] }[] }).imageDetails[0]!.imageTags).toEqual(['latest', '1.0']);
    expect(r('publicRepo').stdout).toContain('A tiny public demo image');
  });

  it('replication status per destination', () => {
    const rep = json(r('replication')) as { replicationStatuses: { region: string }[] };
    expect(rep.replicationStatuses.map((d) => d.region).sort()).toEqual(['eu-west-1', 'us-west-2']);
  });

  it('deployable: a digest-pinned URI and the gate (exit 1 when it fails)', () => {
    const d = json(r('deployable')) as { imageUri: string; imageDigest: string; imageTags: string[]; gate: { passed: boolean } };
    expect(d.imageUri).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app@${d.imageDigest}`);
    expect(d.imageTags).toContain('v1.2.0');
    expect(d.gate.passed).toBe(true);
    expect(r('blocked', 1).stdout).toContain('FAILED');
    const quiet = r('blockedQuiet', 1);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toContain('2 CRITICAL findings exceed maxCritical 0');
    expect(r('quiet').stdout).toBe(`${d.imageUri}\n`);
  });
});

describe('mutating commands persist across invocations', () => {
  it('tag, re-tag, untag, immutable tags, delete', async () => {
    const step = async (code: number, ...args: string[]) => ok(sim(...args), await runCli(sim(...args)), code);
    expect((await step(0, 'tag', 'web-app', 'v1.2.0', 'stable')).stdout).toContain('Tagged web-app@');
    expect(json(await step(0, 'tag', 'web-app', 'v1.2.0', 'stable', '-o', 'json'))).toMatchObject({
      image: { repositoryName: 'web-app', imageId: { imageTag: 'stable' } },
      changed: false,
    });
    const images = json(await step(0, 'images', 'web-app', '--tagged', '-o', 'json')) as { imageDetails: { imageTags: string[] }[] };
    expect(images.imageDetails[0]!.imageTags).toEqual(['v1.2.0', 'latest', 'stable']);
    expect((await step(0, 'untag', 'web-app', 'stable')).stdout).toContain('Removed the tag stable');
    const immutable = await step(5, 'tag', 'lambda-processor', 'prod-2025-01-10', 'prod-2025-02-01');
    expect(immutable.stderr).toMatch(/immutable/);
    const del = await step(3, 'delete', 'worker', '2024.11.1', 'v9.9.9', '-o', 'json');
    const deleted = json(del) as { imageIds: { imageTag: string }[]; failures: { imageId: { imageTag: string }; failureCode: string }[] };
    expect(deleted.imageIds).toMatchObject([{ imageTag: '2024.11.1' }]);
    expect(deleted.failures).toMatchObject([{ imageId: { imageTag: 'v9.9.9' }, failureCode: 'ImageNotFound' }]);
    await step(3, 'describe', 'worker', '2024.11.1');
    const untagLast = json(await step(0, 'untag', 'web-app', 'v1.1.0', '-o', 'json')) as { imageDeleted: boolean };
    expect(untagLast.imageDeleted).toBe(true);
  }, 60_000);

  it('scan: start, wait with progress, gate; the daily scan limit falls back to the latest results', async () => {
    const start = await runCli(sim('scan', 'worker', 'latest'));
    ok(sim('scan'), start);
    expect(start.stdout).toContain('Started a scan of worker:latest');
    const gated = await runCli(sim('scan', 'worker', 'latest', '--max-critical', '0', '-o', 'json'));
    ok(sim('scan'), gated);
    expect(gated.stderr).toContain('scanned recently');
    expect(json(gated)).toMatchObject({ imageScanStatus: { status: 'COMPLETE' }, gate: { passed: true } });
    const failing = await runCli(sim('scan', 'web-app', 'v1.0.0', '--wait', '--max-critical', '0', '--max-high', '5'));
    ok(sim('scan'), failing, 1);
    expect(failing.stderr).toMatch(/Scanning web-app:v1\.0\.0/);
    expect(failing.stdout).toContain('Gate (max critical 0, max high 5): FAILED');
    expect(failing.stdout).toContain('2 CRITICAL findings exceed maxCritical 0');
    expect(failing.stdout).toContain('Findings:  2 CRITICAL, 3 HIGH, 5 MEDIUM, 4 LOW, 2 INFORMATIONAL, 1 UNDEFINED');
    const ignored = await runCli(sim('scan', 'web-app', 'v1.0.0', '--max-critical', '1', '--ignore', 'CVE-0000-0000', '-o', 'json'));
    ok(sim('scan'), ignored, 1);
  }, 60_000);

  it('replication --wait', async () => {
    const args = sim('replication', 'web-app', 'v1.2.0', '--wait', '-o', 'json');
    const r = ok(args, await runCli(args));
    expect(json(r)).toMatchObject({ complete: true });
  }, 30_000);
});

describe('secrets', () => {
  it('get-login-password prints only the password; login and pull-secret never print it', async () => {
    const lists = [
      sim('get-login-password'),
      sim('login'),
      sim('pull-secret', 'default'),
      sim('pull-secret', 'default', '-o', 'json'),
      sim('pull-secret', 'prod', '--name', 'ecr', '--reveal'),
      sim('login', '-o', 'json'),
    ];
    const [password, login, secret, secretJson, revealed, loginJson] = await runMany(lists, { env: baseEnv() }, 3);
    for (const [i, args] of lists.entries()) ok(args, [password, login, secret, secretJson, revealed, loginJson][i]!);
    expect(password!.stdout).toMatch(/^[A-Za-z0-9+/=._-]{16,}\n$/);
    const pw = password!.stdout.trim();
    expect(login!.stdout).toMatch(
      /^ecrkit --state \S+ get-login-password \| docker login --username AWS --password-stdin 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\n$/,
    );
    for (const r of [login!, secret!, secretJson!, loginJson!]) {
      expect(r.stdout + r.stderr).not.toContain(pw);
    }
    expect(secret!.stdout).toContain('.dockerconfigjson: "[redacted]"');
    expect((json(secretJson!) as { data: Record<string, string> }).data['.dockerconfigjson']).toBe('[redacted]');
    const data = /\.dockerconfigjson: (\S+)/.exec(revealed!.stdout)?.[1];
    const config = JSON.parse(Buffer.from(data!, 'base64').toString('utf8')) as { auths: Record<string, { username: string; password: string }> };
    expect(config.auths['123456789012.dkr.ecr.us-east-1.amazonaws.com']!.username).toBe('AWS');
    expect(revealed!.stdout).toContain('namespace: prod');
    expect(revealed!.stdout).toContain('name: ecr');
  }, 60_000);
});

describe('demo', () => {
  // Digests and times differ between two fresh registries; everything else must be identical.
  const normalize = (text: string) => text.replace(/sha256:[0-9a-f]{12,64}/g, 'sha256:<digest>').replace(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g, '<time>');
  /** The output the tour printed under `$ ecrkit <command>`, up to the next blank line, heading or command. */
  const stepOutput = (tour: string, command: string) => {
    const start = tour.indexOf(`$ ecrkit ${command}\n`);
    expect(start, command).toBeGreaterThanOrEqual(0);
    const rest = tour.slice(start + `$ ecrkit ${command}\n`.length);
    const end = rest.search(/\n\n\[\d\/7\]|\n\$ ecrkit |\n\nSummary/);
    return `${rest.slice(0, end)}\n`;
  };

  it('runs the real commands on a fresh in-memory simulation, prints exactly what they print, and leaves no state behind', async () => {
    const cwd = tempDir();
    try {
      const same = ['repos', 'images web-app', 'manifest api-service latest --platform linux/arm64/v8', 'login', 'pull-secret default'];
      // The commands alone run on a state file elsewhere: the demo's directory must stay empty.
      const [[tour, summary], alone] = await Promise.all([
        runMany([['demo'], ['demo', '--output', 'json']], { cwd: cwd.path }),
        runMany(
          same.map((c) => ['--state', join(dir.path, 'demo-compare.json'), ...c.split(' ')]),
          {},
          2,
        ),
      ]);
      ok(['demo'], tour!);
      for (const text of [
        '[1/7]',
        '[7/7]',
        'Gate (max critical 0, max high 2): PASSED',
        'Gate (max critical 0, max high 2): FAILED',
        '"[redacted]"',
        'Summary',
      ]) {
        expect(tour!.stdout).toContain(text);
      }
      for (const [i, command] of same.entries())
        expect(normalize(stepOutput(tour!.stdout, command)), command).toBe(normalize(alone[i]!.stdout.replace(/ --state \S+/, '')));
      expect(tour!.stderr).toMatch(/Scanned web-app:v1\.3\.0/);
      expect(tour!.stderr).toMatch(/Replicated web-app:v1\.3\.0/);
      ok(['demo', '--output', 'json'], summary!);
      const s = JSON.parse(summary!.stdout) as { steps: { command: string; exitCode: number; output: Record<string, unknown> }[] };
      const step = (prefix: string) => s.steps.find((x) => x.command.startsWith(`ecrkit ${prefix}`))!;
      expect(s.steps.map((x) => x.exitCode)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
      expect(step('scan').output).toMatchObject({ imageId: { imageTag: 'v1.3.0' }, gate: { passed: true } });
      expect(step('deployable').output).toMatchObject({ imageTags: ['v1.0.0'], gate: { passed: false } });
      expect(step('replication').output).toMatchObject({ complete: true });
      expect(existsSync(join(cwd.path, '.ecrkit'))).toBe(false);
    } finally {
      cwd.remove();
    }
  }, 60_000);
});
