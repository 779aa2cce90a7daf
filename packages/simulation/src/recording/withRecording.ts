import { objectArgument, optionsArgument } from '../internal/arguments.js';
import { EcrError, invalidParameter, isEcrError, systemClock, type Clock, type Transport } from '@ecrkit/core-types';
import type { RecordedCall, RecordedError, Recorder } from './Recorder.js';
import { encodeRecorded } from './recordingCodec.js';

/** Options of {@link withRecording}. */
export interface WithRecordingOptions {
  /** Stamps each entry's `at`; default the system clock. */
  clock?: Clock;
}

function recordedError(err: unknown): RecordedError {
  if (isEcrError(err)) {
    return { kind: err.kind, awsCode: err.awsCode, statusCode: err.statusCode, message: err.message };
  }
  // A non-EcrError from a transport breaks the port's contract; record it without its message,
  // which might echo request data.
  return { kind: 'Unknown', message: 'Non-EcrError failure' };
}

/**
 * Record every call through `next` (request, then response or error) into `recorder`, with
 * authorization tokens, credentials, passwords, the credential parts of pre-signed URLs and
 * layer bytes redacted before the recorder sees them (manifests are kept byte-exact). The
 * call resolves after its entry is recorded; a recorder failure rejects the call with
 * `EcrError` kind `Unknown`.
 *
 * @example
 * const recorder = new FileRecorder('calls.jsonl');
 * const transport = withRecording(createSimulatedTransport(registry), recorder);
 */
export function withRecording(next: Transport, recorder: Recorder, options: WithRecordingOptions = {}): Transport {
  if (typeof objectArgument<Transport>(next, ['send'], 'next').send !== 'function') throw invalidParameter('next', 'must be a transport');
  if (typeof objectArgument<Recorder>(recorder, ['record'], 'recorder').record !== 'function') throw invalidParameter('recorder', 'must be a recorder');
  const clock = optionsArgument<WithRecordingOptions>(options, ['clock']).clock ?? systemClock;
  async function store(entry: RecordedCall): Promise<void> {
    try {
      await recorder.record(entry);
    } catch (cause) {
      throw new EcrError({ kind: 'Unknown', message: 'Recording the call failed', operation: entry.operation, region: entry.region, cause });
    }
  }
  return {
    async send(request) {
      const base = {
        api: request.api,
        operation: request.operation,
        region: request.region,
        input: encodeRecorded(request.input),
      };
      const at = new Date(clock.now()).toISOString();
      const output = await next.send(request).catch(async (err: unknown) => {
        await store({ ...base, error: recordedError(err), at });
        throw err;
      });
      await store({ ...base, output: encodeRecorded(output), at });
      return output;
    },
    destroy: () => next.destroy?.() ?? Promise.resolve(),
  };
}
