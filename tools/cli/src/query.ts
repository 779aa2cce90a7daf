import type { JSONValue } from '@jmespath-community/jmespath';
import { CliError } from './CliError.js';
import { ExitCode } from './exitCodes.js';

/** A compiled `--query`: applied to a result's JSON document before it is printed. */
export type Query = (document: JSONValue) => JSONValue;

/**
 * Compile a `--query` JMESPath expression, once, before any request. The library is loaded
 * only when a query is given.
 *
 * @throws CliError (exit 2) naming the syntax error; the returned function throws one when the
 * expression fails on the data (an unknown function, a wrong argument type).
 */
export async function compileQuery(expression: string): Promise<Query> {
  const { compile, TreeInterpreter } = await import('@jmespath-community/jmespath');
  let ast: ReturnType<typeof compile>;
  try {
    // Legacy literals (`running` for `"running"`) as the AWS CLI's jmespath accepts them, so its documented queries work.
    ast = compile(expression, { enable_legacy_literals: true });
  } catch (error) {
    throw new CliError(`Invalid --query expression '${expression}': ${error instanceof Error ? error.message : String(error)}`, {
      exitCode: ExitCode.Usage,
      hint: 'See https://jmespath.org for the syntax, e.g. --query "repositories[].repositoryName".',
      cause: error,
    });
  }
  return (document) => {
    try {
      return TreeInterpreter.search(ast, document);
    } catch (error) {
      throw new CliError(`--query failed: ${error instanceof Error ? error.message : String(error)}`, { exitCode: ExitCode.Usage, cause: error });
    }
  };
}
