import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeDigest, verifyDigest } from '../src/digest.js';
import { parseImageConfig } from '../src/imageConfig.js';
import { parseManifest, type ImageManifest, type ManifestList } from '../src/manifest.js';
import { selectPlatform } from '../src/platform.js';

interface FixtureEntry {
  file: string;
  mediaType: string;
  digest: string;
  size: number;
  description: string;
}

const dir = new URL('./fixtures/', import.meta.url);
const entries = JSON.parse(readFileSync(new URL('manifests.json', dir), 'utf8')) as FixtureEntry[];
const bytes = (file: string): Uint8Array => new Uint8Array(readFileSync(new URL(file, dir)));
const byDigest = new Map(entries.map((e) => [e.digest, e]));
const isConfig = (e: FixtureEntry): boolean =>
  e.mediaType === 'application/vnd.docker.container.image.v1+json' || e.mediaType === 'application/vnd.oci.image.config.v1+json';
const entry = (file: string): FixtureEntry => {
  const e = entries.find((x) => x.file === file);
  if (!e) throw new Error(`no fixture ${file}`);
  return e;
};

describe('real-world manifest fixtures', () => {
  it.each(entries.map((e) => [e.file, e] as const))('%s has its recorded digest and size', async (_file, e) => {
    const data = bytes(e.file);
    expect(data.length).toBe(e.size);
    await expect(verifyDigest(data, e.digest)).resolves.toBeUndefined();
    expect(await computeDigest(data)).toBe(`sha256:${createHash('sha256').update(data).digest('hex')}`);
    // A single changed byte must be caught.
    const changed = data.slice();
    changed[changed.length - 1] = 0x20;
    await expect(verifyDigest(changed, e.digest)).rejects.toMatchObject({ kind: 'ImageDigestMismatch' });
  });

  it.each(entries.filter((e) => !isConfig(e)).map((e) => [e.file, e] as const))('%s parses as its media type, with and without the type given', (_file, e) => {
    const m = parseManifest(bytes(e.file), e.mediaType);
    expect(m.mediaType).toBe(e.mediaType);
    expect(parseManifest(new TextDecoder().decode(bytes(e.file)))).toEqual(m);
  });

  it.each(entries.filter(isConfig).map((e) => [e.file, e] as const))('%s parses as an image config', (_file, e) => {
    const c = parseImageConfig(bytes(e.file));
    expect(c.os).toBe('linux');
    expect(c.rootfs.diff_ids.length).toBeGreaterThan(0);
  });

  it('walks alpine index → linux/arm64 manifest → config, verifying each digest', async () => {
    const index = parseManifest(bytes('alpine-3.19-index.json')) as ManifestList;
    expect(index.kind).toBe('index');
    expect(index.manifests).toHaveLength(8);
    const chosen = selectPlatform(index, 'linux/arm64');
    expect(chosen?.platform).toEqual({ architecture: 'arm64', os: 'linux', variant: 'v8' });
    const child = byDigest.get(chosen?.digest ?? '');
    expect(child?.file).toBe('alpine-3.19-linux-arm64-manifest.json');
    const childBytes = bytes(child?.file ?? '');
    await verifyDigest(childBytes, chosen?.digest ?? '');
    expect(childBytes.length).toBe(chosen?.size);
    const manifest = parseManifest(childBytes, chosen?.mediaType) as ImageManifest;
    const config = byDigest.get(manifest.config.digest);
    expect(config?.file).toBe('alpine-3.19-linux-arm64-config.json');
    await verifyDigest(bytes(config?.file ?? ''), manifest.config.digest);
    expect(parseImageConfig(bytes(config?.file ?? '')).architecture).toBe('arm64');
  });

  it('selects platforms in the alpine list as containerd would', () => {
    const index = parseManifest(bytes('alpine-3.19-index.json')) as ManifestList;
    const pick = (p: string) => selectPlatform(index, p)?.platform;
    expect(pick('linux/amd64')).toEqual({ architecture: 'amd64', os: 'linux' });
    expect(pick('linux/arm')).toEqual({ architecture: 'arm', os: 'linux', variant: 'v7' });
    expect(pick('linux/arm/v6')).toEqual({ architecture: 'arm', os: 'linux', variant: 'v6' });
    expect(pick('linux/x86_64')).toEqual({ architecture: 'amd64', os: 'linux' });
    expect(pick('windows/amd64')).toBeUndefined();
  });

  it('selects from the nginx OCI index; attestation manifests only match unknown/unknown', async () => {
    const index = parseManifest(bytes('nginx-1.25-index.json')) as ManifestList;
    expect(index.manifests.filter((m) => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')).toHaveLength(2);
    expect(selectPlatform(index, { os: 'unknown', architecture: 'unknown' })?.annotations?.['vnd.docker.reference.type']).toBe('attestation-manifest');
    const arm64 = selectPlatform(index, 'linux/arm64/v8');
    expect(arm64?.digest).toBe(entry('nginx-1.25-linux-arm64-manifest.json').digest);
    expect(selectPlatform(index, 'linux/arm/v6')?.platform?.variant).toBe('v5');
    expect(selectPlatform(index, 'linux/riscv64')).toBeUndefined();
    expect(selectPlatform(index, 'linux/arm/v7')?.platform?.variant).toBe('v7');
  });

  it('picks the Windows build by os.version', () => {
    const index = parseManifest(bytes('golang-1.22-windows-index.json')) as ManifestList;
    expect(selectPlatform(index, 'windows(10.0.20348.2340)/amd64')?.platform?.osVersion).toBe('10.0.20348.2227');
    expect(selectPlatform(index, 'windows(10.0.17763.1)/amd64')?.platform?.osVersion).toBe('10.0.17763.5458');
    expect(selectPlatform(index, 'windows(10.0.26100.1)/amd64')).toBeUndefined();
    expect(selectPlatform(index, 'linux/amd64')?.platform?.os).toBe('linux');
  });

  it('reads the OCI 1.1 referrer: artifactType, the empty config and its subject', async () => {
    const m = parseManifest(bytes('nginx-1.25-sbom-referrer.json')) as ImageManifest;
    expect(m.artifactType).toBe('application/spdx+json');
    expect(m.config.mediaType).toBe('application/vnd.oci.empty.v1+json');
    await verifyDigest('{}', m.config.digest);
    expect(m.subject?.digest).toBe(entry('nginx-1.25-linux-arm64-manifest.json').digest);
  });
});
