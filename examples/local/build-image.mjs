#!/usr/bin/env node
// A small OCI image without a daemon: one layer holding /hello.txt, written as an OCI image
// layout that skopeo (or crane, or `docker buildx imagetools`) can push.
// Usage: node build-image.mjs <layout-dir> <tag> [text]
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [dir, tag, text = `hello from ecrkit, built ${new Date().toISOString()}\n`] = process.argv.slice(2);
if (!dir || !tag) {
  console.error('usage: node build-image.mjs <layout-dir> <tag> [text]');
  process.exit(2);
}

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const blobs = join(dir, 'blobs', 'sha256');
mkdirSync(blobs, { recursive: true });
const put = (bytes) => {
  const digest = sha256(bytes);
  writeFileSync(join(blobs, digest.slice('sha256:'.length)), bytes);
  return { digest, size: bytes.length };
};

// One file in a POSIX tar: a 512-byte header, the content padded to 512, two zero blocks.
function tarOf(name, content) {
  const header = Buffer.alloc(512);
  const field = (value, offset, length) => header.write(value, offset, length, 'ascii');
  const octal = (n, length) => `${n.toString(8).padStart(length - 1, '0')}\0`;
  field(name, 0, 100);
  field(octal(0o644, 8), 100, 8);
  field(octal(0, 8), 108, 8);
  field(octal(0, 8), 116, 8);
  field(octal(content.length, 12), 124, 12);
  field(octal(0, 12), 136, 12);
  field('        ', 148, 8);
  field('0', 156, 1);
  field('ustar\0' + '00', 257, 8);
  let sum = 0;
  for (const byte of header) sum += byte;
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

const tar = tarOf('hello.txt', Buffer.from(text));
const layer = put(gzipSync(tar));
const config = put(
  Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['cat', '/hello.txt'] },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created_by: 'examples/local/build-image.mjs' }],
    }),
  ),
);
const manifest = put(
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    }),
  ),
);
writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
writeFileSync(
  join(dir, 'index.json'),
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  }),
);
console.log(manifest.digest);
