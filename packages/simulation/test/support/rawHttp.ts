import { connect } from 'node:net';

/** What came back on a raw socket: the status (undefined for a close without an answer), headers and body text. */
export interface RawAnswer {
  status: number | undefined;
  headers: Record<string, string>;
  body: string;
}

/**
 * Write raw bytes to `port` on loopback, half-close, and collect whatever comes back until the
 * server closes (or `timeoutMs` passes, which rejects).
 */
export function rawExchange(port: number, bytes: string | Uint8Array, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => resolve(parseAnswer(Buffer.concat(chunks)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? done() : reject(err)));
    socket.on('close', done);
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${timeoutMs} ms`));
    });
    socket.end(bytes);
  });
}

/** Parse one HTTP/1.1 response from raw bytes (first response only). */
export function parseAnswer(raw: Buffer): RawAnswer {
  const text = raw.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return { status: undefined, headers: {}, body: text };
  const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine ?? '');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const body = text.slice(headEnd + 4, length === undefined ? undefined : headEnd + 4 + length);
  return { status: status ? Number(status[1]) : undefined, headers, body };
}
