import { EcrError } from '@ecrkit/core-types';
import type { Platform } from '@ecrkit/core-types';
import { CST, Composer, LineCounter, Parser, isMap, isScalar, isSeq } from 'yaml';
import type { Scalar } from 'yaml';

/** The deploy artifacts ecrkit pins: Kubernetes manifests, ECS task definitions, Lambda function configurations. */
export const DeployFileFormat = {
  Kubernetes: 'kubernetes',
  Ecs: 'ecs',
  Lambda: 'lambda',
} as const;
/** One of {@link DeployFileFormat}. */
export type DeployFileFormat = (typeof DeployFileFormat)[keyof typeof DeployFileFormat];

/** One image reference in a deploy file, with what the place it sits in needs from the image. */
export interface ImageSite {
  /** Where it is, e.g. `Deployment prod/web, init container migrate` or `task definition web, container app`. */
  location: string;
  /** The reference exactly as written. */
  image: string;
  /** 1-based line of the reference in the file. */
  line: number;
  /** The platform the image must provide (ECS `runtimePlatform`, Lambda `Architectures`). */
  platform?: Platform;
  /** Lambda: the image must be a single-platform image, not an index. */
  singlePlatform?: boolean;
  /** Kubernetes: the namespace (default `default`) and the pod spec's `imagePullSecrets` names. */
  kubernetes?: { namespace: string; imagePullSecrets: string[] };
}

/** A deploy file, parsed: its format and every image reference, ready to be rewritten. */
export interface DeployFile {
  format: DeployFileFormat;
  sites: ImageSite[];
  /**
   * The file with the given references replaced (index into `sites` -> new reference), every
   * other byte as it was: comments, quoting, indentation, key order and line endings.
   */
  withImages(replacements: ReadonlyMap<number, string>): string;
}

const podSpecPaths: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};
const containerLists = [
  ['initContainers', 'init container'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeral container'],
] as const;

function invalid(source: string, problem: string): EcrError {
  return new EcrError({ kind: 'InvalidParameter', field: 'file', message: `${source ? `${source}: ` : ''}${problem}` });
}

function child(node: unknown, ...path: string[]): unknown {
  let at = node;
  for (const key of path) {
    if (!isMap(at)) return undefined;
    at = at.get(key, true);
  }
  return at;
}

function text(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

/** A site with the scalar that holds it, for the rewrite. */
interface FoundSite extends ImageSite {
  node: Scalar;
}

/** ECS `runtimePlatform` as an OCI platform; ECS's defaults are LINUX and X86_64. */
function ecsPlatform(runtimePlatform: unknown, source: string): Platform | undefined {
  if (!isMap(runtimePlatform)) return undefined;
  const cpu = text(runtimePlatform.get('cpuArchitecture', true)) ?? 'X86_64';
  const os = text(runtimePlatform.get('operatingSystemFamily', true)) ?? 'LINUX';
  const architecture = cpu === 'X86_64' ? 'amd64' : cpu === 'ARM64' ? 'arm64' : undefined;
  if (!architecture) throw invalid(source, `runtimePlatform.cpuArchitecture ${JSON.stringify(cpu)} is not X86_64 or ARM64`);
  if (os !== 'LINUX' && !os.startsWith('WINDOWS_'))
    throw invalid(source, `runtimePlatform.operatingSystemFamily ${JSON.stringify(os)} is not LINUX or WINDOWS_*`);
  return { os: os === 'LINUX' ? 'linux' : 'windows', architecture };
}

/** Lambda `Architectures` (one of `x86_64`, `arm64`; default `x86_64`) as an OCI platform. */
function lambdaPlatform(architectures: unknown, source: string): Platform {
  const list = items(architectures).map(text);
  if (architectures !== undefined && (list.length !== 1 || (list[0] !== 'x86_64' && list[0] !== 'arm64'))) {
    throw invalid(source, `Architectures must be ["x86_64"] or ["arm64"]`);
  }
  return { os: 'linux', architecture: list[0] === 'arm64' ? 'arm64' : 'amd64' };
}

function kubernetesSites(root: unknown, add: (node: unknown, location: string, extra: Partial<ImageSite>) => void): void {
  if (!isMap(root)) return;
  const kind = text(root.get('kind', true));
  if (kind === 'List') {
    for (const item of items(root.get('items', true))) kubernetesSites(item, add);
    return;
  }
  const path = kind ? podSpecPaths[kind] : undefined;
  if (!kind || !path) return;
  const podSpec = child(root, ...path);
  if (!isMap(podSpec)) return;
  const name = text(child(root, 'metadata', 'name')) ?? '(unnamed)';
  const namespace = text(child(root, 'metadata', 'namespace')) ?? 'default';
  const imagePullSecrets = items(podSpec.get('imagePullSecrets', true))
    .map((s) => text(child(s, 'name')))
    .filter((s): s is string => s !== undefined);
  for (const [list, label] of containerLists) {
    for (const container of items(podSpec.get(list, true))) {
      const containerName = text(child(container, 'name')) ?? '(unnamed)';
      add(child(container, 'image'), `${kind} ${namespace}/${name}, ${label} ${containerName}`, { kubernetes: { namespace, imagePullSecrets } });
    }
  }
}

/** Parse the text and find the image scalars (fresh tokens each time, so each rewrite starts from the source). */
function collect(source: string, name: string): { format: DeployFileFormat; found: FoundSite[]; tokens: CST.Token[] } {
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(source));
  const docs = Array.from(new Composer({ keepSourceTokens: true }).compose(tokens));
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) throw invalid(name, `not valid YAML or JSON: ${error.message.split('\n')[0]}`);
  }
  const roots = docs.map((d) => d.contents).filter((c): c is NonNullable<typeof c> => c !== null);
  const found: FoundSite[] = [];
  const add = (node: unknown, location: string, extra: Partial<ImageSite>) => {
    if (node === undefined) return;
    if (!isScalar(node) || typeof node.value !== 'string' || !node.srcToken) {
      throw invalid(name, `${location}: the image must be written as a string, not ${isScalar(node) ? typeof node.value : 'a YAML alias or collection'}`);
    }
    const offset = node.range?.[0] ?? 0;
    found.push({ location, image: node.value, line: lines.linePos(offset).line, ...extra, node });
  };

  const [first] = roots;
  const ecsRoot = isMap(first) && isMap(first.get('taskDefinition', true)) ? first.get('taskDefinition', true) : first;
  if (roots.length === 1 && isMap(ecsRoot) && isSeq(ecsRoot.get('containerDefinitions', true))) {
    const family = text(ecsRoot.get('family', true)) ?? '(no family)';
    const platform = ecsPlatform(ecsRoot.get('runtimePlatform', true), name);
    for (const container of items(ecsRoot.get('containerDefinitions', true))) {
      const containerName = text(child(container, 'name')) ?? '(unnamed)';
      add(child(container, 'image'), `task definition ${family}, container ${containerName}`, platform ? { platform } : {});
    }
    return { format: DeployFileFormat.Ecs, found, tokens };
  }
  if (roots.length === 1 && isMap(first) && (first.has('ImageUri') || isMap(first.get('Code', true)))) {
    const functionName = text(first.get('FunctionName', true)) ?? text(child(first, 'Configuration', 'FunctionName')) ?? '(unnamed)';
    const architectures = first.get('Architectures', true) ?? child(first, 'Configuration', 'Architectures');
    const uri = first.get('ImageUri', true) ?? child(first, 'Code', 'ImageUri');
    if (uri === undefined) throw invalid(name, `function ${functionName} has no ImageUri (only container-image functions are pinned)`);
    add(uri, `function ${functionName}`, { platform: lambdaPlatform(architectures, name), singlePlatform: true });
    return { format: DeployFileFormat.Lambda, found, tokens };
  }
  if (roots.some((r) => isMap(r) && r.has('kind') && r.has('apiVersion'))) {
    for (const root of roots) kubernetesSites(root, add);
    return { format: DeployFileFormat.Kubernetes, found, tokens };
  }
  throw invalid(name, 'not a Kubernetes manifest, an ECS task definition or a Lambda function configuration');
}

/**
 * Parse a deploy file and find every image reference in it: a Kubernetes manifest (YAML, any
 * number of documents; Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs,
 * PodTemplates and Lists of them; containers, init and ephemeral containers), an ECS task
 * definition (JSON as `aws ecs register-task-definition --cli-input-json` takes it, or as
 * DescribeTaskDefinition returns it) or a Lambda function configuration (`ImageUri` or
 * `Code.ImageUri`, with `Architectures`). The format is told from the content. No I/O.
 *
 * @throws EcrError kind `InvalidParameter` (field `file`) for text that is not valid YAML/JSON or none of these formats.
 * @example
 * const file = parseDeployFile(text, 'k8s/web.yaml');
 * const pinned = file.withImages(new Map([[0, '123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:…']]));
 */
export function parseDeployFile(source: string, name = ''): DeployFile {
  if (typeof source !== 'string') throw invalid(name, 'the file content must be text');
  const { format, found } = collect(source, name);
  return {
    format,
    sites: found.map(({ node: _node, ...site }) => site),
    withImages(replacements) {
      if (replacements.size === 0) return source;
      const again = collect(source, name);
      for (const [index, image] of replacements) {
        const token = again.found[index]?.node.srcToken;
        if (!token) throw invalid(name, `there is no image reference number ${index}`);
        CST.setScalarValue(token, image);
      }
      return again.tokens.map((t) => CST.stringify(t)).join('');
    },
  };
}
