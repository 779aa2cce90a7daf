// Record and replay at the Transport port.

/** Record every call through a transport, redacted, into a `Recorder`. */
export { withRecording } from './withRecording.js';
export type { WithRecordingOptions } from './withRecording.js';
/** What a recorder receives: one redacted, JSON-safe call. */
export type { Recorder, RecordedCall, RecordedError } from './Recorder.js';
/** Keep recorded calls in memory. */
export { MemoryRecorder } from './MemoryRecorder.js';
/** Append recorded calls to a JSON-lines file. */
export { FileRecorder } from './FileRecorder.js';
export type { FileRecorderOptions } from './FileRecorder.js';
/** Answer calls from a recording, strictly in order or loosely by key fields. */
export { ReplayTransport, parseRecording } from './ReplayTransport.js';
export type { ReplayMode, ReplayOptions } from './ReplayTransport.js';
