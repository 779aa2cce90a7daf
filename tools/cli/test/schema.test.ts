import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchema } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutputSchemas, schemaDir, schemaFileName } from '../scripts/outputSchemas.js';
import { App } from '../src/App.js';
import { outputMirrors, type OutputName } from '../src/CliOutputs.js';
import { main } from '../src/main.js';
import { createProgram } from '../src/program.js';
import { captureIo } from './captureIo.js';
import { cliRoot, explain, runCli, tempDir } from './runCli.js';
import { readWireShapes, type WireShapes } from './wireShapes.js';

// The documented `--output json` contract: the schema files are what the types generate, their
// field names are the API reference's (checked against core-types' generated wire shapes), the
// fields ecrkit adds are listed in the README, and real output of every command validates.

type Node = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  items?: Node;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: boolean | Node;
  anyOf?: Node[];
  definitions?: Record<string, Node>;
  $comment?: string;
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemaNames = Object.keys(outputMirrors) as (OutputName | 'error')[];
const onDisk = (file: string) => JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as Node;
const wire: Record<'ecr' | 'ecr-public', WireShapes> = { ecr: readWireShapes('ecr'), 'ecr-public': readWireShapes('ecr-public') };
const readme = readFileSync(join(cliRoot, 'README.md'), 'utf8');

/** The README's "Fields ecrkit adds" table: command → fields. */
function documentedOwnFields(): Map<string, Set<string>> {
  const section = /### Fields ecrkit adds\n([\s\S]*?)(?:\n#|$)/.exec(readme)?.[1] ?? '';
  const fields = new Map<string, Set<string>>();
  for (const [, command, field] of section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)) {
    fields.set(command!, (fields.get(command!) ?? new Set()).add(field!));
  }
  return fields;
}

/**
 * Every field the schema declares under an API shape, checked against that shape in core-types:
 * its name exists there, and its JSON type is the wire type's (dates as date-time strings,
 * enums within the wire values, nested shapes recursively). Top-level fields that belong to no
 * mirrored shape must be documented as ecrkit's own. Returns the problems found.
 */
export function wireProblems(name: OutputName | 'error', schema: Node, own: ReadonlySet<string>): string[] {
  const api = name.startsWith('public ') ? 'ecr-public' : 'ecr';
  const shapes = wire[api];
  const problems: string[] = [];
  const mirrors = /mirrors (.+)$/.exec(schema.$comment ?? '')?.[1]?.split(' ') ?? [];
  const foreign = mirrors.some((m) => !m.startsWith('ecr:') && !m.startsWith('ecr-public:'));
  const mirrored = foreign ? [] : mirrors.map((m) => m.slice(m.indexOf(':') + 1));
  for (const shape of mirrored) if (!shapes.interfaces.has(shape)) problems.push(`${name}: mirrors ${shape}, which ${api} does not have`);
  const definitions = schema.definitions ?? {};
  const resolve = (node: Node): Node => (node.$ref ? resolve(definitions[decodeURIComponent(node.$ref.replace('#/definitions/', ''))] ?? {}) : node);

  const check = (raw: Node, tsType: string, path: string): void => {
    const node = resolve(raw);
    const type = tsType.trim();
    const is = (t: string) => node.type === t;
    if (type.endsWith('[]')) {
      if (!is('array') || !node.items) problems.push(`${path}: an array in the API, not in the schema`);
      else check(node.items, type.slice(0, -2), `${path}[]`);
    } else if (type === 'string' || type === 'number' || type === 'boolean') {
      if (!(is(type) || (type === 'number' && is('integer')))) problems.push(`${path}: ${type} in the API, ${JSON.stringify(node.type)} in the schema`);
    } else if (type === 'Date') {
      if (!is('string') || node.format !== 'date-time') problems.push(`${path}: a timestamp in the API, not a date-time string in the schema`);
    } else if (type === 'Uint8Array') {
      problems.push(`${path}: bytes are never printed`);
    } else if (/^Record<string, (.+)>$/.test(type)) {
      const value = /^Record<string, (.+)>$/.exec(type)![1]!;
      if (!is('object') || typeof node.additionalProperties !== 'object') problems.push(`${path}: a map in the API, not in the schema`);
      else check(node.additionalProperties, value, `${path}{}`);
    } else if (shapes.enums.has(type)) {
      const allowed = shapes.enums.get(type)!;
      const values = node.enum ?? (node.const !== undefined ? [node.const] : []);
      if (!is('string')) problems.push(`${path}: ${type} is a string enum in the API`);
      for (const v of values) if (!allowed.has(String(v))) problems.push(`${path}: '${String(v)}' is not a ${type} value`);
    } else if (shapes.interfaces.has(type)) {
      const fields = shapes.interfaces.get(type)!;
      if (!is('object')) problems.push(`${path}: the API's ${type} is an object`);
      for (const [field, child] of Object.entries(node.properties ?? {})) {
        const fieldType = fields.get(field);
        if (fieldType === undefined) problems.push(`${path}.${field}: not a field of the API's ${type} (${[...fields.keys()].join(', ')})`);
        else check(child, fieldType, `${path}.${field}`);
      }
    } else {
      problems.push(`${path}: the wire type '${type}' is not one this check knows`);
    }
  };

  for (const [field, node] of Object.entries(schema.properties ?? {})) {
    const owner = mirrored.map((shape) => [shape, shapes.interfaces.get(shape)?.get(field)] as const).find(([, t]) => t !== undefined);
    if (owner) check(node, owner[1]!, `${name}: ${owner[0]}.${field}`);
    else if (!foreign && !own.has(field)) {
      problems.push(`${name}: '${field}' is not a field of ${mirrored.join(' or ') || 'any API shape'}, nor listed under "Fields ecrkit adds" in the README`);
    }
  }
  return problems;
}

/** A copy of the schema whose objects admit no field they do not declare (the published files are open). */
function closed(schema: Node): Node {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node))
      out[k] = k === 'properties' || k === 'definitions' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, walk(s)])) : walk(v);
    if ((out as Node).properties && (out as Node).additionalProperties === undefined) out.additionalProperties = false;
    return out;
  };
  return walk(schema) as Node;
}

describe('the JSON output schemas (schema/v1)', () => {
  it('are exactly what `npm run schema` generates from src/CliOutputs.ts', () => {
    const built = buildOutputSchemas();
    expect([...built.keys()].sort()).toEqual(readdirSync(schemaDir).sort());
    for (const [file, schema] of built) expect(onDisk(file), `${file} is stale: run \`npm run schema -w @ecrkit/cli\``).toEqual(schema);
  }, 60_000);

  it('use the API reference field names and types of core-types, and document every field ecrkit adds', () => {
    const own = documentedOwnFields();
    const problems = schemaNames.flatMap((name) => wireProblems(name, onDisk(schemaFileName(name)), own.get(name) ?? new Set()));
    expect(problems).toEqual([]);
    // Nothing documented as ecrkit's own is an API field, and each is in its command's schema.
    for (const [command, fields] of own) {
      expect(schemaNames, `README lists a command without a schema: ${command}`).toContain(command);
      const schema = onDisk(schemaFileName(command as OutputName));
      for (const field of fields) {
        expect(Object.keys(schema.properties ?? {}), `README: ${command} has no field ${field}`).toContain(field);
        expect(wireProblems(command as OutputName, schema, new Set([...fields].filter((f) => f !== field))).join('\n')).toContain(`'${field}'`);
      }
    }
  });

  it('the check finds a field named otherwise than in the API, a wrong type and an undocumented addition', () => {
    const repos = onDisk(schemaFileName('repos'));
    const renamed = structuredClone(repos);
    const repository = renamed.definitions!.Repository!;
    repository.properties = { name: repository.properties!.repositoryName!, ...repository.properties };
    delete repository.properties.repositoryName;
    expect(wireProblems('repos', renamed, new Set())).toEqual([expect.stringContaining("repositories[].name: not a field of the API's Repository")]);
    const retyped = structuredClone(repos);
    retyped.definitions!.Repository!.properties!.createdAt = { type: 'number' };
    expect(wireProblems('repos', retyped, new Set())).toEqual([expect.stringContaining('createdAt: a timestamp in the API')]);
    const added = structuredClone(repos);
    added.properties!.total = { type: 'number' };
    expect(wireProblems('repos', added, new Set())).toEqual([expect.stringContaining("'total' is not a field of DescribeRepositoriesResponse")]);
  });
});

describe('real --output json of every command validates against its schema', () => {
  const dir = tempDir();
  const state = join(dir.path, 'state.json');
  const ajv = addFormats(new Ajv({ strict: true, allErrors: true, allowUnionTypes: true }));
  const validators = new Map(schemaNames.map((name) => [name, ajv.compile(closed(onDisk(schemaFileName(name))) as AnySchema)]));
  const seen = new Set<string>();
  afterAll(() => dir.remove());

  const validate = (name: OutputName | 'error', document: unknown, context: string) => {
    const valid = validators.get(name)!;
    expect(valid(document), `${context}\n${JSON.stringify(valid.errors, null, 2)}\n${JSON.stringify(document, null, 2).slice(0, 4000)}`).toBe(true);
    seen.add(name);
  };

  // In process, in order, on one state file: reads first, then the changes.
  const runs: [OutputName | 'error', string[], number][] = [
    ['repos', ['repos'], 0],
    ['repo', ['repo', 'web-app'], 0],
    ['repo', ['repo', 'api-service'], 0],
    ['lifecycle preview', ['lifecycle', 'preview', 'web-app'], 0],
    ['images', ['images', 'web-app'], 0],
    ['describe', ['describe', 'lambda-processor', 'prod-2025-01-10'], 0],
    ['manifest', ['manifest', 'api-service', 'latest'], 0],
    ['manifest', ['manifest', 'api-service', 'latest', '--platform', 'linux/arm64/v8'], 0],
    ['manifest', ['manifest', 'web-app', 'v1.2.0'], 0],
    ['config', ['config', 'api-service', 'latest', '--platform', 'linux/arm/v7'], 0],
    ['config', ['config', 'web-app', 'v1.2.0'], 0],
    ['layers', ['layers', 'worker', 'latest'], 0],
    ['findings', ['findings', 'web-app', 'v1.0.0'], 0],
    ['findings', ['findings', 'lambda-processor', 'prod-2025-01-10'], 0],
    ['login', ['login'], 0],
    ['login', ['login', '--helper'], 0],
    ['copy', ['copy', '123456789012.dkr.ecr.us-east-1.amazonaws.com/api-service:latest', '123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:api-latest'], 0],
    ['pull', ['pull', '123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app:v1.2.0', 'layout'], 0],
    ['pull-secret', ['pull-secret', 'default'], 0],
    ['replication status', ['replication', 'web-app', 'v1.2.0'], 0],
    ['similar', ['similar', 'web-app', 'v1.2.0'], 0],
    ['deployable', ['deployable', 'web-app', 'v1.2.0'], 0],
    ['deployable', ['deployable', 'web-app', 'v1.0.0'], 1],
    ['public repos', ['public', 'repos'], 0],
    ['public repo', ['public', 'repo', 'hello-world'], 0],
    ['public images', ['public', 'images', 'hello-world'], 0],
    ['referrers', ['referrers', 'web-app', 'v1.2.0'], 0],
    ['pull-through create', ['pull-through', 'create', 'ecr-public', 'public.ecr.aws'], 0],
    ['pull-through list', ['pull-through', 'list'], 0],
    ['pull-through validate', ['pull-through', 'validate', 'ecr-public'], 0],
    ['pull-through delete', ['pull-through', 'delete', 'ecr-public'], 0],
    ['error', ['pull-through', 'validate', 'ecr-public'], 3],
    ['registry-policy put', ['registry-policy', 'put', 'registry-policy.json'], 0],
    ['registry-policy get', ['registry-policy', 'get'], 0],
    ['registry-policy delete', ['registry-policy', 'delete'], 0],
    ['error', ['registry-policy', 'get'], 3],
    ['scan', ['scan', 'worker', 'latest'], 0],
    ['scan', ['scan', 'worker', 'latest'], 0],
    ['scan', ['scan', 'worker', 'latest', '--max-critical', '0'], 0],
    ['scan', ['scan', 'web-app', 'v1.0.0', '--max-critical', '0', '--ignore', 'CVE-0000-0000'], 1],
    ['tag', ['tag', 'web-app', 'v1.2.0', 'stable'], 0],
    ['untag', ['untag', 'web-app', 'v1.1.0'], 0],
    ['delete', ['delete', 'worker', '2024.11.1', 'v9.9.9'], 3],
    ['replication status', ['replication', 'status', 'web-app', 'v1.2.0', '--wait'], 0],
    ['replication verify', ['replication', 'verify', 'web-app', 'v1.2.0'], 0],
    ['replication verify', ['replication', 'verify', 'worker', 'latest'], 6],
    // Copies of the deploy fixtures (test/fixtures/deploy) in deploy/: unpinned, pinned, then a gate that refuses.
    ['pin', ['pin', 'deploy/web.yaml', 'deploy/task.json', 'deploy/function.json', '--check'], 1],
    ['pin', ['pin', 'deploy/web.yaml', 'deploy/task.json', 'deploy/function.json'], 0],
    ['pin', ['pin', 'deploy/web.yaml', '--max-medium', '0', '--check'], 1],
    ['demo', ['demo'], 0],
    ['error', ['images', 'no-such-repo'], 3],
    ['error', ['describe', 'web-app', 'bad tag!'], 2],
    ['error', ['imagez'], 2],
    ['error', ['--target', 'aws', 'repos'], 2],
    ['error', ['pin', 'deploy/missing.yaml'], 2],
    ['error', ['replication', 'verify', 'web-app', 'v9.9.9'], 3],
  ];
  const results: { name: OutputName | 'error'; args: string[]; code: number; expected: number; stdout: string; stderr: string }[] = [];

  beforeAll(async () => {
    mkdirSync(join(dir.path, 'deploy'));
    for (const file of ['web.yaml', 'task.json', 'function.json'])
      copyFileSync(join(cliRoot, 'test', 'fixtures', 'deploy', file), join(dir.path, 'deploy', file));
    copyFileSync(join(cliRoot, 'test', 'fixtures', 'registry-policy.json'), join(dir.path, 'registry-policy.json'));
    for (const [name, args, expected] of runs) {
      const io = captureIo({ cwd: dir.path });
      const code = await main(['--state', state, '--output', 'json', ...args], io.io);
      results.push({ name, args, code, expected, stdout: io.out(), stderr: io.err() });
    }
  }, 120_000);

  it('each result, and each failure on stderr', () => {
    for (const r of results) {
      const context = `ecrkit ${r.args.join(' ')} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
      expect(r.code, context).toBe(r.expected);
      if (r.name === 'error') {
        expect(r.stdout, context).toBe('');
        const lines = r.stderr.trim().split('\n');
        expect(lines, context).toHaveLength(1);
        const error = JSON.parse(lines[0]!) as { exitCode: number };
        validate('error', error, context);
        expect(error.exitCode).toBe(r.expected);
      } else {
        validate(r.name, JSON.parse(r.stdout), context);
      }
    }
  });

  it('sim serve, as a process', async () => {
    let document: unknown;
    const args = ['--output', 'json', 'sim', 'serve', '--port', '0', '--seed', 'empty'];
    const r = await runCli(args, {
      cwd: dir.path,
      // The document is complete once it parses; then stop the server.
      onStdout: (stdout, child) => {
        if (document !== undefined) return;
        try {
          document = JSON.parse(stdout);
          child.kill('SIGTERM');
        } catch {}
      },
    });
    expect(r.code, explain(args, r)).toBe(0);
    validate('sim serve', document, explain(args, r));
  }, 30_000);

  it('covers every output and every command that prints one', () => {
    expect([...seen].sort()).toEqual([...schemaNames].sort());
    const leaves = (command: Command, path: string[] = []): string[] =>
      command.commands.length === 0 ? [path.join(' ')] : command.commands.flatMap((c) => leaves(c, [...path, c.name()]));
    const noJson = ['get-login-password', 'completion'];
    expect(
      leaves(createProgram(new App(captureIo().io)))
        .filter((c) => !noJson.includes(c))
        .sort(),
    ).toEqual(schemaNames.filter((n) => n !== 'error').sort());
  });
});
