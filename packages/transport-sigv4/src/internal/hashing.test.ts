import { createHash, createHmac } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { loadHashing, loadJsHashing, type Hashing } from './hashing.js';

const hashings: [string, () => Promise<Hashing>][] = [
  ['node:crypto', loadHashing],
  ['@aws-crypto/sha256-js', loadJsHashing],
];

describe.each(hashings)('hashing over %s', (_name, load) => {
  // Keys past the 64-byte block are hashed first; messages past the prepared room take another path.
  const key = fc.uint8Array({ maxLength: 100 });
  const message = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 600 }),
    fc.string({ unit: 'binary', minLength: 300, maxLength: 700 }),
  );

  test.prop([key, fc.array(message, { minLength: 1, maxLength: 4 })], { numRuns: 300 })(
    'hmacHex on a prepared key is HMAC-SHA256, message after message',
    async (keyBytes, messages) => {
      const hashing = await load();
      const prepared = hashing.prepareKey(keyBytes);
      for (const m of messages) expect(hashing.hmacHex(prepared, m)).toBe(createHmac('sha256', keyBytes).update(m).digest('hex'));
    },
  );

  test.prop([key, message])('hmac and sha256Hex are HMAC-SHA256 and SHA-256', async (keyBytes, m) => {
    const hashing = await load();
    expect(Buffer.from(hashing.hmac(keyBytes, m)).toString('hex')).toBe(createHmac('sha256', keyBytes).update(m).digest('hex'));
    expect(hashing.sha256Hex(m)).toBe(createHash('sha256').update(m).digest('hex'));
  });
});
