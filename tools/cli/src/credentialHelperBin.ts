#!/usr/bin/env node
import { text } from 'node:stream/consumers';
import { credentialHelper } from './credentialHelper/credentialHelper.js';

// `docker-credential-ecrkit <action>`: docker, podman, skopeo and buildah run it with the server
// URL (or a JSON document) on standard input.
const input = process.argv[2] === 'get' || process.argv[2] === 'store' || process.argv[2] === 'erase' ? await text(process.stdin) : '';
process.exitCode = await credentialHelper(process.argv.slice(2), {
  stdin: input,
  stdout: (line) => void process.stdout.write(line),
  stderr: (line) => void process.stderr.write(line),
  env: process.env,
});
