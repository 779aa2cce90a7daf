import { EcrError, invalidParameter } from './EcrError.js';
import { validateDigest } from './validation.js';

// Loaded on first use: most importers (transports, services) never hash, and the module is
// most of what core-types costs a cold start.
let sha256Module: Promise<typeof import('@aws-crypto/sha256-js')> | undefined;
const loadSha256 = () => (sha256Module ??= import('@aws-crypto/sha256-js'));

/** The digest algorithms of the OCI image spec that ecrkit computes. */
export type DigestAlgorithm = 'sha256' | 'sha512';

const utf8 = new TextEncoder();

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? utf8.encode(data) : data;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * The content digest of `data` as `<algorithm>:<lowercase hex>`. Strings are hashed as UTF-8, so
 * pass a manifest's exact bytes when they may not be UTF-8 or may have been re-serialised.
 * sha256 uses `@aws-crypto/sha256-js` (runs anywhere); sha512 uses `globalThis.crypto.subtle`.
 *
 * @throws EcrError kind `InvalidParameter` for an unknown algorithm or when no Web Crypto is available for sha512.
 * @example await computeDigest('{}') // 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
 */
export async function computeDigest(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): Promise<string> {
  const bytes = toBytes(data);
  if (algorithm === 'sha256') {
    const { Sha256 } = await loadSha256();
    const hash = new Sha256();
    hash.update(bytes);
    return `sha256:${hex(await hash.digest())}`;
  }
  if (algorithm === 'sha512') {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) {
      throw invalidParameter('algorithm', 'sha512 needs globalThis.crypto.subtle, which this runtime lacks');
    }
    // Copy into a fresh ArrayBuffer: subtle.digest rejects views over SharedArrayBuffer.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return `sha512:${hex(new Uint8Array(await subtle.digest('SHA-512', copy)))}`;
  }
  throw invalidParameter('algorithm', `must be 'sha256' or 'sha512'`);
}

/** An incremental sha256 content digest: feed chunks in order, then read `sha256:<hex>` once. */
export interface Digester {
  update(chunk: Uint8Array): void;
  /** The digest of everything fed so far; the digester is finished afterwards. */
  digest(): Promise<string>;
}

interface NodeHash {
  update(data: Uint8Array): unknown;
  digest(encoding: 'hex'): string;
}
type GetBuiltinModule = (id: 'node:crypto') => { createHash(algorithm: string): NodeHash } | undefined;

/**
 * Start an incremental sha256 digest, for content too large to hold at once (image layers).
 * On Node it uses `node:crypto` (found with `process.getBuiltinModule`, so nothing is imported
 * statically and other runtimes are unaffected), about ten times faster than the portable
 * `@aws-crypto/sha256-js` used elsewhere.
 *
 * @example
 * const d = await createDigester();
 * for await (const chunk of stream) d.update(chunk);
 * await d.digest(); // 'sha256:…'
 */
export async function createDigester(): Promise<Digester> {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process?.getBuiltinModule;
  const nodeCrypto = typeof getBuiltinModule === 'function' ? getBuiltinModule('node:crypto') : undefined;
  if (nodeCrypto) {
    const hash = nodeCrypto.createHash('sha256');
    return {
      update: (chunk) => void hash.update(chunk),
      digest: async () => `sha256:${hash.digest('hex')}`,
    };
  }
  const { Sha256 } = await loadSha256();
  const hash = new Sha256();
  return {
    update: (chunk) => hash.update(chunk),
    digest: async () => `sha256:${hex(await hash.digest())}`,
  };
}

/**
 * Resolve when `data` hashes to `digest` (its algorithm is taken from the digest's prefix).
 *
 * @throws EcrError kind `ImageDigestMismatch` when the content does not match; kind
 * `InvalidParameter` (field `imageDigest`) when `digest` is not a valid digest.
 */
export async function verifyDigest(data: Uint8Array | string, digest: string): Promise<void> {
  validateDigest(digest);
  const algorithm: DigestAlgorithm = digest.startsWith('sha512:') ? 'sha512' : 'sha256';
  const actual = await computeDigest(data, algorithm);
  if (actual !== digest) {
    throw new EcrError({
      kind: 'ImageDigestMismatch',
      awsCode: 'ImageDigestDoesNotMatchException',
      statusCode: 400,
      message: `Content digest ${actual} does not match the expected ${digest}`,
    });
  }
}
