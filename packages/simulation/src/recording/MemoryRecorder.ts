import type { RecordedCall, Recorder } from './Recorder.js';

/**
 * Keeps recorded calls in memory, in call order; hand `entries` to `ReplayTransport.fromEntries`.
 *
 * @example
 * const recorder = new MemoryRecorder();
 * const transport = withRecording(createSimulatedTransport(registry), recorder);
 * // ... calls ...
 * const replay = ReplayTransport.fromEntries(recorder.entries, { mode: 'strict' });
 */
export class MemoryRecorder implements Recorder {
  readonly #entries: RecordedCall[] = [];

  record(entry: RecordedCall): void {
    this.#entries.push(entry);
  }

  /** Every call recorded so far, oldest first. */
  get entries(): readonly RecordedCall[] {
    return this.#entries;
  }

  /** Forget everything recorded. */
  clear(): void {
    this.#entries.length = 0;
  }
}
