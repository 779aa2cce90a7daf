// Generates the JSON Schemas of `--output json` (tools/cli/schema/v<version>/) from the types in
// src/CliOutputs.ts, which are built from core-types' wire shapes, so the files carry the ECR API
// reference's field names and descriptions. `npm run schema` writes them; test/schema.test.ts
// regenerates them and fails when the committed files differ.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator, type Schema } from 'ts-json-schema-generator';
import ts from 'typescript';
import { outputMirrors, outputSchemaVersion, type OutputName } from '../src/CliOutputs.js';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the schemas of the current version live. */
export const schemaDir = join(cliRoot, 'schema', `v${outputSchemaVersion}`);

/** The file name of an output's schema: the command path with dashes. */
export function schemaFileName(name: OutputName | 'error'): string {
  return `${name.replace(/ /g, '-')}.schema.json`;
}

const outputsFile = join(cliRoot, 'src', 'CliOutputs.ts');

/** The type each key of `CliOutputs` names (the private and public APIs share shape names, so one schema of the whole map would clash). */
function outputTypeNames(): Map<OutputName | 'error', string> {
  const source = ts.createSourceFile(outputsFile, readFileSync(outputsFile, 'utf8'), ts.ScriptTarget.ES2022);
  const outputs = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'CliOutputs');
  if (!outputs) throw new Error('src/CliOutputs.ts has no CliOutputs interface');
  const names = new Map<OutputName | 'error', string>();
  for (const member of outputs.members) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeReferenceNode(member.type) || !member.name) {
      throw new Error(`CliOutputs: every member must name an exported type (${member.getText(source)})`);
    }
    const key = ts.isStringLiteral(member.name) || ts.isIdentifier(member.name) ? member.name.text : member.name.getText(source);
    names.set(key as OutputName, member.type.typeName.getText(source));
  }
  names.set('error', 'ErrorOutput');
  return names;
}

/** Every output schema (and the error schema), by file name. */
export function buildOutputSchemas(): Map<string, Schema> {
  const generator = createGenerator({
    path: outputsFile,
    tsconfig: join(cliRoot, 'tsconfig.json'),
    skipTypeCheck: true,
    // Open objects: ECR adds fields over time and ecrkit passes them through (the test closes them).
    additionalProperties: true,
    expose: 'export',
    topRef: false,
    jsDoc: 'extended',
  });
  const schemas = new Map<string, Schema>();
  for (const [name, typeName] of outputTypeNames()) {
    const { $schema, ...schema } = generator.createSchema(typeName);
    const mirrors = outputMirrors[name];
    schemas.set(schemaFileName(name), {
      $schema,
      $id: `urn:ecrkit:cli:output:v${outputSchemaVersion}:${name.replace(/ /g, '-')}`,
      title: name === 'error' ? 'ecrkit error (stderr, --output json)' : `ecrkit ${name} --output json`,
      $comment: `ecrkit output schema version ${outputSchemaVersion}. ${mirrors.length ? `mirrors ${mirrors.join(' ')}` : "ecrkit's own shape"}`,
      ...schema,
    });
  }
  return schemas;
}

/** Write the schemas (replacing the version's directory), formatted as Biome would. */
export function writeOutputSchemas(): string[] {
  const schemas = buildOutputSchemas();
  rmSync(schemaDir, { recursive: true, force: true });
  mkdirSync(schemaDir, { recursive: true });
  for (const [file, schema] of schemas) writeFileSync(join(schemaDir, file), `${JSON.stringify(schema, null, 2)}\n`);
  execFileSync(process.execPath, [join(cliRoot, '..', '..', 'node_modules', '@biomejs', 'biome', 'bin', 'biome'), 'format', '--write', schemaDir], {
    stdio: 'inherit',
  });
  return readdirSync(schemaDir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = writeOutputSchemas();
  process.stdout.write(`wrote ${files.length} schemas to ${schemaDir}\n`);
}
