// Record the main flows through the services against the simulation, then replay the file
// through the services with no registry at all: manifest reads verify their digests, tag
// changes, docker login and pull secrets work, and no secret is in the file. (Here rather
// than in the simulation's tests: the simulation cannot depend on the services.)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, ecrConfig, type Transport } from '@ecrkit/core-types';
import { FileRecorder, ReplayTransport, SimulatedRegistry, createSimulatedTransport, withRecording } from '@ecrkit/simulation';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createClient, type EcrClient } from '../src/index.js';

const config = ecrConfig().region('us-east-1').registryId('123456789012').build();

function client(transport: Transport): EcrClient {
  return createClient(config, { transport, clock: new ManualClock(Date.UTC(2026, 0, 1, 1)) });
}

/** The flows, as a deploy pipeline runs them; what each returns, minus the secrets. */
async function flows(c: EcrClient) {
  const manifest = await c.images.get('web-app', 'v1');
  const index = await c.manifests.getManifestList('web-app', 'multi');
  const platform = await c.manifests.getPlatformManifest('web-app', 'multi', 'linux/arm64');
  const tagged = await c.images.putTag('web-app', 'v1', 'release');
  const again = await c.images.putTag('web-app', 'v1', 'release');
  const untagged = await c.images.untag('web-app', 'v2');
  const login = await c.auth.getLoginCommand();
  const credentials = await c.auth.getDockerCredentials();
  const secret = await c.auth.imagePullSecret('shop', 'ecr-pull');
  const publicLogin = await c.public.getDockerCredentials();
  return { manifest, index, platform, tagged, again, untagged, login, credentials, secret, publicLogin };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrkit-services-replay-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('record through the services, replay through the services', () => {
  test.each(['strict', 'loose'] as const)('%s replay: manifest reads, tag changes, docker login and pull secrets succeed', async (mode) => {
    const registry = new SimulatedRegistry({ clock: new ManualClock(Date.UTC(2026, 0, 1)), seed: 11 })
      .withImage('web-app', { tags: ['v1'] })
      .withImage('web-app', { tags: ['v2'] })
      .withImage('web-app', { tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64'] });
    const path = join(dir, 'flows.jsonl');
    const recorder = new FileRecorder(path);
    const live = await flows(client(withRecording(createSimulatedTransport(registry), recorder)));
    await recorder.flush();

    const replayed = await flows(client(ReplayTransport.fromFile(path, { mode })));

    // Manifests come back byte-exact and digest-verified (the services verify every BatchGetImage).
    expect(replayed.manifest).toEqual(live.manifest);
    expect(replayed.index).toEqual(live.index);
    expect(replayed.platform).toEqual(live.platform);
    expect(replayed.tagged).toEqual(live.tagged);
    expect(replayed.again).toEqual(live.again);
    expect(replayed.untagged).toEqual(live.untagged);
    // Logins and pull secrets are built from fresh fake tokens: same shape, other password.
    expect(replayed.login.args).toEqual(live.login.args);
    expect(`${replayed.login}`).toBe(`${live.login}`);
    expect(replayed.credentials.username).toBe('AWS');
    expect(replayed.credentials.password.reveal()).toMatch(/^replayed-[0-9a-f]{48}$/);
    expect(replayed.credentials.password.reveal()).not.toBe(live.credentials.password.reveal());
    expect(replayed.secret.object.metadata).toEqual(live.secret.object.metadata);
    const dockerConfig = JSON.parse(Buffer.from(replayed.secret.object.data['.dockerconfigjson'].reveal(), 'base64').toString('utf8')) as {
      auths: Record<string, { username: string; password: string; auth: string }>;
    };
    expect(Object.keys(dockerConfig.auths)).toEqual(['123456789012.dkr.ecr.us-east-1.amazonaws.com']);
    expect(dockerConfig.auths['123456789012.dkr.ecr.us-east-1.amazonaws.com']!.password).toMatch(/^replayed-/);
    expect(replayed.publicLogin.password.reveal()).toMatch(/^replayed-/);

    // Canaries: the live secrets, in every form a leak would take, are nowhere in the file.
    const text = await readFile(path, 'utf8');
    const liveSecrets = [
      live.credentials.password.reveal(),
      Buffer.from(`AWS:${live.credentials.password.reveal()}`).toString('base64'),
      live.login.stdin.reveal(),
      live.secret.object.data['.dockerconfigjson'].reveal(),
      live.secret.yaml,
      live.publicLogin.password.reveal(),
    ];
    for (const secret of liveSecrets) expect(text).not.toContain(secret);
  });
});
