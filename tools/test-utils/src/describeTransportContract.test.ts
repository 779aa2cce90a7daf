import { createSimulatedTransport } from '@ecrkit/simulation';
import { describeTransportContract } from './describeTransportContract.js';

// The reference: the simulation's in-process transport passes the contract's wire-independent
// checks, so a difference in an HTTP transport is the transport's, not the scenario's.
describeTransportContract('in-process reference', ({ registry }) => createSimulatedTransport(registry), { face: 'in-process' });
