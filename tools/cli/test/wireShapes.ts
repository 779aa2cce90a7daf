import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { cliRoot } from './runCli.js';

/** One API's shapes as core-types generates them from the service model. */
export interface WireShapes {
  /** Interface name → field name → the field's TypeScript type, as written (`string`, `ImageIdentifier[]`, ...). */
  interfaces: Map<string, Map<string, string>>;
  /** Enum name → its values (`export const X = {...} as const` with `type X = ...`). */
  enums: Map<string, Set<string>>;
}

const wireDir = join(cliRoot, '..', '..', 'packages', 'core-types', 'src', 'wire');

/**
 * Read core-types' generated wire files with the TypeScript parser (no type checking): the
 * source of truth the CLI's JSON field names are checked against.
 */
export function readWireShapes(api: 'ecr' | 'ecr-public'): WireShapes {
  const file = join(wireDir, api === 'ecr' ? 'ecr.generated.ts' : 'ecrPublic.generated.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const interfaces = new Map<string, Map<string, string>>();
  const enums = new Map<string, Set<string>>();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      const fields = new Map<string, string>();
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) && member.type) fields.set(member.name.getText(source).replace(/^'|'$/g, ''), member.type.getText(source));
      }
      interfaces.set(statement.name.text, fields);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        let init = declaration.initializer;
        if (init && ts.isAsExpression(init)) init = init.expression;
        if (!init || !ts.isObjectLiteralExpression(init)) continue;
        const values = new Set<string>();
        for (const property of init.properties) {
          if (ts.isPropertyAssignment(property) && ts.isStringLiteral(property.initializer)) values.add(property.initializer.text);
        }
        enums.set(declaration.name.getText(source), values);
      }
    }
  }
  return { interfaces, enums };
}
