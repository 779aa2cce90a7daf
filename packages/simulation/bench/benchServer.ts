// A benchmark server in its own worker thread (own event loop, own core), so the client that
// drives it does not share its thread: either the simulation server over a registry of `images`
// images, or a bare node:http server that answers every request with the same canned bytes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulationServer } from '../src/server/index.js';
import { buildRegistry } from './fixtures.js';

export interface BenchServerData {
  kind: 'simulation' | 'bare';
  /** Images per repository (`small` and `large` repositories), for the simulation server. */
  images?: { small?: number; medium?: number; large?: number };
  verifySignatures?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string }[];
  /** The bare server's answer. */
  canned?: Uint8Array;
}

const data = workerData as BenchServerData;

async function start(): Promise<string> {
  if (data.kind === 'bare') {
    const canned = Buffer.from(data.canned ?? new Uint8Array());
    const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': canned.length });
        res.end(canned);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const registry = buildRegistry(data.images ?? { small: 20 });
  const server = await startSimulationServer({ registry, verifySignatures: data.verifySignatures, credentials: data.credentials });
  return server.url;
}

start().then(
  (url) => parentPort?.postMessage({ url }),
  (err: unknown) => parentPort?.postMessage({ error: String(err) }),
);
