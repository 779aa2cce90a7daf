// Garbage in, EcrError out: every export of @ecrkit/transport-sigv4, and send() of a built transport fed
// garbage requests (a closed local port as the endpoint: nothing leaves the machine).
import { ecrConfig } from '@ecrkit/core-types';
import { describeGarbageArguments, describeGarbageRequests } from '@ecrkit/test-utils';
import { createSigV4Transport } from '../src/createSigV4Transport.js';
import * as exported from '../src/index.js';

describeGarbageArguments('@ecrkit/transport-sigv4', exported);
describeGarbageRequests('@ecrkit/transport-sigv4', () =>
  createSigV4Transport(
    ecrConfig()
      .region('us-east-1')
      .endpointUrl('http://127.0.0.1:9')
      .auth({ type: 'static', accessKeyId: 'AKIDGARBAGE', secretAccessKey: 'garbage-secret' })
      .maxRetries(0)
      .build(),
  ),
);
