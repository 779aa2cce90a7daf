// Garbage in, EcrError out: every export of @ecrkit/transport-sigv4, and send() of a built transport fed
// garbage requests, answer or fail with an EcrError only. The endpoint is a closed local port,
// so nothing garbage could describe ever leaves the machine.
import { ecrConfig, isEcrError } from '@ecrkit/core-types';
import { describeGarbageArguments, garbageArgument } from '@ecrkit/test-utils';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { createSigV4Transport } from '../src/createSigV4Transport.js';
import * as exported from '../src/index.js';

describeGarbageArguments('@ecrkit/transport-sigv4', exported);

describe('send() with a garbage request', () => {
  const transport = createSigV4Transport(
    ecrConfig()
      .region('us-east-1')
      .endpointUrl('http://127.0.0.1:9')
      .auth({ type: 'static', accessKeyId: 'AKIDGARBAGE', secretAccessKey: 'garbage-secret' })
      .maxRetries(0)
      .build(),
  );
  afterAll(() => transport.destroy());
  const request = fc.oneof(
    garbageArgument,
    fc.record(
      {
        api: fc.oneof(fc.constantFrom('ecr', 'ecr-public'), garbageArgument),
        operation: fc.oneof(fc.constantFrom('ListImages', 'PutImage', 'Nope'), garbageArgument),
        region: fc.oneof(fc.constant('us-east-1'), garbageArgument),
        input: garbageArgument,
      },
      { requiredKeys: [] },
    ),
  );
  test.prop([request], { numRuns: 150 })('rejects with an EcrError only', async (req) => {
    try {
      await transport.send(req as never);
    } catch (error) {
      expect(isEcrError(error), `send(${typeof req}) threw ${String(error)}`).toBe(true);
    }
  });
});
