import { ManualClock, ecrConfig, isEcrError, operationNames, type Api, type EcrError, type Transport } from '@ecrkit/core-types';
import { SimulatedRegistry, startSimulationServer, type FaultKind } from '@ecrkit/simulation';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contractCredentials, type MakeTransport } from './describeTransportContract.js';
import { contractRegion, errorScenarios, operationScenarios, type Scenario } from './scenarios.js';
import { runServiceScenario, serviceScenarios } from './serviceScenarios.js';

interface Side {
  registry: SimulatedRegistry;
  server: { url: string; close(): Promise<void> };
  transport: Transport;
}

type Outcome =
  | { ok: true; output: unknown }
  | { ok: false; error: Pick<EcrError, 'kind' | 'awsCode' | 'statusCode' | 'category' | 'operation' | 'region'> & { hasRequestId: boolean } };

// Download URLs, repository URIs and proxy endpoints point at the server that answered, and
// download URLs are presigned with that server's own key: only the port and the signature differ.
function normalise(output: unknown, url: string): unknown {
  const host = new URL(url).host;
  if (typeof output === 'string') {
    return output.includes(host) ? output.replaceAll(host, '{server}').replace(/X-Amz-Signature=[0-9a-f]{64}/, 'X-Amz-Signature={signature}') : output;
  }
  if (Array.isArray(output)) return output.map((v) => normalise(v, url));
  if (typeof output !== 'object' || output === null || output instanceof Date || output instanceof Uint8Array) return output;
  return Object.fromEntries(Object.entries(output).map(([k, v]) => [k, normalise(v, url)]));
}

/**
 * Two HTTP transports, the same server behaviour, the same answers: every scenario of the
 * contract runs against two simulation servers with identical registries (same seed, same
 * clock), one per transport, and the outputs must be deep-equal (`toStrictEqual`: same
 * `Date`s, same absent fields, no stray `undefined`) and the errors equal in kind, code,
 * status and category.
 */
export function describeTransportParity(a: [name: string, make: MakeTransport], b: [name: string, make: MakeTransport]): void {
  describe(`Transport parity: ${a[0]} and ${b[0]}`, () => {
    const start = Math.floor(Date.now() / 1000) * 1000;
    const sides: Side[] = [];

    beforeAll(async () => {
      for (const [, make] of [a, b]) {
        const registry = new SimulatedRegistry({ clock: new ManualClock(start), seed: 7 });
        const server = await startSimulationServer({ registry, verifySignatures: true, credentials: [contractCredentials] });
        const config = ecrConfig()
          .region(contractRegion)
          .endpointUrl(server.url)
          .auth({ type: 'static', ...contractCredentials })
          .build();
        const transport = await make({ url: server.url, registry, credentials: { ...contractCredentials }, config });
        sides.push({ registry, server, transport });
      }
    });
    afterAll(async () => {
      for (const side of sides) {
        await side.transport.destroy?.();
        await side.server.close();
      }
    });
    beforeEach(() => {
      for (const side of sides) side.registry.reset();
    });

    async function outcome(side: Side, api: Api, operation: string, setup: Scenario['setup']): Promise<Outcome> {
      const input = setup(side.registry);
      try {
        const output = await side.transport.send({ api, operation: operation as never, input: input as never, region: contractRegion });
        return { ok: true, output: normalise(output, side.server.url) };
      } catch (err) {
        if (!isEcrError(err)) throw err;
        const { kind, awsCode, statusCode, category, operation: op, region } = err;
        return { ok: false, error: { kind, awsCode, statusCode, category, operation: op, region, hasRequestId: typeof err.requestId === 'string' } };
      }
    }

    async function both(api: Api, operation: string, setup: Scenario['setup'], prepare?: (registry: SimulatedRegistry) => void): Promise<[Outcome, Outcome]> {
      const results: Outcome[] = [];
      for (const side of sides) {
        prepare?.(side.registry);
        results.push(await outcome(side, api, operation, setup));
      }
      return [results[0]!, results[1]!];
    }

    for (const api of ['ecr', 'ecr-public'] as const) {
      for (const operation of operationNames(api)) {
        const scenario = operationScenarios[api][operation];
        if (!scenario) continue;
        it(`${api} ${operation}: deep-equal outputs`, async () => {
          const [left, right] = await both(api, operation, scenario.setup);
          expect(left.ok).toBe(true);
          expect(right).toStrictEqual(left);
        });
      }
    }

    it('DescribeImageScanFindings with enhanced findings: deep-equal outputs', async () => {
      const [left, right] = await both('ecr', 'DescribeImageScanFindings', (r) => {
        r.addImage('web-app', { tags: ['v1'] });
        r.withScanFindings('web-app', 'v1', { critical: 2, high: 3, medium: 1, low: 1, informational: 1 }, { enhanced: true });
        return { repositoryName: 'web-app', imageId: { imageTag: 'v1' } };
      });
      expect(left.ok && ((left.output as { imageScanFindings: { enhancedFindings?: unknown[] } }).imageScanFindings.enhancedFindings?.length ?? 0) > 0).toBe(
        true,
      );
      expect(right).toStrictEqual(left);
    });

    for (const s of errorScenarios) {
      it(`${s.api} ${s.operation}: ${s.name}: equal errors`, async () => {
        const [left, right] = await both(s.api, s.operation, s.setup);
        expect(left.ok).toBe(false);
        expect(right).toStrictEqual(left);
      });
    }

    for (const s of serviceScenarios) {
      it(`service ${s.name}: deep-equal results`, async () => {
        const [left, right] = [
          await runServiceScenario(s, sides[0]!.registry, sides[0]!.transport),
          await runServiceScenario(s, sides[1]!.registry, sides[1]!.transport),
        ];
        expect(right).toStrictEqual(left);
      });
    }

    const faults: FaultKind[] = ['malformed-body', 'truncated-body', 'html-502', 'wrong-content-type', 'drop-connection'];
    for (const fault of faults) {
      it(`${fault}: equal errors`, async () => {
        const [left, right] = await both(
          'ecr',
          'DescribeImages',
          () => ({ repositoryName: 'web-app' }),
          (r) => r.withRepository('web-app').withErrorInjection({ operation: 'DescribeImages', fault, times: 1 }),
        );
        expect(left.ok).toBe(false);
        expect(right).toStrictEqual(left);
      });
    }
  });
}
