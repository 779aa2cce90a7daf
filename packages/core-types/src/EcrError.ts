import { categoryOf, type ErrorCategory, type ErrorKind } from './errorKinds.js';
import { describeValue } from './internal/describeValue.js';

const brand = Symbol.for('ecrkit.EcrError');

/** Everything an `EcrError` is built from. Only `kind` and `message` are required. */
export interface EcrErrorOptions {
  kind: ErrorKind;
  message: string;
  /** The wire `__type`, namespace and `:` suffix stripped, e.g. `RepositoryNotFoundException`. */
  awsCode?: string;
  statusCode?: number;
  requestId?: string;
  operation?: string;
  region?: string;
  /** For validation errors: the input field at fault, e.g. `repositoryName`. */
  field?: string;
  /** A server's retry-after hint, in milliseconds. */
  retryAfterMs?: number;
  /** The underlying failure. Never include it in a message: it may carry request data. */
  cause?: unknown;
  /** Overrides the category derived from `kind`. */
  category?: ErrorCategory;
}

/**
 * The one error class of ecrkit. Branded, so `instanceof` and {@link isEcrError} work across
 * duplicate copies of the package. Messages never contain secrets, manifests or tokens.
 *
 * @example
 * try { await client.images.describe('web-app') } catch (err) {
 *   if (isEcrError(err) && err.kind === 'RepositoryNotFound') { ... }
 * }
 */
export class EcrError extends Error {
  override readonly name = 'EcrError';
  readonly kind: ErrorKind;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly awsCode: string | undefined;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly operation: string | undefined;
  readonly region: string | undefined;
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: EcrErrorOptions) {
    const options = checkedOptions(init);
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.category = options.category ?? categoryOf(options.kind, options.statusCode);
    this.retryable = this.category === 'retryable';
    this.awsCode = options.awsCode;
    this.statusCode = options.statusCode;
    this.requestId = options.requestId;
    this.operation = options.operation;
    this.region = options.region;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    try {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
    } catch {
      return false; // an object whose getters throw is not one
    }
  }

  /** A copy with call context filled in where it was missing. */
  withContext(context: { operation?: string; region?: string; requestId?: string }): EcrError {
    return new EcrError({
      ...this.options(),
      operation: this.operation ?? context.operation,
      region: this.region ?? context.region,
      requestId: this.requestId ?? context.requestId,
    });
  }

  /** The options this error was built from, for copying. */
  options(): EcrErrorOptions {
    return {
      kind: this.kind,
      message: this.message,
      awsCode: this.awsCode,
      statusCode: this.statusCode,
      requestId: this.requestId,
      operation: this.operation,
      region: this.region,
      field: this.field,
      retryAfterMs: this.retryAfterMs,
      cause: this.cause,
      category: this.category,
    };
  }

  /** Plain facts only; the cause is left out because it may hold request data. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      category: this.category,
      message: this.message,
      awsCode: this.awsCode,
      statusCode: this.statusCode,
      requestId: this.requestId,
      operation: this.operation,
      region: this.region,
      field: this.field,
    };
  }
}

const optionFields = ['kind', 'message', 'awsCode', 'statusCode', 'requestId', 'operation', 'region', 'field', 'retryAfterMs', 'cause', 'category'] as const;

/** The options read once (a getter cannot answer twice); a malformed one is `InvalidParameter`. */
function checkedOptions(init: unknown): EcrErrorOptions {
  if (typeof init !== 'object' || init === null) throw invalidParameter('options', `must be an object with kind and message, got ${describeValue(init)}`);
  const options: Partial<Record<(typeof optionFields)[number], unknown>> = {};
  for (const field of optionFields) {
    try {
      options[field] = (init as Record<string, unknown>)[field];
    } catch {
      throw invalidParameter(`options.${field}`, 'could not be read');
    }
  }
  if (typeof options.kind !== 'string') throw invalidParameter('options.kind', `must be an error kind, got ${describeValue(options.kind)}`);
  if (typeof options.message !== 'string') throw invalidParameter('options.message', `must be a string, got ${describeValue(options.message)}`);
  return options as unknown as EcrErrorOptions;
}

/** True for any `EcrError`, including one from another copy of this package. */
export function isEcrError(value: unknown): value is EcrError {
  return value instanceof EcrError;
}

/** Throw-site shorthand for the common validation failure. */
export function invalidParameter(field: string, problem: string, options: Partial<EcrErrorOptions> = {}): EcrError {
  // Never fails itself: a field name or problem that is not a string is described, not printed.
  const name = typeof field === 'string' ? field : describeValue(field);
  return new EcrError({
    awsCode: 'InvalidParameterException',
    statusCode: 400,
    ...(typeof options === 'object' && options !== null ? pick(options) : {}),
    kind: 'InvalidParameter',
    field: name,
    message: `Invalid parameter '${name}': ${typeof problem === 'string' ? problem : describeValue(problem)}`,
  });
}

/** The options of {@link invalidParameter} worth keeping, read without trusting the object. */
function pick(options: Partial<EcrErrorOptions>): Partial<EcrErrorOptions> {
  const out: Record<string, unknown> = {};
  try {
    for (const key of ['awsCode', 'statusCode', 'requestId', 'operation', 'region', 'retryAfterMs', 'cause'] as const) {
      if (options[key] !== undefined) out[key] = options[key];
    }
  } catch {
    // unreadable options add nothing
  }
  return out;
}
