import { Pool } from 'undici';
import { buildRegistry } from './fixtures.js';
import { startSimulationServer } from '../src/server/index.js';
const registry = buildRegistry({ small: 20 });
const server = await startSimulationServer({ registry });
const { Worker } = await import('node:worker_threads');
const code = `
const { Pool } = require('undici');
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const pool = new Pool(workerData.url, { connections: 50 });
  const req = { method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeImages', authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00' }, body: '{"repositoryName":"small"}' };
  let n = 0; const end = Date.now() + 4000;
  await Promise.all(Array.from({ length: 50 }, async () => { while (Date.now() < end) { const r = await pool.request(req); await r.body.arrayBuffer(); n++; } }));
  parentPort.postMessage(n / 4);
  await pool.close();
})();`;
const w = new Worker(code, { eval: true, workerData: { url: server.url }, execArgv: [] });
const ops = await new Promise((r) => w.once('message', r));
console.log('ops/s', ops);
await server.close();
