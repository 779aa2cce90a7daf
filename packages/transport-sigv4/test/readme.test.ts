import { fileURLToPath } from 'node:url';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { contractCredentials, readmeExamples, runReadmeExample } from '@ecrkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const registry = new SimulatedRegistry();
let server: SimulationServer;

beforeAll(async () => {
  registry.withImage('web-app', { tags: ['v1', 'stable'], region: 'eu-west-1' }).withImage('web-app', { tags: ['v2'], region: 'eu-west-1' });
  server = await startSimulationServer({ registry, verifySignatures: true, credentials: [contractCredentials] });
});
afterAll(() => server.close());

describe('README', () => {
  const examples = readmeExamples(readme);

  it('has a runnable example', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))('example %i runs against the simulation server', async (_n, code) => {
    const logged = await runReadmeExample(readme, code, {
      AWS_REGION: 'eu-west-1',
      ECR_ENDPOINT_URL: server.url,
      AWS_ACCESS_KEY_ID: contractCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: contractCredentials.secretAccessKey,
    });
    expect(logged).toHaveLength(3);
    expect(logged.slice(0, 2).every((line) => /^sha256:[0-9a-f]{64} \S+ \d{4}-\d\d-\d\dT/.test(line))).toBe(true);
    expect(logged[2]).toMatch(/^not found: RepositoryNotFoundException \(request \S+\)$/);
  });
});
