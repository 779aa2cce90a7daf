import { createHash } from 'node:crypto';

/** `sha256:<hex>` of bytes or UTF-8 text, synchronously (the registry's handlers are synchronous). */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** `sha256:<hex>` and the total size of bytes held as chunks, without joining them into one buffer. */
export function sha256OfChunks(chunks: Iterable<Uint8Array>): { digest: string; size: number } {
  const hash = createHash('sha256');
  let size = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/** FNV-1a, for short non-cryptographic keys (pagination tokens). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
