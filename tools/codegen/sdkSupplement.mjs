// The supplementary model source: operations an installed AWS SDK v3 client ships that the
// botocore model at hand lacks (botocore lags the SDK by a few weeks; the aws-sdk-js-v3 Smithy
// models are too large to fetch here). Such an operation is rebuilt in botocore's JSON format from
// three parts of the client package, all read at generation time and never copied into this
// repository:
//   - the schema values the package exports (`XRequest$` and friends; its dist-es/schemas/schemas_0.js):
//     member names and types, which members are required, and the shapes they refer to;
//   - its declarations (dist-types/models/*.d.ts and dist-types/commands/*Command.d.ts): member
//     order, enum member types, documentation, and the `@throws` list of each command;
//   - its paginators (dist-es/pagination/*Paginator.js): token and page-size member names.
// Shapes the botocore model already has are taken from botocore, so the two sources never disagree
// about a shape they share.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The TypeScript compiler reads the declarations; it is loaded only when an operation is rebuilt.
const requireHere = createRequire(import.meta.url);
let typescript;
const tsApi = () => {
  typescript ??= requireHere('typescript');
  return typescript;
};

/** The SDK client package of each service key, as generateWire names the services. */
export const SDK_PACKAGES = { ecr: '@aws-sdk/client-ecr', ecrPublic: '@aws-sdk/client-ecr-public' };

// @smithy/core/schema's type codes (sentinels.js): simple schemas are numbers, lists and maps of
// simple schemas set a modifier bit.
const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;
const SIMPLE = new Map([
  [0b0000_0000, 'string'],
  [0b0000_0001, 'integer'],
  [0b0000_0010, 'boolean'],
  [0b0000_0100, 'timestamp'],
  [0b0000_0101, 'timestamp'],
  [0b0000_0110, 'timestamp'],
  [0b0000_0111, 'timestamp'],
  [0b0001_0101, 'blob'],
  [0b0010_1010, 'blob'],
]);

/** An installed client package: its directory, version, and (loaded on first use) its exports. */
export function loadSdkPackage(name, fromDir) {
  const require = createRequire(join(fromDir, 'package.json'));
  let dir;
  try {
    // The package's `exports` hide package.json; its main entry sits in dist-cjs/.
    dir = join(require.resolve(name), '..', '..');
  } catch {
    throw new Error(`${name} is not installed (run npm ci)`);
  }
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.name !== name) throw new Error(`${dir} is not ${name}`);
  let exports;
  return {
    name,
    dir,
    version: pkg.version,
    get exports() {
      exports ??= require(name);
      return exports;
    },
  };
}

/** The operation names the package has a Command for (its dist-types/commands/*Command.d.ts), sorted. */
export function sdkOperationNames(sdk) {
  return readdirSync(join(sdk.dir, 'dist-types', 'commands'))
    .map((f) => /^([A-Z][A-Za-z0-9]*)Command\.d\.ts$/.exec(f)?.[1])
    .filter((op) => op !== undefined)
    .sort();
}

/** Interfaces declared in dist-types/models, by name: member names in order, member type text, docs. */
function readDeclarations(sdk) {
  const ts = tsApi();
  const dir = join(sdk.dir, 'dist-types', 'models');
  const interfaces = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(join(dir, file), 'utf8'), ts.ScriptTarget.Latest, true);
    for (const node of source.statements) {
      if (!ts.isInterfaceDeclaration(node)) continue;
      const members = [];
      for (const m of node.members) {
        if (!ts.isPropertySignature(m) || !m.type) continue;
        members.push({ name: m.name.getText(source), type: typeText(m.type, source), doc: docOf(m) });
      }
      interfaces.set(node.name.text, { members, doc: docOf(node) });
    }
  }
  return interfaces;
}

/** A member's declared type without `| undefined`. */
function typeText(type, source) {
  const ts = tsApi();
  if (ts.isUnionTypeNode(type)) {
    const parts = type.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
    if (parts.length === 1) return typeText(parts[0], source);
  }
  return type.getText(source);
}

function docOf(node) {
  const doc = node.jsDoc?.[0];
  if (!doc?.comment) return undefined;
  return tsApi().getTextOfJSDocComment(doc.comment);
}

/** The `@throws {@link X}` exception names of a command, in the order documented, without the base class. */
function commandErrors(sdk, operation) {
  const file = join(sdk.dir, 'dist-types', 'commands', `${operation}Command.d.ts`);
  const text = readFileSync(file, 'utf8');
  const base = /\b([A-Za-z]+ServiceException)\b/.exec(text)?.[1];
  return [...text.matchAll(/@throws \{@link ([A-Za-z0-9]+)\}/g)].map((m) => m[1]).filter((e) => e !== base);
}

/** A paginator's tokens, from `createPaginator(Client, Command, inputToken, outputToken, limitKey)`. */
function paginatorOf(sdk, operation) {
  const file = join(sdk.dir, 'dist-es', 'pagination', `${operation}Paginator.js`);
  if (!existsSync(file)) return undefined;
  const m = /createPaginator\(\s*\w+\s*,\s*\w+\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"\s*\)/.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${sdk.name}: cannot read the paginator of ${operation}`);
  return { input_token: m[1], output_token: m[2], limit_key: m[3] };
}

/**
 * botocore-format `operations`, `shapes` and `pagination` for `operations` (names the package has
 * commands for), reusing every shape `base` (a botocore model) already defines.
 */
export function supplementFor(sdk, operations, base) {
  if (operations.length === 0) return { operations: {}, shapes: {}, pagination: {} };
  const declarations = readDeclarations(sdk);
  const baseShapes = base.shapes ?? {};
  const shapes = {};
  const out = { operations: {}, shapes, pagination: {} };

  const enumValues = (name) => {
    const value = sdk.exports[name];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const values = Object.values(value);
    return values.length > 0 && values.every((v) => typeof v === 'string') ? values : undefined;
  };
  const simpleShape = (type) => {
    const name = `__${type}`;
    shapes[name] ??= { type };
    return name;
  };
  const defined = (name) => Object.hasOwn(baseShapes, name) || Object.hasOwn(shapes, name);

  // A member's shape name from its schema and its declared type (which alone names an enum).
  const shapeFor = (schema, declared, where) => {
    let s = schema;
    while (Array.isArray(s) && s.length === 2) s = s[0]; // a member schema with traits
    if (typeof s === 'function') s = s();
    if (typeof s === 'number') {
      if (s & LIST_MODIFIER || s & MAP_MODIFIER) {
        const isList = (s & LIST_MODIFIER) !== 0;
        const inner = s & ~(LIST_MODIFIER | MAP_MODIFIER);
        const innerDeclared = isList ? /^(\w+)\[\]$/.exec(declared ?? '')?.[1] : /^Record<string, (\w+)>$/.exec(declared ?? '')?.[1];
        const item = shapeFor(inner, innerDeclared, where);
        const name = `__${isList ? 'listOf' : 'mapOf'}_${item}`;
        shapes[name] ??= isList ? { type: 'list', member: { shape: item } } : { type: 'map', key: { shape: simpleShape('string') }, value: { shape: item } };
        return name;
      }
      const type = SIMPLE.get(s);
      if (type === undefined) throw new Error(`${sdk.name}: ${where} has schema type ${s}, which has no botocore mapping`);
      if (type === 'string' && declared && /^[A-Z]\w*$/.test(declared)) {
        const values = enumValues(declared);
        if (values) {
          if (!defined(declared)) shapes[declared] = { type: 'string', enum: values };
          return declared;
        }
      }
      return simpleShape(type);
    }
    if (!Array.isArray(s)) throw new Error(`${sdk.name}: ${where} has an unreadable schema`);
    const [kind, , name] = s;
    if (defined(name)) return name;
    if (kind === 3) return structure(s);
    if (kind === 1) {
      const item = shapeFor(s[4], /^(\w+)\[\]$/.exec(declared ?? '')?.[1], `${name} member`);
      shapes[name] = { type: 'list', member: { shape: item } };
      return name;
    }
    if (kind === 2) {
      const value = shapeFor(s[5], /^Record<string, (\w+)>$/.exec(declared ?? '')?.[1], `${name} value`);
      shapes[name] = { type: 'map', key: { shape: simpleShape('string') }, value: { shape: value } };
      return name;
    }
    throw new Error(`${sdk.name}: ${where} refers to schema kind ${kind}, which has no botocore mapping`);
  };

  const structure = (s) => {
    const [, , name, , memberNames, memberSchemas, requiredCount = 0] = s;
    if (defined(name)) return name;
    const declaration = declarations.get(name);
    shapes[name] = { type: 'structure', members: {} }; // placed first: a recursive shape refers to itself
    // The schema lists required members first; the declarations keep the model's own order.
    const order = declaration ? declaration.members.map((m) => m.name) : [...memberNames];
    const missing = memberNames.filter((m) => !order.includes(m));
    if (missing.length > 0) throw new Error(`${sdk.name}: the declaration of ${name} lacks ${missing.join(', ')}`);
    const members = {};
    for (const member of order) {
      const i = memberNames.indexOf(member);
      if (i < 0) continue;
      const declared = declaration?.members.find((m) => m.name === member);
      members[member] = { shape: shapeFor(memberSchemas[i], declared?.type, `${name}.${member}`) };
      if (declared?.doc) members[member].documentation = declared.doc;
    }
    shapes[name] = { type: 'structure', required: memberNames.slice(0, requiredCount), members };
    if (declaration?.doc) shapes[name].documentation = declaration.doc;
    return name;
  };

  for (const op of operations) {
    const schema = sdk.exports[`${op}$`];
    if (!Array.isArray(schema) || schema[0] !== 9) throw new Error(`${sdk.name} exports no operation schema ${op}$`);
    const input = structure(schema[4]());
    const output = structure(schema[5]());
    out.operations[op] = { name: op, input: { shape: input }, output: { shape: output }, errors: commandErrors(sdk, op).map((shape) => ({ shape })) };
    const paginator = paginatorOf(sdk, op);
    if (paginator) {
      // The SDK's paginators do not name the list a page adds to; it is the output's one list member.
      const outputShape = shapes[output] ?? baseShapes[output];
      const lists = Object.entries(outputShape.members).filter(([, m]) => (shapes[m.shape] ?? baseShapes[m.shape])?.type === 'list');
      if (lists.length !== 1) throw new Error(`${sdk.name}: cannot tell the result list of paginated ${op}`);
      out.pagination[op] = { ...paginator, result_key: lists[0][0] };
    }
  }
  return out;
}

/** SHA-256 of a value's JSON text: the fingerprint of a model or supplement in the manifest. */
export function jsonDigest(value) {
  return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex')}`;
}
