/** `sha256:<hex>` of a string's UTF-8 bytes, through Web Crypto so it runs in Node, browsers and edge runtimes. */
export async function sha256Digest(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const hash = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of hash) hex += byte.toString(16).padStart(2, '0');
  return `sha256:${hex}`;
}
