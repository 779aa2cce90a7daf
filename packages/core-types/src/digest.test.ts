import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { computeDigest, createDigester, verifyDigest } from './digest.js';
import { isEcrError } from './EcrError.js';

const runs = { numRuns: 1000 };

describe('computeDigest', () => {
  it('hashes known vectors', async () => {
    expect(await computeDigest('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await computeDigest('{}')).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(await computeDigest('abc', 'sha512')).toBe(
      'sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });

  test.prop([fc.uint8Array({ maxLength: 4096 })], runs)('agrees with node:crypto on bytes', async (bytes) => {
    expect(await computeDigest(bytes)).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
  });

  test.prop([fc.string({ unit: 'grapheme', maxLength: 300 })], runs)('hashes strings as UTF-8', async (text) => {
    expect(await computeDigest(text)).toBe(`sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`);
  });

  test.prop([fc.uint8Array({ maxLength: 2048 })], { numRuns: 200 })('sha512 agrees with node:crypto', async (bytes) => {
    expect(await computeDigest(bytes, 'sha512')).toBe(`sha512:${createHash('sha512').update(bytes).digest('hex')}`);
  });

  it('refuses an unknown algorithm with an EcrError', async () => {
    await expect(computeDigest('x', 'md5' as never)).rejects.toMatchObject({ kind: 'InvalidParameter', field: 'algorithm' });
  });
});

describe('verifyDigest', () => {
  test.prop([fc.uint8Array({ maxLength: 1024 })], { numRuns: 300 })('accepts the content its digest was computed from', async (bytes) => {
    await expect(verifyDigest(bytes, await computeDigest(bytes))).resolves.toBeUndefined();
    await expect(verifyDigest(bytes, await computeDigest(bytes, 'sha512'))).resolves.toBeUndefined();
  });

  test.prop([fc.uint8Array({ minLength: 1, maxLength: 1024 }), fc.nat()], { numRuns: 300 })(
    'refuses content with one bit flipped, as ImageDigestMismatch',
    async (bytes, at) => {
      const digest = await computeDigest(bytes);
      const changed = bytes.slice();
      const i = at % changed.length;
      changed[i] = (changed[i] ?? 0) ^ 1;
      const err: unknown = await verifyDigest(changed, digest).catch((e: unknown) => e);
      expect(isEcrError(err) && err.kind === 'ImageDigestMismatch').toBe(true);
    },
  );

  test.prop([fc.string(), fc.anything()], runs)('rejects only with EcrError for any digest value', async (text, digest) => {
    const err: unknown = await verifyDigest(text, digest as string).catch((e: unknown) => e);
    if (err !== undefined) expect(isEcrError(err)).toBe(true);
  });
});

describe('createDigester', () => {
  test.prop([fc.array(fc.uint8Array({ maxLength: 512 }), { maxLength: 8 })], { numRuns: 200 })(
    'digests chunks fed in order as computeDigest digests their concatenation, with node:crypto or without',
    async (chunks) => {
      const whole = await computeDigest(Buffer.concat(chunks));
      const d = await createDigester();
      for (const chunk of chunks) d.update(chunk);
      expect(await d.digest()).toBe(whole);
    },
  );

  it('falls back to the portable implementation where process.getBuiltinModule is missing', async () => {
    const original = process.getBuiltinModule;
    Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true, writable: true });
    try {
      const d = await createDigester();
      d.update(new TextEncoder().encode('{'));
      d.update(new TextEncoder().encode('}'));
      expect(await d.digest()).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    } finally {
      Object.defineProperty(process, 'getBuiltinModule', { value: original, configurable: true, writable: true });
    }
  });
});
