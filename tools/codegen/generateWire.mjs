#!/usr/bin/env node
// Generates core-types' wire model from the ECR and ECR Public service models:
//   packages/core-types/src/wire/ecr.generated.ts             the ECR shapes and `EcrOperations`
//   packages/core-types/src/wire/ecrPublic.generated.ts       the ECR Public shapes and `EcrPublicOperations`
//   packages/core-types/src/wire/operationTable.generated.ts  `ecrOperations` / `ecrPublicOperations`
//   tools/codegen/wireManifest.generated.json                 where every operation came from, input and output hashes
// and then the SigV4 transport's timestamp decoders from the new table. Every operation of both
// models is emitted, so adding one is `npm run codegen -- --ecr ... --ecr-public ...`.
//
//   node tools/codegen/generateWire.mjs --ecr <ecr service-2.json> --ecr-public <ecr-public service-2.json> \
//     [--ecr-paginators <paginators-1.json>] [--ecr-public-paginators <paginators-1.json>] [--out <dir>] [--check]
//   node tools/codegen/generateWire.mjs --check      (no models: checks the committed files, as CI does)
//
// The primary models are botocore's (botocore/data/ecr/2015-09-21/*.json and
// botocore/data/ecr-public/2020-10-30/*.json in github.com/boto/botocore). Operations the installed
// @aws-sdk/client-ecr or @aws-sdk/client-ecr-public has and that botocore model lacks are rebuilt
// from the SDK package itself (sdkSupplement.mjs). Neither is ever copied into this repository;
// the manifest records their SHA-256 digests. With models, `--check` regenerates everything and
// exits 1 naming every file that differs. Without models, `--check` proves what it can from
// committed material: each generated file still hashes to the manifest's digest (no hand edits),
// the installed SDKs' supplementary operations still convert to the recorded digest, and no
// installed SDK has an operation the table lacks. The generator began as a port of a Python
// script; where JavaScript and Python differ (regex classes, JSON escaping, slicing by code
// point), the Python behaviour is kept and the spot says so, so the output did not move.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { SDK_PACKAGES, jsonDigest, loadSdkPackage, sdkOperationNames, supplementFor } from './sdkSupplement.mjs';

const GENERATOR = 'tools/codegen/generateWire.mjs';
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MANIFEST_FILE = 'wireManifest.generated.json';
const DEFAULT_OUT = 'packages/core-types/src/wire';

/** An operation whose name starts with one of these only reads; every other one is `mutating`. */
export const READ_PREFIXES = ['Describe', 'Get', 'List', 'BatchGet', 'BatchCheck'];

/** How each service is emitted: its file, type prefix, table name and the table's doc comment. */
export const SERVICES = {
  ecr: { file: 'ecr.generated.ts', prefix: 'Ecr', api: 'ecr', table: 'ecrOperations', label: 'Private ECR', note: '' },
  ecrPublic: {
    file: 'ecrPublic.generated.ts',
    prefix: 'EcrPublic',
    api: 'ecr-public',
    table: 'ecrPublicOperations',
    label: 'ECR Public',
    note: ', always signed for us-east-1',
  },
};
export const TABLE_FILE = 'operationTable.generated.ts';

// Python's `\s` (str.isspace()): unlike JavaScript's, it takes U+001C..U+001F and U+0085 and not U+FEFF.
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, 'g');

/**
 * A doc comment's text: tags dropped, whitespace collapsed, the first sentence only, a comment end
 * (star, slash) split by a space, at most 300 code points. Undefined for missing or empty documentation.
 */
export function cleanDoc(doc) {
  if (!doc) return undefined;
  let t = doc
    .replace(/<[^>]+>/g, '')
    .replace(SPACE_RUN, ' ')
    .replace(/^ +| +$/g, '');
  // Every space character is now ' ', so Python's `(\s|$)` is `( |$)` and `.` matches alike.
  const sentence = /^(.+?\.)( |$)/.exec(t);
  if (sentence) t = sentence[1];
  return Array.from(t.replaceAll('*/', '* /')).slice(0, 300).join('');
}

/** Python's `json.dumps` of a list of strings: `", "` between items, everything outside ASCII 0x20..0x7E escaped. */
export function pyJsonList(items) {
  return `[${items.map(pyJsonString).join(', ')}]`;
}

const SHORT_ESCAPES = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pyJsonString(s) {
  if (typeof s !== 'string') throw new Error(`expected a string, got ${JSON.stringify(s)}`);
  let out = '"';
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (SHORT_ESCAPES[c]) out += SHORT_ESCAPES[c];
    else if (code >= 0x20 && code <= 0x7e) out += c;
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** An object's entries in document order; JSON.parse would move integer-like keys to the front, so those are refused. */
function entries(obj, what) {
  const keys = Object.keys(obj ?? {});
  const bad = keys.find((k) => /^(0|[1-9][0-9]*)$/.test(k));
  if (bad !== undefined) throw new Error(`${what}: the key '${bad}' would lose its place in the document order`);
  return keys.map((k) => [k, obj[k]]);
}

// Python's `^\w+$` on a type expression: a bare name or primitive, which `T[]` can follow unbracketed.
const BARE_TYPE = /^[\p{L}\p{N}_]+$/u;

/**
 * One service's declarations file and its operation table rows.
 * `model` and `paginators` are the parsed service-2.json and paginators-1.json.
 */
export function generateService(model, paginators, service) {
  const shapes = model.shapes ?? {};
  const pagination = paginators.pagination ?? {};
  const { serviceFullName, apiVersion, targetPrefix } = model.metadata ?? {};
  const shapeOf = (name) => {
    if (!Object.hasOwn(shapes, name)) throw new Error(`${serviceFullName}: no shape '${name}'`);
    return shapes[name];
  };

  // Every structure and enum reached from the operations, dependencies first (post-order).
  const emitted = new Map();
  const order = [];

  const tsType = (name) => {
    const s = shapeOf(name);
    switch (s.type) {
      case 'string':
        if ('enum' in s) {
          visit(name);
          return name;
        }
        return 'string';
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'timestamp':
        return 'Date';
      case 'blob':
        return 'Uint8Array';
      case 'list': {
        const inner = tsType(s.member.shape);
        return BARE_TYPE.test(inner) ? `${inner}[]` : `Array<${inner}>`;
      }
      case 'map':
        return `Record<string, ${tsType(s.value.shape)}>`;
      case 'structure':
        visit(name);
        return name;
      default:
        throw new Error(`${serviceFullName}: shape '${name}' has type '${s.type}', which has no TypeScript mapping`);
    }
  };

  const visit = (name) => {
    if (emitted.has(name)) return;
    emitted.set(name, null); // placed before its members, so a recursive shape refers to itself by name
    const s = shapeOf(name);
    if (s.type === 'structure') {
      const required = new Set(s.required ?? []);
      const fields = entries(s.members, name).map(([k, v]) => ({
        name: k,
        type: tsType(v.shape),
        required: required.has(k),
        doc: cleanDoc(v.documentation),
      }));
      emitted.set(name, { kind: 'struct', fields, doc: cleanDoc(s.documentation) });
    } else {
      emitted.set(name, { kind: 'enum', values: s.enum, doc: cleanDoc(s.documentation) });
    }
    order.push(name);
  };

  // Dotted paths to every shape of `kind` under `name`; `*` for list items and map values.
  const paths = (name, acc, kind, depth = 0, seen = []) => {
    const s = shapeOf(name);
    if (seen.includes(name) || depth > 8) return [];
    if (s.type === 'structure') {
      return entries(s.members, name).flatMap(([k, v]) => paths(v.shape, [...acc, k], kind, depth + 1, [...seen, name]));
    }
    if (s.type === 'list') return paths(s.member.shape, [...acc, '*'], kind, depth + 1, seen);
    if (s.type === 'map') return paths(s.value.shape, [...acc, '*'], kind, depth + 1, seen);
    return s.type === kind ? [acc.join('.')] : [];
  };

  const table = new Map();
  for (const op of service.operations) {
    const o = model.operations?.[op];
    if (!o) throw new Error(`${serviceFullName}: no operation '${op}'`);
    if (!o.input?.shape || !o.output?.shape) throw new Error(`${serviceFullName}: operation '${op}' lacks an input or output shape`);
    const input = o.input.shape;
    const output = o.output.shape;
    visit(input);
    visit(output);
    const entry = {
      target: `${targetPrefix}.${op}`,
      mutating: !READ_PREFIXES.some((p) => op.startsWith(p)),
      input,
      output,
    };
    const outputTimestamps = paths(output, [], 'timestamp');
    if (outputTimestamps.length > 0) entry.outputTimestamps = outputTimestamps;
    const inputTimestamps = paths(input, [], 'timestamp');
    if (inputTimestamps.length > 0) entry.inputTimestamps = inputTimestamps;
    const inputBlobs = paths(input, [], 'blob');
    if (inputBlobs.length > 0) entry.inputBlobs = inputBlobs;
    if (Object.hasOwn(pagination, op)) {
      const p = pagination[op];
      for (const key of ['input_token', 'output_token', 'limit_key']) {
        if (typeof p[key] !== 'string') throw new Error(`${serviceFullName}: paginator '${op}' needs a single string '${key}'`);
      }
      entry.pagination = {
        inputToken: p.input_token,
        outputToken: p.output_token,
        limitKey: p.limit_key,
        resultKeys: Array.isArray(p.result_key) ? p.result_key : [p.result_key],
      };
    }
    entry.errors = (o.errors ?? []).map((e) => e.shape);
    table.set(op, entry);
  }

  const lines = [
    `// Generated by ${GENERATOR} from the ${serviceFullName} service model (${apiVersion}).`,
    ...sourceNote(service.origins),
    '// Do not edit by hand: shapes follow the ECR API reference exactly; timestamps are Date, blobs Uint8Array.',
    '',
  ];
  for (const name of order) {
    const shape = emitted.get(name);
    if (shape.doc) lines.push(`/** ${shape.doc} */`);
    if (shape.kind === 'enum') {
      lines.push(`export const ${name} = {`);
      for (const v of shape.values) lines.push(`  ${v.replace(/[^A-Za-z0-9_]/gu, '_')}: '${v}',`);
      lines.push('} as const;');
      if (shape.doc) lines.push(`/** ${shape.doc} */`);
      lines.push(`export type ${name} = (typeof ${name})[keyof typeof ${name}];`);
    } else {
      lines.push(`export interface ${name} {`);
      for (const f of shape.fields) {
        if (f.doc) lines.push(`  /** ${f.doc} */`);
        lines.push(`  ${f.name}${f.required ? '' : '?'}: ${f.type};`);
      }
      lines.push('}');
    }
    lines.push('');
  }
  lines.push(`/** Every ${service.api} operation ecrkit speaks, with its input and output shapes. */`);
  lines.push(`export interface ${service.prefix}Operations {`);
  for (const op of service.operations) {
    const e = table.get(op);
    lines.push(`  ${op}: { input: ${e.input}; output: ${e.output} };`);
  }
  lines.push('}');
  lines.push('');
  return { declarations: lines.join('\n'), table, metadata: model.metadata ?? {} };
}

/** Header lines naming the operations that came from another source than the service model. */
function sourceNote(origins = {}) {
  const bySource = new Map();
  for (const [op, source] of Object.entries(origins).sort(([a], [b]) => (a < b ? -1 : 1))) {
    bySource.set(source, [...(bySource.get(source) ?? []), op]);
  }
  return [...bySource].map(([source, ops]) => `// Not in that model, so taken from ${source}: ${ops.join(', ')}.`);
}

function tableSource(service, generated) {
  const { targetPrefix, signingName } = generated.metadata;
  const s = [`/** ${service.label} (${targetPrefix}), signing name \`${signingName}\`${service.note}. */`, `export const ${service.table} = {`];
  for (const [op, e] of generated.table) {
    if (service.origins?.[op]) s.push(`  // Model: ${service.origins[op]}.`);
    s.push(`  ${op}: {`);
    s.push(`    target: '${e.target}',`);
    s.push(`    mutating: ${e.mutating ? 'true' : 'false'},`);
    for (const k of ['outputTimestamps', 'inputTimestamps', 'inputBlobs']) {
      if (k in e) s.push(`    ${k}: ${pyJsonList(e[k])},`);
    }
    if (e.pagination) {
      const p = e.pagination;
      s.push(
        `    pagination: { inputToken: '${p.inputToken}', outputToken: '${p.outputToken}', limitKey: '${p.limitKey}', resultKeys: ${pyJsonList(p.resultKeys)} },`,
      );
    }
    s.push(`    errors: ${pyJsonList(e.errors)},`);
    s.push('  },');
  }
  s.push('} as const satisfies Record<string, OperationSpec>;');
  return s.join('\n');
}

/**
 * The three wire files, by name, from the parsed models:
 * `{ ecr: { model, paginators, operations?, origins? }, ecrPublic: { ... } }`. `operations`
 * defaults to every operation of the model, sorted; `origins` names the source of operations that
 * did not come from the primary model (see {@link withSupplement}).
 */
export function generateWire(input) {
  const files = new Map();
  const tables = [];
  for (const [key, defaults] of Object.entries(SERVICES)) {
    const { model, paginators, operations = Object.keys(model.operations ?? {}).sort(), origins = {} } = input[key];
    const service = { ...defaults, operations, origins };
    const generated = generateService(model, paginators, service);
    files.set(service.file, generated.declarations);
    tables.push(tableSource(service, generated));
  }
  files.set(
    TABLE_FILE,
    `// Generated by ${GENERATOR} from the ECR and ECR Public service models. Do not edit by hand.\n` +
      "import type { OperationSpec } from './OperationSpec.js';\n\n" +
      `${tables.join('\n\n')}\n`,
  );
  return files;
}

/**
 * A botocore model and paginators with a supplement's operations, shapes and paginators added
 * (none of which the model has). Returns the merged pair; the inputs are not changed.
 */
export function withSupplement(model, paginators, supplement) {
  const merged = { ...model, operations: { ...model.operations }, shapes: { ...model.shapes } };
  for (const [name, op] of Object.entries(supplement.operations)) {
    if (Object.hasOwn(merged.operations, name)) throw new Error(`the supplement repeats operation '${name}'`);
    merged.operations[name] = op;
  }
  for (const [name, shape] of Object.entries(supplement.shapes)) {
    if (Object.hasOwn(merged.shapes, name)) throw new Error(`the supplement repeats shape '${name}'`);
    merged.shapes[name] = shape;
  }
  return { model: merged, paginators: { ...paginators, pagination: { ...paginators.pagination, ...supplement.pagination } } };
}

/** A botocore JSON file, plain or gzipped (botocore's wheels ship `.json.gz`). */
export function readModel(path) {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return JSON.parse(bytes.toString('utf8'));
}

/** The names (relative to `outDir`) of the files that are missing or differ from `files`. */
export function staleFiles(outDir, files) {
  return [...files]
    .filter(([name, text]) => {
      const path = join(outDir, name);
      return !existsSync(path) || readFileSync(path, 'utf8') !== text;
    })
    .map(([name]) => name);
}

const sha256 = (text) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** The shapes of `base` a supplement refers to without defining, with their types: what a check without `base` needs. */
function sharedShapes(supplement, base) {
  const refs = new Set();
  const walk = (shape) => {
    if (shape.type === 'structure') for (const m of Object.values(shape.members)) refs.add(m.shape);
    if (shape.type === 'list') refs.add(shape.member.shape);
    if (shape.type === 'map') refs.add(shape.value.shape);
  };
  for (const shape of Object.values(supplement.shapes)) walk(shape);
  for (const op of Object.values(supplement.operations)) refs.add(op.input.shape).add(op.output.shape);
  return Object.fromEntries(
    [...refs]
      .filter((n) => !Object.hasOwn(supplement.shapes, n))
      .sort()
      .map((n) => [n, base.shapes[n].type]),
  );
}

/**
 * Generate from botocore models, supplemented from the installed SDK clients: the wire files and
 * the manifest. `models` is `{ ecr: { model, paginators }, ecrPublic: { model, paginators } }`.
 */
export function generateAll(models, { sdkRoot = REPO_ROOT } = {}) {
  const input = {};
  const services = {};
  for (const key of Object.keys(SERVICES)) {
    const { model, paginators } = models[key];
    const sdk = loadSdkPackage(SDK_PACKAGES[key], sdkRoot);
    const missing = sdkOperationNames(sdk).filter((op) => !Object.hasOwn(model.operations, op));
    const operations = {};
    for (const op of Object.keys(model.operations)) operations[op] = 'botocore';
    let merged = { model, paginators };
    let supplementInfo = null;
    const origins = {};
    if (missing.length > 0) {
      const supplement = supplementFor(sdk, missing, model);
      merged = withSupplement(model, paginators, supplement);
      const label = `${sdk.name} ${sdk.version} (its schema, declarations and paginators)`;
      for (const op of missing) {
        operations[op] = `${sdk.name}@${sdk.version}`;
        origins[op] = label;
      }
      supplementInfo = {
        package: sdk.name,
        version: sdk.version,
        operations: missing,
        sharedShapes: sharedShapes(supplement, model),
        sha256: jsonDigest(supplement),
      };
    }
    input[key] = { ...merged, origins };
    const { serviceFullName, apiVersion } = model.metadata;
    services[key] = {
      model: { source: 'botocore', serviceFullName, apiVersion, sha256: jsonDigest(model), paginatorsSha256: jsonDigest(paginators) },
      supplement: supplementInfo,
      operations: Object.fromEntries(Object.entries(operations).sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  }
  const files = generateWire(input);
  const manifest = {
    generator: GENERATOR,
    services,
    outputs: Object.fromEntries([...files].map(([name, text]) => [name, sha256(text)])),
  };
  return { files, manifest: `${JSON.stringify(manifest, null, 2)}\n` };
}

/**
 * What can be proved without the botocore models, from the committed manifest: problems found
 * (empty when all is well). Each generated file must hash to the manifest's digest, each
 * supplement must still convert to its recorded digest from the installed SDK, and no installed
 * SDK may have an operation the manifest lacks.
 */
export function checkCommitted(manifestText, outDir, { sdkRoot = REPO_ROOT } = {}) {
  const problems = [];
  const manifest = JSON.parse(manifestText);
  for (const [name, digest] of Object.entries(manifest.outputs)) {
    const path = join(outDir, name);
    if (!existsSync(path)) problems.push(`${name} is missing`);
    else if (sha256(readFileSync(path, 'utf8')) !== digest) problems.push(`${name} differs from what the generator wrote (edited by hand?)`);
  }
  for (const key of Object.keys(SERVICES)) {
    const recorded = manifest.services[key];
    const sdk = loadSdkPackage(SDK_PACKAGES[key], sdkRoot);
    const unknown = sdkOperationNames(sdk).filter((op) => !Object.hasOwn(recorded.operations, op));
    if (unknown.length > 0) problems.push(`${sdk.name} ${sdk.version} has operations the table lacks: ${unknown.join(', ')}`);
    const s = recorded.supplement;
    if (s) {
      const base = { shapes: Object.fromEntries(Object.entries(s.sharedShapes).map(([n, type]) => [n, { type }])) };
      let digest;
      try {
        digest = jsonDigest(supplementFor(sdk, s.operations, base));
      } catch (err) {
        problems.push(`${sdk.name} ${sdk.version}: ${err.message}`);
        continue;
      }
      if (digest !== s.sha256) {
        problems.push(`${sdk.name} ${sdk.version} describes ${s.operations.join(', ')} differently from ${s.version}, which the files were generated from`);
      }
    }
  }
  return problems;
}

/** Rewrite the SigV4 transport's timestamp decoders from the (new) operation table. */
function regenerateDecoders(stdout, stderr) {
  const run = spawnSync('npx', ['vitest', 'run', '-u', 'src/internal/timestampDecoders.test.ts'], {
    cwd: join(REPO_ROOT, 'packages/transport-sigv4'),
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    stderr.write(`generateWire: regenerating the timestamp decoders failed:\n${run.stdout}${run.stderr}`);
    return false;
  }
  stdout.write('generateWire: timestamp decoders regenerated (packages/transport-sigv4/src/internal/timestampDecoders.generated.ts)\n');
  return true;
}

const USAGE = `usage: node ${GENERATOR} --ecr <service-2.json> --ecr-public <service-2.json>
         [--ecr-paginators <paginators-1.json>] [--ecr-public-paginators <paginators-1.json>]
         [--out <dir>] [--check] [--no-decoders]
       node ${GENERATOR} --check

  --ecr, --ecr-public   botocore/data/ecr/2015-09-21/service-2.json and
                        botocore/data/ecr-public/2020-10-30/service-2.json (plain or .gz)
  --*-paginators        the paginators-1.json beside each (the default)
  --out                 where the files go (default: ${DEFAULT_OUT}); the manifest goes there
                        too (default: tools/codegen/${MANIFEST_FILE})
  --check               write nothing; exit 1 naming each file that would change. Without
                        models: check the committed files against the manifest
  --no-decoders         do not regenerate the SigV4 transport's timestamp decoders`;

/** The paginators beside a service model: service-2.json[.gz] -> paginators-1.json[.gz], whichever exists. */
function besidePaginators(servicePath) {
  const name = basename(servicePath);
  if (!name.includes('service-2')) return undefined;
  const plain = join(dirname(servicePath), name.replace('service-2', 'paginators-1').replace(/\.gz$/, ''));
  return [plain, `${plain}.gz`].find(existsSync) ?? plain;
}

/** The command line; returns the exit code (0 written or up to date, 1 stale under --check, 2 usage or model error). */
export function main(argv, { stdout = process.stdout, stderr = process.stderr } = {}) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ecr: { type: 'string' },
        'ecr-paginators': { type: 'string' },
        'ecr-public': { type: 'string' },
        'ecr-public-paginators': { type: 'string' },
        out: { type: 'string' },
        check: { type: 'boolean', default: false },
        'no-decoders': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    stderr.write(`${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  const outDir = values.out ? resolve(values.out) : join(REPO_ROOT, DEFAULT_OUT);
  const manifestPath = values.out ? join(outDir, MANIFEST_FILE) : join(REPO_ROOT, 'tools/codegen', MANIFEST_FILE);
  const shown = (path) => {
    const rel = relative(process.cwd(), path);
    return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
  };

  if (values.check && !values.ecr && !values['ecr-public']) {
    let problems;
    try {
      problems = checkCommitted(readFileSync(manifestPath, 'utf8'), outDir);
    } catch (err) {
      stderr.write(`generateWire --check: ${err.message}\n`);
      return 2;
    }
    if (problems.length > 0) {
      stderr.write(`generateWire --check: out of date (regenerate with the models):\n${problems.map((p) => `  ${p}\n`).join('')}`);
      return 1;
    }
    stdout.write(`generateWire --check: the committed files match ${shown(manifestPath)} and the installed SDKs\n`);
    return 0;
  }

  const paths = {
    ecr: { model: values.ecr, paginators: values['ecr-paginators'] ?? (values.ecr && besidePaginators(values.ecr)) },
    ecrPublic: {
      model: values['ecr-public'],
      paginators: values['ecr-public-paginators'] ?? (values['ecr-public'] && besidePaginators(values['ecr-public'])),
    },
  };
  const missing = [
    !paths.ecr.model && '--ecr',
    !paths.ecrPublic.model && '--ecr-public',
    paths.ecr.model && !paths.ecr.paginators && '--ecr-paginators',
    paths.ecrPublic.model && !paths.ecrPublic.paginators && '--ecr-public-paginators',
  ].filter(Boolean);
  if (missing.length > 0) {
    stderr.write(`missing ${missing.join(', ')}\n${USAGE}\n`);
    return 2;
  }

  let files;
  try {
    const read = ({ model, paginators }) => ({ model: readModel(model), paginators: readModel(paginators) });
    const generated = generateAll({ ecr: read(paths.ecr), ecrPublic: read(paths.ecrPublic) });
    files = generated.files;
    files.set(relative(outDir, manifestPath), generated.manifest);
  } catch (err) {
    stderr.write(`generateWire: ${err.message}\n`);
    return 2;
  }

  const stale = staleFiles(outDir, files);
  if (values.check) {
    if (stale.length > 0) {
      stderr.write(`generateWire --check: out of date (regenerate without --check):\n${stale.map((n) => `  ${shown(join(outDir, n))}\n`).join('')}`);
      return 1;
    }
    stdout.write(`generateWire --check: ${files.size} files up to date\n`);
    return 0;
  }
  for (const name of stale) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), files.get(name));
  }
  stdout.write(
    `generateWire: wrote ${stale.length} of ${files.size} files${stale.length > 0 ? ` (${stale.map((n) => shown(join(outDir, n))).join(', ')})` : ''}\n`,
  );
  if (!values.out && !values['no-decoders'] && stale.length > 0 && !regenerateDecoders(stdout, stderr)) return 2;
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
