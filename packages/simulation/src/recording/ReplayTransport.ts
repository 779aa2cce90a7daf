import { objectArgument } from '../internal/arguments.js';
import { readFile } from 'node:fs/promises';
import { EcrError, abortError, invalidParameter, type OperationName, type OutputOf, type Api, type Transport, type TransportRequest } from '@ecrkit/core-types';
import type { RecordedCall } from './Recorder.js';
import { decodeRecorded, diffJson, encodeRecorded, jsonEqual } from './recordingCodec.js';

/**
 * How a replay matches requests to recorded calls:
 * `strict` answers in recorded order and fails on the first request that differs from the next
 * recorded one (api, operation, region and the whole redacted input); `loose` answers each
 * request with the first unused recorded call of the same api, operation and region whose
 * key fields (`repositoryName`, `imageIds`, `registryId`, `nextToken`) match, and once those
 * are used up repeats the last of them (so polling loops keep working).
 */
export type ReplayMode = 'strict' | 'loose';

/** Options of {@link ReplayTransport}. */
export interface ReplayOptions {
  mode: ReplayMode;
}

const keyFields = ['repositoryName', 'imageIds', 'registryId', 'nextToken'] as const;

interface CallKey {
  api: Api;
  operation: string;
  region: string;
}

function mismatch(message: string, request: CallKey): EcrError {
  return new EcrError({ kind: 'Unknown', awsCode: 'ReplayMismatch', message, operation: request.operation, region: request.region });
}

function field(input: unknown, key: string): unknown {
  return input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
}

function keyFieldsOf(input: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keyFields) {
    const value = field(input, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function describe(entry: CallKey): string {
  return `${entry.api}:${entry.operation} in ${entry.region}`;
}

/**
 * A Transport that answers from a recording made by `withRecording`, without any network or
 * registry. Responses come back as recorded (Dates and bytes restored, manifests byte-exact;
 * each redacted authorization token as a fresh fake token, base64 `AWS:replayed-…`, so docker
 * logins and pull secrets work; manifest markers of older recordings as the placeholder
 * string `[redacted manifest sha256:… length=…]`);
 * recorded failures are thrown again as `EcrError`s. A request with no matching recorded call
 * fails with `EcrError` kind `Unknown`, awsCode `ReplayMismatch`, whose message holds a
 * readable diff of expected and actual (redacted) fields.
 *
 * @example
 * const replay = ReplayTransport.fromFile('calls.jsonl', { mode: 'strict' });
 * const client = createClient(config, { transport: replay });
 */
export class ReplayTransport implements Transport {
  readonly #load: () => Promise<readonly RecordedCall[]>;
  readonly #mode: ReplayMode;
  #entries: Promise<readonly RecordedCall[]> | undefined;
  #cursor = 0;
  readonly #used = new Set<number>();

  /** Prefer {@link ReplayTransport.fromFile} or {@link ReplayTransport.fromEntries}. */
  constructor(load: () => Promise<readonly RecordedCall[]>, options: ReplayOptions) {
    if (typeof load !== 'function') throw invalidParameter('load', 'must be a function resolving to the recorded calls');
    const { mode } = objectArgument<ReplayOptions>(options, ['mode'], 'options');
    if (mode !== 'strict' && mode !== 'loose') throw invalidParameter('mode', "must be 'strict' or 'loose'");
    this.#load = load;
    this.#mode = mode;
  }

  /**
   * Replay a JSON-lines file written by `FileRecorder`. Nothing is read here: the file is read
   * on the first `send`, and a missing or corrupt file fails that call with `EcrError`.
   */
  static fromFile(path: string, options: ReplayOptions): ReplayTransport {
    return new ReplayTransport(async () => {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (cause) {
        throw new EcrError({ kind: 'Unknown', message: `Cannot read the recording ${path}`, cause });
      }
      return parseRecording(text, path);
    }, options);
  }

  /** Replay entries held in memory (e.g. `MemoryRecorder.entries`). */
  static fromEntries(entries: readonly RecordedCall[], options: ReplayOptions): ReplayTransport {
    const copy = entries.slice();
    return new ReplayTransport(() => Promise.resolve(copy), options);
  }

  /** How many recorded calls have not been answered yet (loaded lazily, so async). */
  async remaining(): Promise<number> {
    const entries = await this.#entriesOnce();
    return entries.length - (this.#mode === 'strict' ? this.#cursor : this.#used.size);
  }

  async send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
    if (request.signal?.aborted) throw abortError(request.signal, request.operation);
    const entries = await this.#entriesOnce();
    const input = encodeRecorded(request.input);
    const entry = this.#mode === 'strict' ? this.#strict(entries, request, input) : this.#loose(entries, request, input);
    if (entry.error) {
      throw new EcrError({
        kind: entry.error.kind,
        awsCode: entry.error.awsCode,
        statusCode: entry.error.statusCode,
        message: entry.error.message,
        operation: entry.operation,
        region: entry.region,
      });
    }
    return decodeRecorded(entry.output ?? {}) as OutputOf<O, A>;
  }

  async destroy(): Promise<void> {}

  #entriesOnce(): Promise<readonly RecordedCall[]> {
    if (!this.#entries) {
      const loading = this.#load();
      this.#entries = loading;
      // A failed load is reported to every caller, and retried on the next call.
      loading.catch(() => {
        if (this.#entries === loading) this.#entries = undefined;
      });
    }
    return this.#entries;
  }

  #strict(entries: readonly RecordedCall[], request: CallKey, input: unknown): RecordedCall {
    const index = this.#cursor;
    const expected = entries[index];
    if (!expected) {
      throw mismatch(
        `Replay (strict): the recording has ${entries.length} calls and all were answered; unexpected call #${index + 1}: ${describe(request)} ${JSON.stringify(keyFieldsOf(input))}`,
        request,
      );
    }
    const lines: string[] = [];
    if (expected.api !== request.api) lines.push(`api: expected ${expected.api}, got ${request.api}`);
    if (expected.operation !== request.operation) lines.push(`operation: expected ${expected.operation}, got ${request.operation}`);
    if (expected.region !== request.region) lines.push(`region: expected ${expected.region}, got ${request.region}`);
    // With a different operation the inputs are unrelated: key fields say more than a full diff.
    if (lines.length > 0) diffJson(keyFieldsOf(expected.input), keyFieldsOf(input), 'input', lines);
    else diffJson(expected.input, input, 'input', lines);
    if (lines.length > 0) {
      throw mismatch(`Replay (strict): call #${index + 1} does not match the recording:\n  ${lines.join('\n  ')}`, request);
    }
    this.#cursor = index + 1;
    return expected;
  }

  #loose(entries: readonly RecordedCall[], request: CallKey, input: unknown): RecordedCall {
    const keys = keyFieldsOf(input);
    let lastMatch = -1;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.api !== request.api || e.operation !== request.operation || e.region !== request.region) continue;
      if (!jsonEqual(keyFieldsOf(e.input), keys)) continue;
      if (!this.#used.has(i)) {
        this.#used.add(i);
        return e;
      }
      lastMatch = i;
    }
    if (lastMatch >= 0) return entries[lastMatch]!;
    const sameOperation = entries.filter((e) => e.api === request.api && e.operation === request.operation);
    const lines =
      sameOperation.length === 0
        ? [`no recorded ${request.api}:${request.operation} call at all`]
        : sameOperation.slice(0, 3).flatMap((e, n) => {
            const diff = diffJson({ region: e.region, ...keyFieldsOf(e.input) }, { region: request.region, ...keys }, '', [], 6);
            return [`candidate ${n + 1}:`, ...diff.map((d) => `  ${d}`)];
          });
    throw mismatch(`Replay (loose): no recorded call matches ${describe(request)} ${JSON.stringify(keys)}:\n  ${lines.join('\n  ')}`, request);
  }
}

/** Parse a JSON-lines recording; a bad line fails with `EcrError` naming its line number. */
export function parseRecording(text: string, source = 'recording'): RecordedCall[] {
  const entries: RecordedCall[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length === 0) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new EcrError({ kind: 'Unknown', message: `${source}:${i + 1} is not valid JSON` });
    }
    const e = parsed as Partial<RecordedCall> | null;
    if (!e || typeof e !== 'object' || typeof e.operation !== 'string' || typeof e.api !== 'string' || typeof e.region !== 'string') {
      throw new EcrError({ kind: 'Unknown', message: `${source}:${i + 1} is not a recorded call (api, operation, region required)` });
    }
    entries.push(e as RecordedCall);
  }
  return entries;
}
