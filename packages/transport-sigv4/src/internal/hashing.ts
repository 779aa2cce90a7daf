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

/** A signing key with its HMAC pads laid out, and room behind the inner pad for the message. */
interface PaddedKey {
  inner: Buffer;
  outer: Buffer;
}

const blockBytes = 64;
const digestBytes = 32;
// Room for a string to sign (about 150 bytes) in UTF-8 at its worst; longer messages take createHmac.
const messageRoom = 1024;

/** Hashing over node:crypto. */
function nodeHashing(crypto: NodeCrypto): Hashing {
  // The one-shot `hash()` (Node 20.12+) costs a third of a `Hash` object on a small input.
  const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex' | 'latin1') => string }).hash;
  if (oneShot === undefined) {
    return {
      name: 'node:crypto',
      sha256Hex: (data) => crypto.createHash('sha256').update(data).digest('hex'),
      hmac: (key, data) => crypto.createHmac('sha256', key).update(data).digest(),
      prepareKey: (key) => crypto.createSecretKey(key),
      hmacHex: (key, data) =>
        crypto
          .createHmac('sha256', key as import('node:crypto').KeyObject)
          .update(data)
          .digest('hex'),
    };
  }
  return {
    name: 'node:crypto',
    sha256Hex: (data) => oneShot('sha256', data, 'hex'),
    hmac: (key, data) => crypto.createHmac('sha256', key).update(data).digest(),
    // HMAC spelt out (RFC 2104) over two one-shot hashes into buffers laid out once per key:
    // half the cost of a `createHmac` per signature, which has to set up its key every time.
    prepareKey: (key): PaddedKey => {
      const bytes = key.length > blockBytes ? Buffer.from(oneShot('sha256', key, 'latin1'), 'latin1') : key;
      const inner = Buffer.alloc(blockBytes + messageRoom, 0x36);
      const outer = Buffer.alloc(blockBytes + digestBytes, 0x5c);
      for (let i = 0; i < bytes.length; i++) {
        inner[i] = bytes[i]! ^ 0x36;
        outer[i] = bytes[i]! ^ 0x5c;
      }
      return { inner, outer };
    },
    hmacHex: (key, data) => {
      const { inner, outer } = key as PaddedKey;
      if (data.length * 3 > messageRoom)
        return crypto
          .createHmac(
            'sha256',
            inner.subarray(0, blockBytes).map((b) => b ^ 0x36),
          )
          .update(data)
          .digest('hex');
      const length = inner.write(data, blockBytes, 'utf8');
      outer.write(oneShot('sha256', inner.subarray(0, blockBytes + length), 'latin1'), blockBytes, 'latin1');
      return oneShot('sha256', outer, 'hex');
    },
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
