const redacted = '[redacted]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret (secret key, session token, authorization token, password). Prints as `[redacted]`
 * in `toString`, `toJSON`, `util.inspect`, template strings and string coercion; only
 * {@link SecretString.reveal} gives the value.
 *
 * @example
 * const password = new SecretString(token);
 * console.log(`${password}`); // [redacted]
 * spawn('docker', ['login', '--password-stdin'], { input: password.reveal() });
 */
export class SecretString {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Call it only where the value leaves for its one rightful destination. */
  reveal(): string {
    return this.#value;
  }

  /** Whether the secret is the empty string. */
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  /** Constant-shape comparison with another secret. */
  equals(other: SecretString): boolean {
    const a = this.#value;
    const b = other.reveal();
    let diff = a.length ^ b.length;
    for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
    return diff === 0;
  }

  toString(): string {
    return redacted;
  }

  toJSON(): string {
    return redacted;
  }

  [Symbol.toPrimitive](): string {
    return redacted;
  }

  [inspectSymbol](): string {
    return redacted;
  }
}

/** Wrap a value as a secret unless it already is one. */
export function secret(value: string | SecretString): SecretString {
  return value instanceof SecretString ? value : new SecretString(value);
}
