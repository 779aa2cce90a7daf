import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SimulatedRegistry } from '../src/index.js';
import { startSimulationServer, type ServerRoute, type SimulationServer } from '../src/server/index.js';
import { parseAnswer, rawExchange } from './support/rawHttp.js';

// What the server does before it reads a body: unsupported methods get an HTTP answer, bodies
// over the global in-flight budget get 503 at once, unauthenticated requests to a verifying
// server are refused from their headers alone, and stalled headers or bodies time out.

const listImages = 'AmazonEC2ContainerRegistry_V20150921.ListImages';
const mib = 1024 * 1024;

/** An open connection that has sent `head` (and maybe part of a body) and collects the answer. */
interface Held {
  socket: Socket;
  /** Resolves with the first complete answer, or with what arrived when the socket closed. */
  answer: Promise<ReturnType<typeof parseAnswer>>;
  /** Whether anything has come back yet. */
  answered(): boolean;
}

function hold(port: number, head: string, body?: Uint8Array): Held {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let settled = false;
  const answer = new Promise<ReturnType<typeof parseAnswer>>((resolve) => {
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(parseAnswer(Buffer.concat(chunks)));
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const parsed = parseAnswer(Buffer.concat(chunks));
      if (parsed.status !== undefined && parsed.body.length >= Number(parsed.headers['content-length'] ?? 0)) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
  socket.write(head);
  if (body) socket.write(body);
  return { socket, answer, answered: () => chunks.length > 0 };
}

const head = (contentLength: number | 'chunked', extra: string[] = []) =>
  [
    'POST / HTTP/1.1',
    'Host: 127.0.0.1',
    `X-Amz-Target: ${listImages}`,
    contentLength === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${contentLength}`,
    ...extra,
    '',
    '',
  ].join('\r\n');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Send `body` until it is not refused for lack of budget (as a client honouring Retry-After would, faster); at most 3 s. */
async function untilAdmitted(port: number, body: Buffer): Promise<ReturnType<typeof parseAnswer>> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const attempt = hold(port, head(body.length), body);
    const answer = await attempt.answer;
    attempt.socket.destroy();
    if (answer.status !== 503 || Date.now() > deadline) return answer;
    await sleep(50);
  }
}

/** A JSON body of exactly `size` bytes that ListImages accepts. */
function paddedBody(size: number): Buffer {
  const prefix = '{"repositoryName":"app","pad":"';
  const suffix = '"}';
  return Buffer.from(prefix + 'a'.repeat(size - prefix.length - suffix.length) + suffix);
}

describe('methods the server does not serve get an HTTP answer', () => {
  let server: SimulationServer;
  beforeAll(async () => {
    server = await startSimulationServer({ registry: new SimulatedRegistry().withImage('app', { tags: ['v1'] }) });
  });
  afterAll(() => server.close());

  test('CONNECT is answered 405, not a closed socket', async () => {
    const answer = await rawExchange(server.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(answer.status).toBe(405);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'MethodNotAllowedException' });
  });

  test.each([
    ['PUT', '/', 'POST'],
    ['DELETE', '/', 'POST'],
    ['TRACE', '/', 'POST'],
    ['OPTIONS', '/', 'POST'],
    ['GET', '/', 'POST'],
    ['PATCH', '/moto-api/reset', 'POST'],
    ['DELETE', '/blobs/123456789012/us-east-1/app/sha256:00', 'GET, HEAD'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const answer = await rawExchange(server.port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe(allow);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'MethodNotAllowedException' });
  });

  test('an Upgrade request is answered like any other request', async () => {
    const answer = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expect(answer.status).toBe(405);
  });

  test('an unknown path is 404 whatever the method', async () => {
    expect((await rawExchange(server.port, 'DELETE /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).status).toBe(404);
  });
});

describe('the global budget for request bodies in flight', () => {
  let server: SimulationServer;
  beforeAll(async () => {
    server = await startSimulationServer({
      registry: new SimulatedRegistry().withImage('app', { tags: ['v1'] }),
      maxBodyBytes: mib,
      maxBodyBytesInFlight: 1.5 * mib,
    });
  });
  afterAll(() => server.close());

  test('a body that would exceed the budget is refused with 503 and Retry-After before it is sent', async () => {
    const body = paddedBody(mib);
    const first = hold(server.port, head(mib), body.subarray(0, mib / 2));
    await sleep(100);
    expect(first.answered()).toBe(false);

    const second = hold(server.port, head(mib));
    const refused = await second.answer;
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.body)).toMatchObject({ __type: 'ServiceUnavailableException' });
    second.socket.destroy();

    // Small bodies still fit beside the held one.
    const small = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': listImages }, body: '{"repositoryName":"app"}' });
    expect(small.status).toBe(200);

    first.socket.write(body.subarray(mib / 2));
    expect((await first.answer).status).toBe(200);
    first.socket.destroy();

    // Once the first body is done its share is free again.
    const third = hold(server.port, head(mib), body);
    expect((await third.answer).status).toBe(200);
    third.socket.destroy();
  });

  test('a chunked body is counted as it arrives and refused once it crosses the budget', async () => {
    const first = hold(server.port, head(mib), paddedBody(mib).subarray(0, 1000));
    await sleep(50);
    const chunked = hold(server.port, head('chunked'));
    const piece = Buffer.alloc(256 * 1024, 0x61);
    for (let i = 0; i < 4 && !chunked.answered(); i++) {
      chunked.socket.write(`${piece.length.toString(16)}\r\n`);
      chunked.socket.write(piece);
      chunked.socket.write('\r\n');
      await sleep(20);
    }
    const refused = await chunked.answer;
    expect(refused.status).toBe(503);
    chunked.socket.destroy();
    first.socket.destroy();
  });

  test('an aborted upload frees its share', async () => {
    const held = Array.from({ length: 3 }, () => hold(server.port, head(mib / 2), Buffer.alloc(1000, 0x20)));
    await sleep(50);
    for (const h of held) h.socket.destroy();
    await sleep(50);
    const again = hold(server.port, head(mib), paddedBody(mib));
    expect((await again.answer).status).toBe(200);
    again.socket.destroy();
  });
});

describe('a verifying server refuses unauthenticated requests from their headers', () => {
  let server: SimulationServer;
  const amz = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  const amzDate = amz(Date.now());
  const day = amzDate.slice(0, 8);
  const hourOld = amz(Date.now() - 3600_000);
  beforeAll(async () => {
    server = await startSimulationServer({
      registry: new SimulatedRegistry().withImage('app', { tags: ['v1'] }),
      verifySignatures: true,
      credentials: [{ accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret' }],
    });
  });
  afterAll(() => server.close());

  const auth = (credential: string) => `Authorization: AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

  test.each([
    ['no Authorization header', [], 403, 'MissingAuthenticationTokenException'],
    ['a malformed Authorization header', ['Authorization: Bearer abc', `X-Amz-Date: ${amzDate}`], 400, 'IncompleteSignatureException'],
    ['an unknown access key', [auth(`AKIDMALLORY/${day}/us-east-1/ecr/aws4_request`), `X-Amz-Date: ${amzDate}`], 400, 'UnrecognizedClientException'],
    ['a region that is not one', [auth(`AKIDALICE/${day}/../ecr/aws4_request`), `X-Amz-Date: ${amzDate}`], 400, 'InvalidSignatureException'],
    ['a date an hour old', [auth(`AKIDALICE/${hourOld.slice(0, 8)}/us-east-1/ecr/aws4_request`), `X-Amz-Date: ${hourOld}`], 400, 'InvalidSignatureException'],
  ])('%s: answered before any body byte is sent', async (_name, extra, status, code) => {
    const held = hold(server.port, head(31 * mib, extra as string[]));
    const answer = await held.answer;
    expect([answer.status, JSON.parse(answer.body).__type]).toEqual([status, code]);
    held.socket.destroy();
  });

  test('a request whose headers name a known key waits for its body (the signature covers it)', async () => {
    const held = hold(server.port, head(1000, [auth(`AKIDALICE/${day}/us-east-1/ecr/aws4_request`), `X-Amz-Date: ${amzDate}`]));
    await sleep(200);
    expect(held.answered()).toBe(false);
    held.socket.write(paddedBody(1000));
    const answer = await held.answer;
    expect([answer.status, JSON.parse(answer.body).__type]).toEqual([400, 'InvalidSignatureException']);
    held.socket.destroy();
  });
});

describe('timeouts', () => {
  test('stalled headers (slowloris) and stalled bodies are answered 408 and their budget freed', async () => {
    const server = await startSimulationServer({
      registry: new SimulatedRegistry().withImage('app', { tags: ['v1'] }),
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      maxBodyBytes: mib,
      maxBodyBytesInFlight: mib,
    });
    try {
      const slowHeaders = hold(server.port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      const slowBody = hold(server.port, head(mib), Buffer.alloc(1000, 0x20));
      // Answered at all, not left hanging (the test's own timeout catches a server that never answers).
      expect((await slowHeaders.answer).status).toBe(408);
      expect((await slowBody.answer).status).toBe(408);
      // The timed-out connection is dropped within a second, and its share of the budget with it.
      const again = await untilAdmitted(server.port, paddedBody(mib));
      expect(again.status).toBe(200);
      for (const h of [slowHeaders, slowBody]) h.socket.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('a mounted route reads its body under the same budget', () => {
  test('readBody({ maxBytes }) raises the per-request cap for that route; the in-flight budget still applies', async () => {
    const sizes: number[] = [];
    const upload: ServerRoute = {
      matches: (path) => path === '/upload',
      methods: ['PUT'],
      async handle({ res, readBody }) {
        const body = await readBody({ maxBytes: 3 * mib });
        if (body === undefined) return;
        sizes.push(body.length);
        res.end('stored');
      },
    };
    const server = await startSimulationServer({ registry: new SimulatedRegistry(), maxBodyBytes: mib, maxBodyBytesInFlight: 4 * mib, routes: [upload] });
    const put = (size: number) => `PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${size}\r\n\r\n`;
    try {
      const big = hold(server.port, put(2 * mib), Buffer.alloc(2 * mib, 1));
      expect((await big.answer).status).toBe(200);
      expect(sizes).toEqual([2 * mib]);
      const tooBig = hold(server.port, put(3 * mib + 1));
      expect((await tooBig.answer).status).toBe(413);
      const held = hold(server.port, put(3 * mib), Buffer.alloc(1000));
      await sleep(50);
      const overBudget = hold(server.port, put(2 * mib));
      expect((await overBudget.answer).status).toBe(503);
      for (const h of [big, tooBig, held, overBudget]) h.socket.destroy();
    } finally {
      await server.close();
    }
  });
});
