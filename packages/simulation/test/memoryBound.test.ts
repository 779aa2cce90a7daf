import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AwsSdk } from './support/awsSdk.js';
import { parseAnswer } from './support/rawHttp.js';

// The attack, against the bin in its own process (so its RSS is its own): 100 requests
// each declaring a 31 MiB body and sending all of it but the last byte, then stalling. With
// verification on, unsigned ones are refused from their headers; ones that name a known key
// are admitted only while the global body budget (256 MiB by default) has room, the rest get
// 503. The server's peak RSS stays under 512 MB and it keeps answering.

const hasProc = existsSync('/proc/self/status');
const mib = 1024 * 1024;
const limitBytes = 512 * 1000 * 1000;
const declared = 31 * mib;
const keys = { accessKeyId: 'AKIDMEMORY', secretAccessKey: 'memory-secret' };
const bin = fileURLToPath(new URL('../src/bin/ecrkit-sim.ts', import.meta.url));

let child: ChildProcess;
let url: string;
let port: number;
const sdk = new AwsSdk();

beforeAll(async () => {
  if (!hasProc) return;
  child = spawn(process.execPath, ['--conditions=@ecrkit/source', '--import', 'tsx', bin, 'serve', '--port', '0', '--verify-sigv4'], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^(http:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ecrkit-sim exited ${code}: ${stderr}`)));
  });
  port = Number(new URL(url).port);
}, 60_000);

afterAll(async () => {
  sdk.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

/** Resident and peak resident set size of the server process, in bytes (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

interface Attempt {
  socket: Socket;
  answer: Promise<ReturnType<typeof parseAnswer>>;
  /** Resolves once all but the last byte is written, or the server has answered or closed. */
  sent: Promise<void>;
}

/** One request declaring `declared` bytes, sending all but the last byte and then stalling. */
function attack(headers: string[], piece: Buffer, stop: AbortSignal): Attempt {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let closed = false;
  const answer = new Promise<ReturnType<typeof parseAnswer>>((resolve) => {
    const finish = () => resolve(parseAnswer(Buffer.concat(chunks)));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const parsed = parseAnswer(Buffer.concat(chunks));
      if (parsed.status !== undefined && parsed.body.length >= Number(parsed.headers['content-length'] ?? 0)) finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => undefined);
  });
  const sent = (async () => {
    socket.write([`POST / HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${declared}`, ...headers, '', ''].join('\r\n'));
    let remaining = declared - 1;
    while (remaining > 0 && !closed && chunks.length === 0 && !stop.aborted) {
      const slice = remaining >= piece.length ? piece : piece.subarray(0, remaining);
      remaining -= slice.length;
      if (!socket.write(slice)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            socket.off('drain', done);
            socket.off('close', done);
            stop.removeEventListener('abort', done);
            resolve();
          };
          socket.once('drain', done);
          socket.once('close', done);
          stop.addEventListener('abort', done, { once: true });
        });
      }
    }
  })();
  return { socket, answer, sent };
}

/** Run 100 attacks at once while watching the server's memory; aborts them all if RSS crosses the limit. */
async function attackHundred(headers: () => string[]): Promise<{ attempts: Attempt[]; peak: number }> {
  const piece = Buffer.alloc(mib, 0x61);
  const stop = new AbortController();
  const watch = setInterval(() => {
    if (memoryOf(child.pid!).rss > limitBytes) stop.abort();
  }, 25);
  try {
    const attempts = Array.from({ length: 100 }, () => attack(headers(), piece, stop.signal));
    await Promise.all(attempts.map((a) => a.sent));
    // Let the server take in what is in flight before measuring.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { attempts, peak: memoryOf(child.pid!).peak };
  } finally {
    clearInterval(watch);
  }
}

const amzDate = () =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

describe.skipIf(!hasProc)('100 unfinished 31 MiB bodies (server RSS read from Linux /proc; skipped elsewhere)', () => {
  test('unsigned: all refused from their headers; RSS stays under 512 MB; the server keeps answering', async () => {
    const { attempts, peak } = await attackHundred(() => ['X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.ListImages']);
    try {
      console.log(`unsigned attack: server peak RSS ${(peak / 1e6).toFixed(0)} MB`);
      expect(peak).toBeLessThan(limitBytes);
      const answers = await Promise.all(attempts.map((a) => a.answer));
      expect(answers.map((a) => a.status)).toEqual(Array(100).fill(403));
      const listed = await sdk.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, endpoint: url, region: 'us-east-1', credentials: keys });
      expect(listed.ok).toBe(true);
    } finally {
      for (const a of attempts) a.socket.destroy();
    }
  }, 60_000);

  test('naming a known key: at most the budget is admitted, the rest get 503 + Retry-After; RSS stays under 512 MB; the server keeps answering', async () => {
    const { attempts, peak } = await attackHundred(() => {
      const date = amzDate();
      return [
        'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.ListImages',
        `X-Amz-Date: ${date}`,
        `Authorization: AWS4-HMAC-SHA256 Credential=${keys.accessKeyId}/${date.slice(0, 8)}/us-east-1/ecr/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      ];
    });
    try {
      console.log(`known-key attack: server peak RSS ${(peak / 1e6).toFixed(0)} MB, now ${(memoryOf(child.pid!).rss / 1e6).toFixed(0)} MB`);
      expect(peak).toBeLessThan(limitBytes);
      const listed = await sdk.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, endpoint: url, region: 'us-east-1', credentials: keys });
      expect(listed.ok).toBe(true);
      const answered = attempts.filter((a) => a.socket.bytesRead > 0);
      const refused = await Promise.all(answered.map((a) => a.answer));
      expect(refused.length).toBeGreaterThanOrEqual(100 - 256 / 31);
      for (const r of refused) {
        expect(r.status).toBe(503);
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(JSON.parse(r.body)).toMatchObject({ __type: 'ServiceUnavailableException' });
      }
    } finally {
      for (const a of attempts) a.socket.destroy();
    }
  }, 60_000);
});
