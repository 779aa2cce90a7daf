import { optionsArgument, stringArgument } from './internal/arguments.js';
import { EcrError, invalidParameter } from '@ecrkit/core-types';
import { SimulatedRegistry, type SimulatedRegistryOptions } from './SimulatedRegistry.js';
import { StateFileError, readState, writeState, type StateFileSystem } from './stateFile.js';

function toEcrError(error: unknown): unknown {
  if (!(error instanceof StateFileError)) return error;
  if (error.reason === 'invalid') return new EcrError({ kind: 'InvalidParameter', field: error.field ?? 'snapshot', message: error.message, cause: error });
  return new EcrError({ kind: 'Unknown', message: error.message, cause: error });
}

/**
 * Write the registry's whole state to `path` as a state file (format 2: one record per line),
 * atomically: a temporary file in the same directory, flushed to disk (fsync), renamed over
 * `path`. A crash or error at any point leaves the previous file intact; the temporary file is
 * removed on failure. Takes the file's lock (waiting up to `lockWaitMs`, default 10 s) so it
 * never races a server or CLI writing the same file.
 *
 * @throws EcrError kind `Unknown` wrapping the file-system error (a `StateFileError` as `cause`).
 */
export async function saveSnapshot(registry: SimulatedRegistry, path: string, options: { fs?: StateFileSystem; lockWaitMs?: number } = {}): Promise<void> {
  if (!(registry instanceof SimulatedRegistry)) throw invalidParameter('registry', 'must be a SimulatedRegistry');
  stringArgument(path, 'path');
  options = optionsArgument<typeof options>(options, ['fs', 'lockWaitMs']);
  try {
    await writeState(registry, path, options);
  } catch (error) {
    throw toEcrError(error);
  }
}

/**
 * Read a state file (format 2, or a format-1 snapshot) into a new registry built with `options`
 * (clock, seed, lenient…; `accountId` and `region` default to the file's). Every record is
 * checked as API input is; a save cut short by a crash is ignored.
 *
 * @throws EcrError kind `InvalidParameter` naming the path of the first bad value (`field`), kind
 * `Unknown` when the file cannot be read.
 */
export async function loadSnapshot(path: string, options: SimulatedRegistryOptions = {}): Promise<SimulatedRegistry> {
  stringArgument(path, 'path');
  options = optionsArgument<SimulatedRegistryOptions>(options, ['lenient', 'clock', 'seed', 'accountId', 'region', 'historyLimit', 'blobStore']);
  try {
    return await readState(path, options);
  } catch (error) {
    throw toEcrError(error);
  }
}
