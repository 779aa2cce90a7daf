// Garbage in, EcrError out: every export of @ecrkit/transport-sdk, and send() of a built transport fed
// garbage requests (describeGarbageRequests points it at a closed local port: nothing leaves the machine).
import { describeGarbageArguments, describeGarbageRequests } from '@ecrkit/test-utils';
import { createSdkTransport } from '../src/createSdkTransport.js';
import * as exported from '../src/index.js';

describeGarbageArguments('@ecrkit/transport-sdk', exported);
describeGarbageRequests('@ecrkit/transport-sdk', createSdkTransport);
