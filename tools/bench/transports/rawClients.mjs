// Unsigned POSTs of the benchmark's DescribeImages body, three ways, for the floor and for the
// SigV4 transport's design choices. Each returns { send(): Promise<parsed body>, close() }.
// `parse: false` reads the body and skips JSON.parse (a reference row only).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const body = JSON.stringify({ repositoryName: 'web-app', maxResults: 20 });
const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeImages' };

/** undici's public API: `Pool#request()` and `body.text()`. */
export async function undiciRequest(url, { parse = true } = {}) {
  const { Pool } = await import('undici');
  const pool = new Pool(url);
  return {
    async send() {
      const response = await pool.request({ method: 'POST', path: '/', headers, body });
      const text = await response.body.text();
      return parse ? JSON.parse(text) : text;
    },
    close: () => pool.destroy(),
  };
}

/** undici's `Pool` file alone, driven through `dispatch()` with a minimal handler (what the SigV4 transport does). */
export async function undiciPoolDispatch(url) {
  const Pool = require('undici/lib/dispatcher/pool.js');
  const pool = new Pool(url);
  const origin = new URL(url).origin;
  return {
    send: () =>
      new Promise((resolve, reject) => {
        const chunks = [];
        pool.dispatch(
          { origin, method: 'POST', path: '/', headers, body },
          {
            onRequestStart() {},
            onResponseStart() {},
            onResponseData(_c, chunk) {
              chunks.push(chunk);
            },
            onResponseEnd() {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            },
            onResponseError(_c, err) {
              reject(err);
            },
          },
        );
      }),
    close: () => pool.destroy(),
  };
}

/** node:http with a keep-alive Agent. */
export async function nodeHttp(url) {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true });
  const { hostname, port } = new URL(url);
  const length = String(Buffer.byteLength(body));
  return {
    send: () =>
      new Promise((resolve, reject) => {
        const request = http.request(
          { host: hostname, port, method: 'POST', path: '/', agent, headers: { ...headers, 'content-length': length } },
          (response) => {
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}
