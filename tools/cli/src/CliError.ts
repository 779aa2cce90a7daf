import type { ExitCode } from './exitCodes.js';

const brand = Symbol.for('ecrkit.CliError');

/** A failure of the command line itself (bad usage, unreadable state file), with its exit code and a hint. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode: ExitCode; hint?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode;
    this.hint = options.hint;
    Object.defineProperty(this, brand, { value: true });
  }
}

/** True for a {@link CliError}. */
export function isCliError(value: unknown): value is CliError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
