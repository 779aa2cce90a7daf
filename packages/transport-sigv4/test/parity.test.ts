import { createSdkTransport } from '@ecrkit/transport-sdk';
import { describeTransportParity } from '@ecrkit/test-utils';
import { createSigV4Transport } from '../src/index.js';

describeTransportParity(['sdk', ({ config }) => createSdkTransport(config)], ['sigv4', ({ config }) => createSigV4Transport(config)]);
