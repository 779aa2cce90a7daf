// @ecrkit/cli: the `ecrkit` command. The bin is `dist/bin.js`; these names let a program run it in process.
// The public types use Node's (@types/node is a dependency); `preserve` keeps this line in the declarations.
/// <reference types="node" preserve="true" />

/** Run `ecrkit` with arguments and streams; resolves to the exit code. */
export { main } from './main.js';
/** The process's streams and environment as `main` takes them. */
export type { CliIo } from './CliIo.js';
/** The documented exit codes and the mapping from a failure to one. */
export { ExitCode, exitCodeFor } from './exitCodes.js';
/** A command-line failure with its exit code and a hint. */
export { CliError, isCliError } from './CliError.js';
/** The version of the `--output json` schemas in `schema/v<version>/`. */
export { outputSchemaVersion } from './CliOutputs.js';
/** The JSON document of each command (`CliOutputs['repos']`, ...), the command names, and the JSON error on stderr. */
export type { CliOutputs, OutputName, ErrorOutput } from './CliOutputs.js';
