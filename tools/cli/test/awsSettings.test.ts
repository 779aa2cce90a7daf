import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, explain, runCli, tempDir, type CliResult } from './runCli.js';

// `--target aws` reads the AWS settings as the AWS CLI does. The server verifies signatures with a
// key that only the settings under test hold, and its repositories live in one region, so a
// listing proves that the endpoint, the region and the credentials all came from those settings.
const keys = { accessKeyId: 'AKIDCLISETTINGSTEST', secretAccessKey: 'cli-settings-secret-0123456789abcdef' };
const dir = tempDir('ecrkit-cli-aws-settings-');
let server: SimulationServer;
let filesEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  const registry = new SimulatedRegistry();
  registry.withImage('in-eu-north', { tags: ['v1'], region: 'eu-north-1' });
  registry.withImage('in-us-east', { tags: ['v1'], region: 'us-east-1' });
  server = await startSimulationServer({ registry, port: 0, verifySignatures: true, credentials: [keys] });
  const config = join(dir.path, 'config');
  const credentials = join(dir.path, 'credentials');
  writeFileSync(config, `[profile team-sim]\nregion = eu-north-1\nendpoint_url = ${server.url}\n`);
  writeFileSync(credentials, `[team-sim]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
  filesEnv = baseEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

const names = (r: CliResult) => (JSON.parse(r.stdout) as { repositories: { repositoryName: string }[] }).repositories.map((x) => x.repositoryName);

describe('AWS settings in the CLI', () => {
  it('with AWS_ENDPOINT_URL_ECR pointing at a simulation server, `ecrkit --target aws repos` lists its repositories', async () => {
    const args = ['--target', 'aws', 'repos', '-o', 'json'];
    const env = baseEnv({
      AWS_ENDPOINT_URL_ECR: server.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    });
    const r = await runCli(args, { env });
    expect(r.code, explain(args, r)).toBe(0);
    expect(names(r)).toEqual(['in-us-east']);
  }, 30_000);

  it('with a profile holding region and endpoint_url, `ecrkit --profile p repos` lists its repositories', async () => {
    const args = ['--profile', 'team-sim', 'repos', '-o', 'json'];
    const r = await runCli(args, { env: filesEnv });
    expect(r.code, explain(args, r)).toBe(0);
    expect(names(r)).toEqual(['in-eu-north']);
  }, 30_000);

  it('AWS_PROFILE does the same with --target aws, and a profile that is in neither file is a usage error naming it', async () => {
    const viaEnv = await runCli(['--target', 'aws', 'repos', '-o', 'json'], { env: { ...filesEnv, AWS_PROFILE: 'team-sim' } });
    expect(viaEnv.code, explain(['AWS_PROFILE=team-sim', '--target', 'aws', 'repos'], viaEnv)).toBe(0);
    expect(names(viaEnv)).toEqual(['in-eu-north']);
    const missing = await runCli(['--profile', 'no-such-profile', 'repos'], { env: filesEnv });
    expect(missing.code, explain(['--profile', 'no-such-profile', 'repos'], missing)).toBe(2);
    expect(missing.stderr).toMatch(/profile.*no-such-profile.*neither/i);
    expect(missing.stderr).not.toContain(keys.secretAccessKey);
  }, 30_000);
});
