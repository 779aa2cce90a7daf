import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { inspect } from 'node:util';
import { join } from 'node:path';
import {
  ManualClock,
  ecrConfig,
  isEcrError,
  operationNames,
  type Api,
  type AuthInput,
  type EcrConfig,
  type EcrError,
  type Transport,
} from '@ecrkit/core-types';
import { SimulatedRegistry, startSimulationServer, type FaultKind } from '@ecrkit/simulation';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contractRegion, errorScenarios, injectedErrorScenarios, operationScenarios } from './scenarios.js';
import { runServiceScenario, serviceScenarios } from './serviceScenarios.js';

/** The key pair the contract's simulation server accepts. */
export const contractCredentials = { accessKeyId: 'AKIDECRKITCONTRACT01', secretAccessKey: 'contract-secret-key-0123456789abcdefghij' } as const;

/** What a transport under test is built from. */
export interface TransportContractContext {
  /** The simulation server's URL. */
  url: string;
  /** The registry behind the server (and behind an in-process transport). */
  registry: SimulatedRegistry;
  /** The key pair to sign with (deliberately wrong in the signature test). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /**
   * The configuration to honour: static auth with `credentials`, `endpointUrl` = `url`,
   * region us-east-1 (a transport reads only its auth and endpoint settings).
   */
  config: EcrConfig;
}

/** Options of {@link describeTransportContract}. */
export interface TransportContractOptions {
  /**
   * `http` (default): the transport talks to the server at `ctx.url` and every check runs.
   * `in-process`: a transport over `ctx.registry` directly (the simulation's own reference); the
   * checks that need a wire (signatures, refused connections, status codes, request ids) are skipped.
   */
  face?: 'http' | 'in-process';
}

/** Build a transport for the contract. */
export type MakeTransport = (ctx: TransportContractContext) => Transport | Promise<Transport>;

interface ConfigExtras {
  sessionToken?: string;
  auth?: AuthInput;
}

function configFor(url: string, credentials: { accessKeyId: string; secretAccessKey: string }, extra: ConfigExtras = {}): EcrConfig {
  return ecrConfig()
    .region(contractRegion)
    .endpointUrl(url)
    .auth(
      extra.auth ?? {
        type: 'static',
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(extra.sessionToken ? { sessionToken: extra.sessionToken } : {}),
      },
    )
    .build();
}

async function failure(promise: Promise<unknown>): Promise<EcrError> {
  try {
    await promise;
  } catch (err) {
    if (isEcrError(err)) return err;
    throw new Error(`expected an EcrError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  throw new Error('expected the call to fail');
}

/** Wait (in real time, a few ms per turn) until the registry is sleeping on its clock: the call is mid-flight. */
async function untilSleeping(clock: ManualClock): Promise<void> {
  for (let i = 0; i < 2000 && clock.pending === 0; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (clock.pending === 0) throw new Error('the call never reached the registry');
}

/**
 * The shared transport contract: one suite every transport must pass, run against the
 * simulation's HTTP server with SigV4 verification on. Covers every operation of both APIs,
 * every error code the registry answers with (equal kinds, codes and statuses), injected
 * throttling, 500s, malformed, truncated and HTML bodies, wrong content types, dropped
 * connections, aborts before and during a call (the pipeline's timeout step cancels an attempt
 * through the same signal), a wrong secret key and the ECR Public signing region. Read-only
 * configs and deadlines are the pipeline's decisions, not a transport's: the client's tests
 * check them.
 *
 * @example
 * describeTransportContract('sigv4', ({ config }) => createSigV4Transport(config));
 * describeTransportContract('in-process', ({ registry }) => createSimulatedTransport(registry), { face: 'in-process' });
 */
export function describeTransportContract(name: string, makeTransport: MakeTransport, options: TransportContractOptions = {}): void {
  const http = (options.face ?? 'http') === 'http';
  const itHttp = http ? it : it.skip;

  describe(`Transport contract: ${name}`, () => {
    // The registry sleeps injected latency on a manual clock, so a "slow" call hangs until the
    // test releases it; the server checks signature dates against the same clock.
    const clock = new ManualClock(Date.now());
    const registry = new SimulatedRegistry({ clock });
    let server: { url: string; close(): Promise<void> };
    let transport: Transport;
    const extra: Transport[] = [];

    const context = (overrides: ConfigExtras & { credentials?: { accessKeyId: string; secretAccessKey: string } } = {}): TransportContractContext => {
      const credentials = overrides.credentials ?? { ...contractCredentials };
      return { url: server.url, registry, credentials, config: configFor(server.url, credentials, overrides) };
    };
    const another = async (overrides: Parameters<typeof context>[0]): Promise<Transport> => {
      const t = await makeTransport(context(overrides));
      extra.push(t);
      return t;
    };
    const send = (api: Api, operation: string, input: unknown, t: Transport = transport, signal?: AbortSignal) =>
      t.send({ api, operation: operation as never, input: input as never, region: contractRegion, ...(signal ? { signal } : {}) }) as Promise<
        Record<string, unknown>
      >;

    beforeAll(async () => {
      server = await startSimulationServer({ registry, verifySignatures: true, credentials: [contractCredentials] });
      transport = await makeTransport(context());
    });
    afterAll(async () => {
      await transport?.destroy?.();
      await server?.close();
    });
    beforeEach(() => {
      registry.reset();
    });
    afterEach(async () => {
      registry.clearLatencyInjection();
      // Release any call still sleeping on the registry's clock. Only then: the server checks
      // signature dates against this clock, so it must stay within minutes of real time.
      if (clock.pending > 0) await clock.advance(60_000);
      await Promise.all(extra.splice(0).map((t) => t.destroy?.()));
    });

    describe('every operation succeeds', () => {
      for (const api of ['ecr', 'ecr-public'] as const) {
        it(`${api}: has a scenario for every operation of the table`, () => {
          expect(operationNames(api).filter((op) => !Object.hasOwn(operationScenarios[api], op))).toEqual([]);
        });
        for (const operation of operationNames(api)) {
          const scenario = operationScenarios[api][operation];
          if (!scenario) continue;
          it(`${api} ${operation}`, async () => {
            const input = scenario.setup(registry);
            const output = await send(api, operation, input);
            expect(typeof output).toBe('object');
            expect(output).not.toHaveProperty('$metadata');
            scenario.check?.(output);
            expect(registry.getOperationHistory({ api, operation, outcome: 'success' })).toHaveLength(1);
          });
        }
      }
    });

    describe('service errors map to the same kinds', () => {
      for (const s of errorScenarios) {
        it(`${s.api} ${s.operation}: ${s.name} -> ${s.kind}`, async () => {
          const err = await failure(send(s.api, s.operation, s.setup(registry)));
          expect({ kind: err.kind, awsCode: err.awsCode, operation: err.operation, region: err.region }).toEqual({
            kind: s.kind,
            awsCode: s.awsCode,
            operation: s.operation,
            region: contractRegion,
          });
          expect(err.message.length).toBeGreaterThan(0);
          if (http) {
            expect(err.statusCode).toBe(s.statusCode);
            expect(err.requestId).toMatch(/\S/);
          }
        });
      }

      for (const s of injectedErrorScenarios) {
        it(`injected ${s.error} -> ${s.kind}`, async () => {
          registry.withRepository('web-app').withErrorInjection({ operation: 'DescribeImages', error: s.error, times: 1 });
          const err = await failure(send('ecr', 'DescribeImages', { repositoryName: 'web-app' }));
          expect({ kind: err.kind, awsCode: err.awsCode, retryable: err.retryable }).toEqual({ kind: s.kind, awsCode: s.awsCode, retryable: s.retryable });
          if (http) expect(err.statusCode).toBe(s.statusCode);
          await expect(send('ecr', 'DescribeImages', { repositoryName: 'web-app' })).resolves.toHaveProperty('imageDetails');
        });
      }

      it('a throttling burst fails exactly the first calls, retryably', async () => {
        registry.withRepository('web-app').withErrorInjection({ operation: 'DescribeRepositories', throttlingBurst: { calls: 2 } });
        const first = await failure(send('ecr', 'DescribeRepositories', {}));
        const second = await failure(send('ecr', 'DescribeRepositories', {}));
        expect([first.kind, second.kind, first.category]).toEqual(['Throttling', 'Throttling', 'retryable']);
        await expect(send('ecr', 'DescribeRepositories', {})).resolves.toHaveProperty('repositories');
      });
    });

    describe('service methods over this transport', () => {
      for (const s of serviceScenarios) {
        it(s.kind ? `${s.name} -> ${s.kind}` : s.name, async () => {
          await runServiceScenario(s, registry, transport);
        });
      }
    });

    describe('broken responses', () => {
      const faults: [FaultKind, string, number | undefined][] = [
        ['malformed-body', 'InvalidResponse', 200],
        ['truncated-body', 'InvalidResponse', 200],
        ['html-502', 'InvalidResponse', 502],
        ['wrong-content-type', 'InvalidResponse', 200],
        ['drop-connection', 'Network', undefined],
      ];
      for (const [fault, kind, status] of faults) {
        it(`${fault} -> ${kind}`, async () => {
          registry.withRepository('web-app').withErrorInjection({ operation: 'DescribeImages', fault, times: 1 });
          const err = await failure(send('ecr', 'DescribeImages', { repositoryName: 'web-app' }));
          expect({ kind: err.kind, operation: err.operation }).toEqual({ kind, operation: 'DescribeImages' });
          // Nothing of the body rides along, not even in a cause: bodies can hold tokens.
          expect(inspect(err, { depth: 10 })).not.toMatch(/imageDigest|<html>|Bad Gateway/);
          if (http) {
            expect(err.statusCode).toBe(status);
            if (status !== undefined) expect(err.requestId).toMatch(/\S/);
          }
          // The transport recovers: the next call on the same transport succeeds.
          await expect(send('ecr', 'DescribeImages', { repositoryName: 'web-app' })).resolves.toHaveProperty('imageDetails');
        });
      }
    });

    describe('deadlines and aborts', () => {
      itHttp('a refused connection is a retryable Network error', async () => {
        const port = await new Promise<number>((resolve) => {
          const probe = createServer().listen(0, '127.0.0.1', () => {
            const { port } = probe.address() as { port: number };
            probe.close(() => resolve(port));
          });
        });
        const t = await makeTransport({ ...context(), config: configFor(`http://127.0.0.1:${port}`, { ...contractCredentials }) });
        extra.push(t);
        const err = await failure(send('ecr', 'DescribeRepositories', {}, t));
        expect({ kind: err.kind, retryable: err.retryable, statusCode: err.statusCode }).toEqual({ kind: 'Network', retryable: true, statusCode: undefined });
      });

      it('an already aborted signal is Aborted and sends nothing', async () => {
        const controller = new AbortController();
        controller.abort();
        const err = await failure(send('ecr', 'DescribeRepositories', {}, transport, controller.signal));
        expect({ kind: err.kind, retryable: err.retryable }).toEqual({ kind: 'Aborted', retryable: false });
        expect(registry.getOperationHistory()).toHaveLength(0);
      });

      it('aborting mid-request is Aborted, not Timeout or Network', async () => {
        registry.withRepository('web-app').withLatencyInjection({ operation: 'DescribeImages', ms: 60_000 });
        const controller = new AbortController();
        const pending = failure(send('ecr', 'DescribeImages', { repositoryName: 'web-app' }, transport, controller.signal));
        await untilSleeping(clock);
        controller.abort(new Error('user cancelled'));
        const err = await pending;
        expect({ kind: err.kind, retryable: err.retryable, operation: err.operation }).toEqual({
          kind: 'Aborted',
          retryable: false,
          operation: 'DescribeImages',
        });
      });
    });

    describe('signing and configuration', () => {
      itHttp('a wrong secret key is InvalidSignature, and the error holds no secret', async () => {
        const secret = 'wrong-secret-key-that-must-not-leak-000';
        const wrong = await another({ credentials: { accessKeyId: contractCredentials.accessKeyId, secretAccessKey: secret } });
        const err = await failure(send('ecr', 'DescribeRepositories', {}, wrong));
        expect({ kind: err.kind, awsCode: err.awsCode, category: err.category, statusCode: err.statusCode }).toEqual({
          kind: 'InvalidSignature',
          awsCode: 'InvalidSignatureException',
          category: 'credential',
          statusCode: 400,
        });
        expect(`${err.message} ${JSON.stringify(err)} ${err.stack ?? ''} ${inspect(err, { depth: 10, showHidden: false })}`).not.toContain(secret);
      });

      itHttp('an unknown access key is InvalidSignature (UnrecognizedClientException)', async () => {
        const unknown = await another({ credentials: { accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: contractCredentials.secretAccessKey } });
        const err = await failure(send('ecr', 'DescribeRepositories', {}, unknown));
        expect({ kind: err.kind, awsCode: err.awsCode }).toEqual({ kind: 'InvalidSignature', awsCode: 'UnrecognizedClientException' });
      });

      itHttp('a session token is sent and signed, and never shows in an error', async () => {
        const token = 'FwoGZXIvYXdzEXAMPLE//session+token==';
        const withToken = await another({ sessionToken: token });
        await expect(send('ecr', 'DescribeRepositories', {}, withToken)).resolves.toHaveProperty('repositories');
        const err = await failure(send('ecr', 'DescribeImages', { repositoryName: 'nope' }, withToken));
        expect(`${err.message} ${JSON.stringify(err)} ${inspect(err, { depth: 10 })}`).not.toContain(token);
      });

      itHttp('private ECR is signed for the request region', async () => {
        registry.withRepository('eu-app', { region: 'eu-west-1' });
        const out = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'eu-west-1' });
        expect(out.repositories?.map((r) => r.repositoryName)).toEqual(['eu-app']);
        expect(registry.getOperationHistory().map((e) => e.region)).toEqual(['eu-west-1']);
      });

      itHttp('ECR Public is signed for us-east-1 whatever the request region', async () => {
        registry.withRepository('public-app', { public: true });
        const out = await transport.send({ api: 'ecr-public', operation: 'DescribeRepositories', input: {}, region: 'eu-west-1' });
        expect(out.repositories?.map((r) => r.repositoryName)).toEqual(['public-app']);
        expect(registry.getOperationHistory().map((e) => e.region)).toEqual(['us-east-1']);
      });

      describe('credentials from config.auth', () => {
        const saved: Record<string, string | undefined> = {};
        let dir = '';
        const setEnv = (vars: Record<string, string>) => {
          for (const [k, v] of Object.entries(vars)) {
            if (!(k in saved)) saved[k] = process.env[k];
            process.env[k] = v;
          }
        };
        beforeEach(() => {
          dir = mkdtempSync(join(tmpdir(), 'ecrkit-contract-'));
          // Never reach for instance metadata, and never read the developer's own files.
          setEnv({ AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') });
          writeFileSync(join(dir, 'config'), '');
          writeFileSync(join(dir, 'credentials'), '');
        });
        afterEach(() => {
          for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
            delete saved[k];
          }
          rmSync(dir, { recursive: true, force: true });
        });

        itHttp('a named profile from the shared credentials file', async () => {
          writeFileSync(
            join(dir, 'credentials'),
            `[contract]\naws_access_key_id = ${contractCredentials.accessKeyId}\naws_secret_access_key = ${contractCredentials.secretAccessKey}\n`,
          );
          const t = await another({ auth: { type: 'profile', profile: 'contract' } });
          await expect(send('ecr', 'DescribeRepositories', {}, t)).resolves.toHaveProperty('repositories');
        });

        itHttp('the default provider chain (environment variables)', async () => {
          setEnv({ AWS_ACCESS_KEY_ID: contractCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: contractCredentials.secretAccessKey });
          const t = await another({ auth: { type: 'default' } });
          await expect(send('ecr', 'DescribeRepositories', {}, t)).resolves.toHaveProperty('repositories');
        });

        itHttp('a profile that does not exist is CredentialsUnavailable, and nothing is sent', async () => {
          const t = await another({ auth: { type: 'profile', profile: 'missing' } });
          const err = await failure(send('ecr', 'DescribeRepositories', {}, t));
          expect({ kind: err.kind, category: err.category, operation: err.operation }).toEqual({
            kind: 'CredentialsUnavailable',
            category: 'credential',
            operation: 'DescribeRepositories',
          });
          expect(registry.getOperationHistory()).toHaveLength(0);
        });

        itHttp('web identity with an unreadable token file is CredentialsUnavailable', async () => {
          const tokenFile = join(dir, 'no-such-token');
          const t = await another({ auth: { type: 'webIdentity', roleArn: `arn:aws:iam::123456789012:role/contract`, tokenFile } });
          const err = await failure(send('ecr', 'DescribeRepositories', {}, t));
          expect(err.kind).toBe('CredentialsUnavailable');
          expect(err.message).not.toContain(tokenFile);
        });
      });

      itHttp('a destroyed transport refuses to send, with an EcrError', async () => {
        const t = await another({});
        await expect(send('ecr', 'DescribeRepositories', {}, t)).resolves.toHaveProperty('repositories');
        await t.destroy?.();
        const err = await failure(send('ecr', 'DescribeRepositories', {}, t));
        expect(err.kind).toBe('Network');
      });
    });
  });
}
