import { optionsArgument, stringArgument } from '../internal/arguments.js';
import { appendFile, writeFile } from 'node:fs/promises';
import type { RecordedCall, Recorder } from './Recorder.js';

/** Options of {@link FileRecorder}. */
export interface FileRecorderOptions {
  /** Keep what the file already holds (default) or start it afresh on the first call. */
  append?: boolean;
}

/**
 * Appends each recorded call to a file as one JSON line, in call order. The constructor does
 * no I/O; the file is created on the first call and write failures surface from that call.
 *
 * @example
 * const transport = withRecording(createSigV4Transport(config), new FileRecorder('calls.jsonl'));
 */
export class FileRecorder implements Recorder {
  readonly path: string;
  #truncate: boolean;
  #queue: Promise<void> = Promise.resolve();

  constructor(path: string, options: FileRecorderOptions = {}) {
    this.path = stringArgument(path, 'path');
    this.#truncate = optionsArgument<FileRecorderOptions>(options, ['append']).append === false;
  }

  record(entry: RecordedCall): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    // Writes are chained so lines land in call order even when calls overlap.
    const write = this.#queue.then(() => {
      if (this.#truncate) {
        this.#truncate = false;
        return writeFile(this.path, line, 'utf8');
      }
      return appendFile(this.path, line, 'utf8');
    });
    this.#queue = write.catch(() => undefined);
    return write;
  }

  /** Resolves once every line recorded so far is on disk. */
  flush(): Promise<void> {
    return this.#queue;
  }
}
