// @ecrkit/transport-sigv4: the public surface. Each name below is reviewed; no `export *`.
// The public types use Node's (@types/node is a dependency); `preserve` keeps this line in the declarations.
/// <reference types="node" preserve="true" />

/** Create the SigV4 transport: AWS JSON 1.1 over undici keep-alive pools, signed by hand. */
export { createSigV4Transport } from './createSigV4Transport.js';
/** Options of `createSigV4Transport` (dispatcher, credentials, clock, response size limit), and the transport it returns. */
export type { SigV4TransportOptions, SigV4Transport } from './createSigV4Transport.js';
/** Credentials as AWS SDK credential providers return them, and such a provider. */
export type { AwsCredentials, AwsCredentialsProvider } from '@ecrkit/core-types';
