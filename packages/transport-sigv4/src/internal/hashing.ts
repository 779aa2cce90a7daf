// SHA-256 and HMAC-SHA256, synchronous once loaded: node:crypto where it exists (fast, native),
// otherwise @aws-crypto/sha256-js (pure JS, for browsers and edge runtimes). Both are loaded with
// `import()` so that neither costs anything until the first signature.

/** A derived key made ready for repeated HMACs (a `KeyObject` on node:crypto). */
export type PreparedKey = object;

/** The hashing primitives the signer needs. Keys and results are raw bytes; hex is for the wire. */
export interface Hashing {
  readonly name: 'node:crypto' | '@aws-crypto/sha256-js';
  sha256Hex(data: string | Uint8Array): string;
  hmac(key: string | Uint8Array, data: string): Uint8Array;
  /** Prepare a key used for many HMACs (the signing key, once per day and scope). */
  prepareKey(key: Uint8Array): PreparedKey;
  hmacHex(key: PreparedKey, data: string): string;
}

type NodeCrypto = typeof import('node:crypto');

/** Hashing over node:crypto. */
function nodeHashing(crypto: NodeCrypto): Hashing {
  // The one-shot `hash()` (Node 20.12+) costs a third of a `Hash` object on a small input.
  const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;
  return {
    name: 'node:crypto',
    sha256Hex: oneShot === undefined ? (data) => crypto.createHash('sha256').update(data).digest('hex') : (data) => oneShot('sha256', data, 'hex'),
    hmac: (key, data) => crypto.createHmac('sha256', key).update(data).digest(),
    // A KeyObject skips re-importing the key on every HMAC: about half the cost of a raw buffer.
    prepareKey: (key) => crypto.createSecretKey(key),
    hmacHex: (key, data) => crypto.createHmac('sha256', key as import('node:crypto').KeyObject).update(data).digest('hex'),
  };
}

type Sha256Class = typeof import('@aws-crypto/sha256-js').Sha256;

const hexDigits = '0123456789abcdef';

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += hexDigits[bytes[i]! >> 4]! + hexDigits[bytes[i]! & 15]!;
  return out;
}

/** Hashing over the pure-JS `@aws-crypto/sha256-js`. */
function jsHashing(Sha256: Sha256Class): Hashing {
  const digest = (key: string | Uint8Array | undefined, data: string | Uint8Array): Uint8Array => {
    const hash = new Sha256(key);
    hash.update(data);
    return hash.digestSync();
  };
  return {
    name: '@aws-crypto/sha256-js',
    sha256Hex: (data) => toHex(digest(undefined, data)),
    hmac: (key, data) => digest(key, data),
    prepareKey: (key) => key,
    hmacHex: (key, data) => toHex(digest(key as Uint8Array, data)),
  };
}

let loading: Promise<Hashing> | undefined;

/** The best hashing available here, loaded once per process. */
export function loadHashing(): Promise<Hashing> {
  loading ??= import('node:crypto').then(
    (crypto) => nodeHashing(crypto),
    () => loadJsHashing(),
  );
  return loading;
}

/** The pure-JS fallback, loaded on demand. */
export async function loadJsHashing(): Promise<Hashing> {
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  return jsHashing(Sha256);
}
