import { fileURLToPath } from 'node:url';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { contractCredentials, readmeExamples, runReadmeExample } from '@ecrkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const registry = new SimulatedRegistry();
let server: SimulationServer;

beforeAll(async () => {
  registry.withRepository('web-app', { region: 'eu-west-1' }).withRepository('api', { region: 'eu-west-1' });
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
    expect(logged.map((line) => line.split(' ')[0])).toEqual(['web-app', 'api', 'aborted,']);
    expect(registry.getOperationHistory({ operation: 'ListImages' })).toHaveLength(0);
  });
});
