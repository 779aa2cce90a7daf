import { ecrConfig, type Transport } from '@ecrkit/core-types';
import { createSimulatedTransport } from '@ecrkit/simulation';
import { describe, expect, it } from 'vitest';
import { createClient } from '../createClient.js';
import { rejection, setup } from '../../test/fixtures.js';
import { pinDeployFiles } from './pinDeployFiles.js';

const host = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const otherHost = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';

/** web (linux/amd64), api (an index of linux/amd64 and linux/arm64/v8), fn (arm64 and x86_64 tags), vuln (2 critical), and shared/base in another account. */
function registry() {
  const f = setup();
  const r = f.registry;
  const images = {
    web: r.addImage('web', { tags: ['v1'] }),
    api: r.addImage('api', { tags: ['latest'], platforms: ['linux/amd64', 'linux/arm64/v8'] }),
    fnArm: r.addImage('fn', { tags: ['arm'], platform: 'linux/arm64/v8' }),
    fnX86: r.addImage('fn', { tags: ['x86'] }),
    vuln: r.addImage('vuln', { tags: ['v1'] }),
    shared: r.addImage('shared/base', { tags: ['v1'], accountId: '210987654321', region: 'eu-west-1' }),
  };
  r.withScanFindings('web', 'v1', {}).withScanFindings('vuln', 'v1', { critical: 2, low: 1 });
  return { ...f, images };
}

const k8s = `# tier
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  template:
    spec:
      containers:
        - name: app
          image: ${host}/web:v1   # the app
        - name: api
          image: '${host}/api:latest'
        - name: proxy
          image: nginx:1.27
---
apiVersion: batch/v1
kind: Job
metadata: {name: report}
spec:
  template:
    spec:
      imagePullSecrets: [{name: shared-pull}]
      containers: [{name: report, image: ${otherHost}/shared/base:v1}]
---
apiVersion: v1
kind: Pod
metadata: {name: loose}
spec:
  containers: [{name: base, image: ${otherHost}/shared/base:v1}]
`;

describe('pinDeployFiles', () => {
  it('pins a Kubernetes manifest, leaves other registries alone, and refuses a cross-account image without an imagePullSecret', async () => {
    const { client, images } = registry();
    const { files, refused, pullSecrets } = await pinDeployFiles([{ name: 'k8s.yaml', text: k8s }], client);
    const [file] = files;
    expect(file!.references.map((r) => `${r.location}: ${r.status}`)).toEqual([
      'Deployment prod/web, container app: pinned',
      'Deployment prod/web, container api: pinned',
      'Deployment prod/web, container proxy: skipped',
      'Job default/report, container report: pinned',
      'Pod default/loose, container base: refused',
    ]);
    expect(refused.map((r) => `${r.file}: ${r.location}: ${r.reason}`)).toEqual([
      "k8s.yaml: Pod default/loose, container base: is in 210987654321/eu-west-1, which the cluster's nodes (123456789012/us-east-1) pull from only with an imagePullSecret; list one in the pod spec, e.g. ecr-210987654321-eu-west-1",
    ]);
    expect(file!.text).toBe(
      k8s
        .replace(`${host}/web:v1`, `${host}/web@${images.web.imageDigest}`)
        .replace(`${host}/api:latest`, `${host}/api@${images.api.imageDigest}`)
        .replace(`{name: report, image: ${otherHost}/shared/base:v1}`, `{name: report, image: ${otherHost}/shared/base@${images.shared.imageDigest}}`),
    );
    expect(file!.changed).toBe(true);
    expect(pullSecrets).toEqual([
      {
        registryId: '210987654321',
        region: 'eu-west-1',
        namespace: 'default',
        name: 'shared-pull',
        listed: true,
        for: ['k8s.yaml: Job default/report, container report'],
      },
      {
        registryId: '210987654321',
        region: 'eu-west-1',
        namespace: 'default',
        name: 'ecr-210987654321-eu-west-1',
        listed: false,
        for: ['k8s.yaml: Pod default/loose, container base'],
      },
    ]);
  });

  it('an ECS task runs only where its runtimePlatform is among the image platforms', async () => {
    const { client, images } = registry();
    const task = (image: string) =>
      JSON.stringify(
        { family: 'web', runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' }, containerDefinitions: [{ name: 'app', image }] },
        null,
        4,
      );
    const { files, refused } = await pinDeployFiles(
      [
        { name: 'multi.json', text: task(`${host}/api:latest`) },
        { name: 'amd64.json', text: task(`${host}/web:v1`) },
      ],
      client,
    );
    expect(files[0]!.text).toBe(task(`${host}/api@${images.api.imageDigest}`));
    expect(refused.map((r) => `${r.file}: ${r.reason}`)).toEqual(["amd64.json: is linux/amd64 only; the task's runtimePlatform needs linux/arm64"]);
    expect(files[1]!.changed).toBe(false);
  });

  it('a Lambda function needs a single-platform image of its architecture', async () => {
    const { client, images } = registry();
    const fn = (image: string, arch?: string) =>
      JSON.stringify({ FunctionName: 'proc', Code: { ImageUri: image }, ...(arch ? { Architectures: [arch] } : {}) }, null, 2);
    const { files, refused } = await pinDeployFiles(
      [
        { name: 'arm.json', text: fn(`${host}/fn:arm`, 'arm64') },
        { name: 'default.json', text: fn(`${host}/fn:x86`) },
        { name: 'wrong.json', text: fn(`${host}/fn:x86`, 'arm64') },
        { name: 'index.json', text: fn(`${host}/api:latest`, 'arm64') },
      ],
      client,
    );
    expect(files[0]!.text).toBe(fn(`${host}/fn@${images.fnArm.imageDigest}`, 'arm64'));
    expect(files[1]!.text).toBe(fn(`${host}/fn@${images.fnX86.imageDigest}`));
    expect(refused.map((r) => `${r.file}: ${r.reason}`)).toEqual([
      "wrong.json: is linux/amd64 only; the function's Architectures need linux/arm64",
      `index.json: is a multi-platform index (linux/amd64, linux/arm64/v8); Lambda needs a single-platform image; pin its linux/arm64/v8 manifest instead: ${host}/api@${images.api.children![1]!.imageDigest}`,
    ]);
  });

  it('refuses images that do not exist or fail the scan gate; checks digest references and keeps them', async () => {
    const { client, images, ops, registry: r } = registry();
    const pod = (...refs: string[]) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${refs.map((ref, i) => `    - {name: c${i}, image: ${ref}}\n`).join('')}`;
    const text = pod(
      `${host}/web:v9`,
      `${host}/nope:v1`,
      `${host}/vuln:v1`,
      `${host}/web@${images.web.imageDigest}`,
      `${host}/web@sha256:${'0'.repeat(64)}`,
      `${host}/fn:x86`,
      `${host}/web:v1`,
      `${host}/web:v1`,
    );
    r.clearOperationHistory();
    const { files, refused } = await pinDeployFiles([{ name: 'p.yaml', text }], client, { thresholds: { maxCritical: 0 } });
    expect(refused.map((r) => `${r.location}: ${r.reason}`)).toEqual([
      'Pod default/p, container c0: tag v9 does not exist in web',
      'Pod default/p, container c1: repository nope does not exist in 123456789012/us-east-1',
      'Pod default/p, container c2: fails the scan gate: 2 CRITICAL findings exceed maxCritical 0',
      `Pod default/p, container c4: digest sha256:${'0'.repeat(64)} does not exist in web`,
      'Pod default/p, container c5: fails the scan gate: the image has no scan results',
    ]);
    expect(files[0]!.references.map((x) => x.status)).toEqual(['refused', 'refused', 'refused', 'already-pinned', 'refused', 'refused', 'pinned', 'pinned']);
    expect(files[0]!.references[3]).toMatchObject({ digest: images.web.imageDigest, pinned: `${host}/web@${images.web.imageDigest}` });
    // One resolution per distinct reference: web:v1, written twice, is described and its findings read once.
    const webV1 = (e: { input: unknown }) =>
      JSON.stringify(e.input) === JSON.stringify({ registryId: '123456789012', repositoryName: 'web', imageIds: [{ imageTag: 'v1' }] });
    expect(r.getOperationHistory({ operation: 'DescribeImages' }).filter(webV1)).toHaveLength(1);
    // Findings are read for the three scanned references (vuln:v1, web@digest, web:v1); fn:x86 was never scanned.
    expect(ops({ operation: 'DescribeImageScanFindings' })).toHaveLength(3);
  });

  it('gates an index by its platform images, which are what ECR scans', async () => {
    const { client, images, registry: r } = registry();
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: ${host}/api:latest}]\n`;
    const unscanned = await pinDeployFiles([{ name: 'p.yaml', text }], client, { thresholds: { maxCritical: 0 } });
    expect(unscanned.refused.map((x) => x.reason)).toEqual([
      'fails the scan gate: linux/amd64: the image has no scan results; linux/arm64/v8: the image has no scan results',
    ]);
    r.withScanFindings('api', images.api.children![0]!.imageDigest, { low: 3 }).withScanFindings('api', images.api.children![1]!.imageDigest, { critical: 1 });
    const scanned = await pinDeployFiles([{ name: 'p.yaml', text }], client, { thresholds: { maxCritical: 0 } });
    expect(scanned.refused.map((x) => x.reason)).toEqual(['fails the scan gate: linux/arm64/v8: 1 CRITICAL findings exceed maxCritical 0']);
    r.withScanFindings('api', images.api.children![1]!.imageDigest, { high: 1 });
    const clean = await pinDeployFiles([{ name: 'p.yaml', text }], client, { thresholds: { maxCritical: 0 } });
    expect(clean.files[0]!.references[0]).toMatchObject({ status: 'pinned', digest: images.api.imageDigest });
  });

  it('cluster names the registry the nodes pull from; clientFor reads each registry', async () => {
    const { client } = registry();
    const asked: string[] = [];
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ops}\nspec:\n  containers: [{name: a, image: ${host}/web:v1}]\n`;
    const { refused, pullSecrets } = await pinDeployFiles([{ name: 'p.yaml', text }], client, {
      cluster: { registryId: '210987654321', region: 'eu-west-1' },
      clientFor: (registry) => {
        asked.push(`${registry.registryId}/${registry.region}`);
        return client.forRegistry(registry);
      },
    });
    expect(asked).toEqual(['123456789012/us-east-1']);
    expect(refused).toHaveLength(1);
    expect(pullSecrets).toMatchObject([
      { registryId: '123456789012', region: 'us-east-1', namespace: 'ops', name: 'ecr-123456789012-us-east-1', listed: false },
    ]);
  });

  it("without registryId or cluster, the cluster is the caller's own registry even when the registry is not at an ECR host (a simulation server)", async () => {
    const { registry: r } = registry();
    const inner = createSimulatedTransport(r);
    // What a simulation server answers over HTTP: the login host is the server's own address.
    const transport: Transport = {
      async send(request) {
        const out = (await inner.send(request)) as { authorizationData?: { proxyEndpoint?: string }[] };
        if (request.operation === 'GetAuthorizationToken') for (const d of out.authorizationData ?? []) d.proxyEndpoint = 'http://127.0.0.1:4510';
        return out as never;
      },
    };
    const client = createClient(ecrConfig().region('us-east-1').build(), { transport });
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: ${host}/web:v1}]\n`;
    const { refused, files } = await pinDeployFiles([{ name: 'p.yaml', text }], client);
    expect(refused).toEqual([]);
    expect(files[0]?.references[0]?.status).toBe('pinned');
  });

  it('a malformed file fails before any request; bad options are InvalidParameter', async () => {
    const { client, ops, registry: r } = registry();
    r.clearOperationHistory();
    const error = await rejection(
      pinDeployFiles(
        [
          { name: 'ok.yaml', text: k8s },
          { name: 'bad.yaml', text: 'kind: [' },
        ],
        client,
      ),
    );
    expect(error).toMatchObject({ kind: 'InvalidParameter', field: 'file', message: expect.stringMatching(/^bad\.yaml: not valid YAML or JSON/) });
    expect(await rejection(pinDeployFiles([], client, { clientFor: 1 as never }))).toMatchObject({ kind: 'InvalidParameter', field: 'clientFor' });
    expect(ops()).toEqual([]);
  });
});
