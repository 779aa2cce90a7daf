import { describeTransportContract } from '@ecrkit/test-utils';
import { createSdkTransport } from '../src/index.js';

describeTransportContract('sdk', ({ config }) => createSdkTransport(config));
