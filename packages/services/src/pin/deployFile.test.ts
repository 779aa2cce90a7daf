import { describe, expect, it } from 'vitest';
import { parseDeployFile } from './deployFile.js';

const host = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

const manifest = `# Web tier. ecrkit pin changes the image lines only.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod   # production
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ${host}/web:v1   # runs first
      containers:
        -   name: app
            image: "${host}/api:latest"
        - {name: proxy, image: 'nginx:1.27'}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          imagePullSecrets: [{name: shared-pull}]
          containers:
            - name: report
              image: 210987654321.dkr.ecr.eu-west-1.amazonaws.com/shared/base:v1
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec: {template: {spec: {containers: [{name: pg, image: ${host}/db:16}]}}}
  - apiVersion: v1
    kind: Pod
    metadata: {name: debug}
    spec:
      containers: [{name: main, image: ${host}/web:v1}]
      ephemeralContainers: [{name: shell, image: ${host}/tools:latest}]
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings}
    data: {image: not-an-image}
...
`;

describe('parseDeployFile', () => {
  it('finds every container image of a multi-document Kubernetes manifest, with where it is and what its pod spec has', () => {
    const file = parseDeployFile(manifest, 'web.yaml');
    expect(file.format).toBe('kubernetes');
    expect(file.sites.map((s) => `${s.line} ${s.location}: ${s.image}`)).toEqual([
      `12 Deployment prod/web, init container migrate: ${host}/web:v1`,
      `15 Deployment prod/web, container app: ${host}/api:latest`,
      '16 Deployment prod/web, container proxy: nginx:1.27',
      '30 CronJob default/nightly, container report: 210987654321.dkr.ecr.eu-west-1.amazonaws.com/shared/base:v1',
      `38 StatefulSet default/db, container pg: ${host}/db:16`,
      `43 Pod default/debug, container main: ${host}/web:v1`,
      `44 Pod default/debug, ephemeral container shell: ${host}/tools:latest`,
    ]);
    expect(file.sites[3]!.kubernetes).toEqual({ namespace: 'default', imagePullSecrets: ['shared-pull'] });
    expect(file.sites[0]!.kubernetes).toEqual({ namespace: 'prod', imagePullSecrets: [] });
  });

  it('rewrites only the image values: comments, quotes, flow style, indentation and document markers stay byte for byte', () => {
    const file = parseDeployFile(manifest, 'web.yaml');
    const a = `${host}/web@sha256:${'a'.repeat(64)}`;
    const b = `${host}/api@sha256:${'b'.repeat(64)}`;
    const c = `${host}/tools@sha256:${'c'.repeat(64)}`;
    const out = file.withImages(
      new Map([
        [0, a],
        [1, b],
        [6, c],
      ]),
    );
    const expected = manifest
      .replace(`image: ${host}/web:v1   # runs first`, `image: ${a}   # runs first`)
      .replace(`"${host}/api:latest"`, `"${b}"`)
      .replace(`{name: shell, image: ${host}/tools:latest}`, `{name: shell, image: ${c}}`);
    expect(out).toBe(expected);
    // The parsed file can be rewritten again, from the original text.
    expect(file.withImages(new Map())).toBe(manifest);
    expect(file.withImages(new Map([[5, a]]))).toBe(manifest.replace(`{name: main, image: ${host}/web:v1}`, `{name: main, image: ${a}}`));
  });

  it('keeps CRLF line endings and JSON indentation of an ECS task definition; reads runtimePlatform', () => {
    const json = [
      '{',
      '    "family": "web",',
      '    "runtimePlatform": { "cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX" },',
      '    "containerDefinitions": [',
      `        { "name": "app", "image": "${host}/web:v1", "essential": true },`,
      '        {',
      '            "name": "sidecar",',
      '            "image": "public.ecr.aws/aws-observability/aws-otel-collector:latest"',
      '        }',
      '    ]',
      '}',
      '',
    ].join('\r\n');
    const file = parseDeployFile(json, 'task.json');
    expect(file.format).toBe('ecs');
    expect(file.sites.map((s) => [s.location, s.platform])).toEqual([
      ['task definition web, container app', { os: 'linux', architecture: 'arm64' }],
      ['task definition web, container sidecar', { os: 'linux', architecture: 'arm64' }],
    ]);
    const pinned = `${host}/web@sha256:${'d'.repeat(64)}`;
    expect(file.withImages(new Map([[0, pinned]]))).toBe(json.replace(`${host}/web:v1`, pinned));
    // DescribeTaskDefinition's output shape, and no runtimePlatform: no platform requirement.
    const described = parseDeployFile(JSON.stringify({ taskDefinition: { family: 'x', containerDefinitions: [{ name: 'a', image: `${host}/web:v1` }] } }));
    expect(described.sites[0]).toMatchObject({ location: 'task definition x, container a' });
    expect(described.sites[0]!.platform).toBeUndefined();
  });

  it('reads a Lambda configuration: ImageUri or Code.ImageUri, Architectures (default x86_64)', () => {
    const create = parseDeployFile(
      JSON.stringify({ FunctionName: 'proc', PackageType: 'Image', Code: { ImageUri: `${host}/fn:v1` }, Architectures: ['arm64'] }, null, 2),
    );
    expect(create.format).toBe('lambda');
    expect(create.sites).toEqual([
      { location: 'function proc', image: `${host}/fn:v1`, line: 5, platform: { os: 'linux', architecture: 'arm64' }, singlePlatform: true },
    ]);
    const update = parseDeployFile(`{"FunctionName": "proc", "ImageUri": "${host}/fn:v1"}`);
    expect(update.sites[0]!.platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(() => parseDeployFile(`{"FunctionName": "p", "ImageUri": "x/y:z", "Architectures": ["arm"]}`)).toThrow(/Architectures/);
  });

  it('refuses text that is not valid YAML/JSON or not one of the formats, naming the file', () => {
    expect(() => parseDeployFile('kind: [unclosed', 'bad.yaml')).toThrow(/^bad\.yaml: not valid YAML or JSON/);
    expect(() => parseDeployFile('{"name": "x"}', 'other.json')).toThrow(
      /other\.json: not a Kubernetes manifest, an ECS task definition or a Lambda function configuration/,
    );
    expect(() => parseDeployFile('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: [1, 2]\n', 'p.yaml')).toThrow(
      /Pod default\/\(unnamed\), container a: the image must be written as a string/,
    );
    try {
      parseDeployFile('', 'empty.yaml');
    } catch (err) {
      expect(err).toMatchObject({ kind: 'InvalidParameter', field: 'file' });
    }
  });
});
