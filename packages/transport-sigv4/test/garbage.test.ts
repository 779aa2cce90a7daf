// Garbage in, EcrError out: every export of @ecrkit/transport-sigv4, and send() of a built transport fed
// garbage requests (describeGarbageRequests points it at a closed local port: nothing leaves the machine).
import { describeGarbageArguments, describeGarbageRequests } from '@ecrkit/test-utils';
import { createSigV4Transport } from '../src/createSigV4Transport.js';
import * as exported from '../src/index.js';

describeGarbageArguments('@ecrkit/transport-sigv4', exported);
describeGarbageRequests('@ecrkit/transport-sigv4', createSigV4Transport);
