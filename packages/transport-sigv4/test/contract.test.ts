import { describeTransportContract } from '@ecrkit/test-utils';
import { createSigV4Transport } from '../src/index.js';

describeTransportContract('sigv4', ({ config }) => createSigV4Transport(config));
