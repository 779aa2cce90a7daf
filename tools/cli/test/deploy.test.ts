import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedRegistry, demoSeed, saveSnapshot } from '@ecrkit/simulation';
import { cliRoot, explain, runCli, tempDir, type CliResult } from './runCli.js';

// Where images go: replication verify, pin and similar, as a script or a CI job runs them.
const dir = tempDir();
afterAll(() => dir.remove());
const fixtures = join(cliRoot, 'test', 'fixtures', 'deploy');
const other = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';

/** A state file: the demo registry plus whatever `build` adds. */
async function stateFile(name: string, build: (r: SimulatedRegistry) => void = () => undefined): Promise<string> {
  const registry = new SimulatedRegistry({ accountId: '123456789012', region: 'us-east-1' }).loadSeed(demoSeed);
  build(registry);
  const path = join(dir.path, `${name}.json`);
  await saveSnapshot(registry, path);
  return path;
}

async function run(state: string, ...args: string[]): Promise<CliResult> {
  return runCli(['--state', state, ...args], { cwd: dir.path });
}

function expectCode(args: readonly string[], r: CliResult, code: number): CliResult {
  expect(r.code, explain(args, r)).toBe(code);
  return r;
}

describe('ecrkit replication verify', () => {
  let state: string;
  beforeAll(async () => {
    state = await stateFile('replication', (r) => {
      const destinations = [{ region: 'us-west-2' }, { region: 'eu-west-1' }];
      // Replicas written at once (a one-step, time-driven progression), then made to diverge.
      r.configureReplication({ destinations, advanceOn: 'time', sequence: ['COMPLETE'] });
      r.withImage('web-app', { tags: ['v2.0.0'], base: ['debian:12', 'node:20-bookworm'] });
      r.withImage('web-app', { tags: ['v2.0.1'] });
      r.withDivergedReplica('web-app', 'v2.0.1', { region: 'eu-west-1' });
      r.configureReplication({ destinations, advanceOn: 'time', sequence: ['COMPLETE'], lagRegions: ['eu-west-1'] });
      r.withImage('web-app', { tags: ['v2.1.0-lagging'] });
      r.configureReplication({ destinations, advanceOn: 'time', sequence: ['COMPLETE'], failRegions: ['eu-west-1'] });
      r.withImage('web-app', { tags: ['v2.1.0-failed'] });
      // From now on only web-* repositories replicate: worker is filtered out.
      r.configureReplication({ destinations, repositoryPrefixes: ['web-'] });
    });
  });

  const verify = async (ref: string, ...extra: string[]) => {
    const args = ['replication', 'verify', 'web-app', ref, '-o', 'json', ...extra];
    return { args, r: await run(state, ...args) };
  };
  const states = (r: CliResult) =>
    (JSON.parse(r.stdout) as { destinations: { region: string; state: string }[] }).destinations.map((d) => `${d.region} ${d.state}`);

  it('consistent everywhere: exit 0', async () => {
    const { args, r } = await verify('v2.0.0');
    expectCode(args, r, 0);
    expect(states(r)).toEqual(['us-west-2 consistent', 'eu-west-1 consistent']);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'consistent', source: { registryId: '123456789012', region: 'us-east-1' } });
  }, 30_000);

  it('pending (lagging destination): exit 6, with its age; --wait that runs out is pending too', async () => {
    const { args, r } = await verify('v2.1.0-lagging');
    expectCode(args, r, 6);
    expect(states(r)).toEqual(['us-west-2 consistent', 'eu-west-1 pending']);
    const eu = (JSON.parse(r.stdout) as { destinations: { pendingForMs: number; problems: string[] }[] }).destinations[1]!;
    expect(eu.pendingForMs).toBeGreaterThan(0);
    const waited = await verify('v2.1.0-lagging', '--wait', '--timeout', '1');
    expectCode(waited.args, waited.r, 6);
    expect(JSON.parse(waited.r.stdout)).toMatchObject({ outcome: 'pending', timedOut: true });
    // Table output: one row per destination, then one line per problem, then the verdict.
    const table = await run(state, 'replication', 'verify', 'web-app', 'v2.1.0-lagging');
    expect(table.stdout).toMatch(/eu-west-1 +123456789012 +pending for \d+s +in progress/);
    expect(table.stdout).toContain('123456789012/eu-west-1: image sha256:');
    expect(table.stdout).toContain('Still pending');
  }, 30_000);

  it('missing (failed destination) and diverged (a tag moved in the destination): exit 1', async () => {
    const failed = await verify('v2.1.0-failed');
    expectCode(failed.args, failed.r, 1);
    expect(states(failed.r)).toEqual(['us-west-2 consistent', 'eu-west-1 missing']);
    const diverged = await verify('v2.0.1');
    expectCode(diverged.args, diverged.r, 1);
    expect(states(diverged.r)).toEqual(['us-west-2 consistent', 'eu-west-1 diverged']);
    expect(JSON.parse(diverged.r.stdout).destinations[1].problems[0]).toMatch(/^tag v2\.0\.1 is on sha256:[0-9a-f]{64} there$/);
  }, 30_000);

  it('not applicable (the rules filter the repository out): exit 0', async () => {
    const args = ['replication', 'verify', 'worker', 'latest', '-o', 'json'];
    const r = expectCode(args, await run(state, ...args), 0);
    expect(states(r)).toEqual(['us-west-2 not-applicable', 'eu-west-1 not-applicable']);
  }, 30_000);

  it('`replication <repo> <ref>` is still the status, and an unknown image exits 3', async () => {
    const status = await run(state, 'replication', 'web-app', 'v2.0.0', '-o', 'json');
    expectCode(['replication', 'web-app', 'v2.0.0'], status, 0);
    expect(JSON.parse(status.stdout).replicationStatuses).toHaveLength(2);
    expectCode(['replication', 'verify', 'web-app', 'nope'], await run(state, 'replication', 'verify', 'web-app', 'nope'), 3);
  }, 30_000);
});

describe('ecrkit pin', () => {
  let state: string;
  beforeAll(async () => {
    state = await stateFile('pin', (r) => {
      r.withImage('shared/base', { tags: ['v1'], accountId: '210987654321', region: 'eu-west-1' });
      r.withScanFindings('shared/base', 'v1', { low: 1 }, { accountId: '210987654321', region: 'eu-west-1' });
    });
  });

  /** Copy the fixtures into a fresh directory. */
  function workspace(name: string): string {
    const path = join(dir.path, name);
    for (const file of ['web.yaml', 'task.json', 'function.json']) {
      copyFileSync(join(fixtures, file), join(dir.path, `${name}-${file}`));
    }
    return path;
  }

  it('pins a multi-document Kubernetes manifest (byte for byte but the image values), an ECS task definition and a Lambda configuration; --check passes after', async () => {
    const ws = workspace('ok');
    const files = ['web.yaml', 'task.json', 'function.json'].map((f) => `${ws}-${f}`);
    const before = files.map((f) => readFileSync(f, 'utf8'));

    const check = await run(state, 'pin', ...files, '--check');
    expectCode(['pin', '--check'], check, 1);
    expect(check.stdout).toMatch(
      /^unpinned {2}.*web\.yaml:14 {2}Deployment shop\/web, init container migrate: 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web-app:v1\.2\.0 \(is sha256:[0-9a-f]{12}\)$/m,
    );
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(before);

    const args = ['pin', ...files, '-o', 'json'];
    const r = expectCode(args, await run(state, ...args), 0);
    const report = JSON.parse(r.stdout) as {
      written: string[];
      files: { file: string; format: string; references: { line: number; image: string; status: string; imageUri?: string }[] }[];
    };
    expect(report.files.map((f) => f.format)).toEqual(['kubernetes', 'ecs', 'lambda']);
    expect(report.written).toEqual(files);
    expect(report.files[0]!.references.map((x) => `${x.line} ${x.status}`)).toEqual([
      '14 pinned',
      '17 pinned',
      '20 skipped',
      '30 pinned',
      '41 pinned',
      '56 pinned',
      '65 pinned',
      '68 pinned',
    ]);
    // Every byte is as it was, except the image values on the lines the report names.
    for (const [i, file] of report.files.entries()) {
      const lines = before[i]!.split('\n');
      for (const ref of file.references) {
        if (ref.status !== 'pinned') continue;
        expect(ref.imageUri).toMatch(/^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/[a-z-]+@sha256:[0-9a-f]{64}$/);
        lines[ref.line - 1] = lines[ref.line - 1]!.replace(ref.image, ref.imageUri!);
      }
      expect(readFileSync(files[i]!, 'utf8')).toBe(lines.join('\n'));
    }
    // The digests are the images' own.
    const describe = await run(state, 'describe', 'web-app', 'v1.2.0', '-o', 'json');
    expect(report.files[0]!.references[0]!.imageUri).toBe(
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app@${JSON.parse(describe.stdout).imageDetails[0].imageDigest}`,
    );

    const again = await run(state, 'pin', ...files, '--check');
    expectCode(['pin', '--check', '(pinned)'], again, 0);
    expect(again.stdout).toMatch(/^ok {8}.*web\.yaml:14 /m);
  }, 60_000);

  it('refuses, one line each, images that do not exist, fail the gate or cannot run there; writes nothing', async () => {
    const lambda = join(dir.path, 'bad-function.json');
    const task = join(dir.path, 'bad-task.json');
    const k8s = join(dir.path, 'bad-k8s.yaml');
    const host = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
    writeFileSync(lambda, JSON.stringify({ FunctionName: 'proc', ImageUri: `${host}/api-service:latest`, Architectures: ['arm64'] }, null, 2));
    writeFileSync(
      task,
      JSON.stringify({
        family: 'web',
        runtimePlatform: { cpuArchitecture: 'ARM64' },
        containerDefinitions: [{ name: 'web', image: `${host}/web-app:v1.2.0` }],
      }),
    );
    const k8sText = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p, namespace: shop}',
      'spec:',
      '  containers:',
      `    - {name: ok, image: ${host}/worker:latest}`,
      `    - {name: gone, image: ${host}/web-app:v9.9.9}`,
      `    - {name: old, image: ${host}/web-app:v1.0.0}`,
      `    - {name: shared, image: ${other}/shared/base:v1}`,
      '',
    ].join('\n');
    writeFileSync(k8s, k8sText);
    const secrets = join(dir.path, 'secrets.yaml');
    const args = ['pin', lambda, task, k8s, '--max-critical', '0', '--pull-secrets', secrets];
    const r = expectCode(args, await run(state, ...args), 1);
    const refused = r.stdout.split('\n').filter((l) => l.startsWith('refused'));
    expect(refused.map((l) => l.replace(/ +/g, ' ').replace(dir.path, '<dir>'))).toEqual([
      `refused <dir>/bad-function.json:3 function proc: ${host}/api-service:latest is a multi-platform index (linux/amd64, linux/arm64/v8, linux/arm/v7); Lambda needs a single-platform image; pin its linux/arm64/v8 manifest instead: ${host}/api-service@${refused[0]!.match(/@(sha256:[0-9a-f]{64})$/)?.[1]}`,
      `refused <dir>/bad-task.json:1 task definition web, container web: ${host}/web-app:v1.2.0 is linux/amd64 only; the task's runtimePlatform needs linux/arm64`,
      `refused <dir>/bad-k8s.yaml:7 Pod shop/p, container gone: ${host}/web-app:v9.9.9 tag v9.9.9 does not exist in web-app`,
      `refused <dir>/bad-k8s.yaml:8 Pod shop/p, container old: ${host}/web-app:v1.0.0 fails the scan gate: 2 CRITICAL findings exceed maxCritical 0`,
      `refused <dir>/bad-k8s.yaml:9 Pod shop/p, container shared: ${other}/shared/base:v1 is in 210987654321/eu-west-1, which the cluster's nodes (123456789012/us-east-1) pull from only with an imagePullSecret; list one in the pod spec, e.g. ecr-210987654321-eu-west-1`,
    ]);
    expect(r.stderr).toContain('ecrkit: 5 references refused; no file written.');
    expect(readFileSync(k8s, 'utf8')).toBe(k8sText);
    // The Secret the shared image needs, generated by the pull-secret support, with the credential, readable by the owner only.
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secrets, 'utf8');
    expect(secret).toMatch(/kind: Secret\n[\s\S]*name: ecr-210987654321-eu-west-1\n\s+namespace: shop\ntype: kubernetes\.io\/dockerconfigjson/);
    const config = JSON.parse(Buffer.from(/\.dockerconfigjson: (\S+)/.exec(secret)![1]!, 'base64').toString('utf8'));
    expect(Object.keys(config.auths)).toEqual([other]);
  }, 60_000);

  it('without --pull-secrets, says how to make the Secret; unreadable and malformed files exit 2', async () => {
    const k8s = join(dir.path, 'shared.yaml');
    writeFileSync(k8s, `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: s, image: ${other}/shared/base:v1}]\n`);
    const r = expectCode(['pin', 'shared.yaml'], await run(state, 'pin', k8s), 1);
    expect(r.stderr).toContain(
      'ecrkit: default needs the image pull Secret ecr-210987654321-eu-west-1 for 210987654321/eu-west-1: ecrkit --region eu-west-1 --registry-id 210987654321 pull-secret default --name ecr-210987654321-eu-west-1 --reveal | kubectl apply -f -',
    );
    const missing = expectCode(['pin', 'missing.yaml'], await run(state, 'pin', 'missing.yaml'), 2);
    expect(missing.stderr).toMatch(/^error: missing\.yaml does not exist/m);
    writeFileSync(join(dir.path, 'broken.yaml'), 'kind: [');
    const broken = expectCode(['pin', 'broken.yaml'], await run(state, 'pin', 'broken.yaml'), 2);
    expect(broken.stderr).toMatch(/broken\.yaml: not valid YAML or JSON/);
  }, 60_000);
});

describe('ecrkit similar', () => {
  it('on the demo data ranks the images built on the same base first', async () => {
    const state = await stateFile('similar');
    const args = ['similar', 'web-app', 'v1.2.0', '-o', 'json'];
    const r = expectCode(args, await run(state, ...args), 0);
    const result = JSON.parse(r.stdout) as { layerCount: number; similar: { repositoryName: string; imageTags: string[]; sharedLayerCount: number }[] };
    const rows = result.similar.map((s) => `${s.repositoryName}:${s.imageTags.join(',') || '-'} ${s.sharedLayerCount}`);
    // node:20-bookworm over debian:12 (6 layers): the other web-app images and api-service v2.3.1;
    // then what shares only debian:12 (worker's python images, api-service's index); never the Lambda base.
    expect(rows).toEqual([
      'web-app:- 6',
      'web-app:v1.1.0 6',
      'web-app:v1.0.0 6',
      'api-service:v2.3.1 6',
      'worker:2025.01.2,latest 3',
      'worker:- 3',
      'worker:2024.11.1 3',
      'api-service:v2.4.0,latest 3',
    ]);
    expect(result.layerCount).toBe(8);
    const table = await run(state, 'similar', 'web-app', 'v1.2.0', '--limit', '2');
    expect(table.stdout.split('\n').filter((l) => l.startsWith('web-app '))).toHaveLength(2);
  }, 30_000);
});
