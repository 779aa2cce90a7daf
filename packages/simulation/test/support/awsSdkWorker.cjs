// Runs the real AWS SDK v3 in a worker thread started with no Node conditions, so the SDK
// loads its CommonJS build (vitest's `module` condition would pick its extensionless ESM build).
'use strict';
const { parentPort } = require('node:worker_threads');
const ecr = require('@aws-sdk/client-ecr');
const ecrPublic = require('@aws-sdk/client-ecr-public');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');

const clients = new Map();

function clientFor(msg) {
  const key = JSON.stringify([msg.api, msg.endpoint, msg.region, msg.credentials]);
  let client = clients.get(key);
  if (!client) {
    const Client = msg.api === 'ecr-public' ? ecrPublic.ECRPUBLICClient : ecr.ECRClient;
    client = new Client({ endpoint: msg.endpoint, region: msg.region, credentials: msg.credentials, maxAttempts: 1 });
    clients.set(key, client);
  }
  return client;
}

function strip(output) {
  const { $metadata, ...rest } = output;
  return rest;
}

async function send(msg) {
  const module = msg.api === 'ecr-public' ? ecrPublic : ecr;
  const Command = module[`${msg.operation}Command`];
  if (!Command) throw new Error(`No command ${msg.operation}`);
  try {
    const output = await clientFor(msg).send(new Command(msg.input));
    return { ok: true, output: strip(output) };
  } catch (err) {
    return {
      ok: false,
      error: {
        name: err.name,
        fault: err.$fault,
        statusCode: err.$metadata?.httpStatusCode,
        requestId: err.$metadata?.requestId,
        message: err.message,
      },
    };
  }
}

async function sign(msg) {
  const signer = new SignatureV4({ credentials: msg.credentials, region: msg.region, service: msg.service, sha256: Sha256 });
  const signed = await signer.sign(msg.request, { signingDate: new Date(msg.signingDate) });
  return { ok: true, output: { headers: signed.headers, path: signed.path } };
}

parentPort.on('message', async (msg) => {
  let reply;
  try {
    reply = msg.kind === 'sign' ? await sign(msg) : await send(msg);
  } catch (err) {
    reply = { ok: false, error: { name: 'HarnessError', message: String(err && err.stack || err) } };
  }
  parentPort.postMessage({ id: msg.id, ...reply });
});
