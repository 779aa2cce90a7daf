// @ecrkit/transport-sdk: the public surface. Each name below is reviewed; no `export *`.
// The public types use Node's (@types/node is a dependency); `preserve` keeps this line in the declarations.
/// <reference types="node" preserve="true" />

/** Create the AWS SDK v3 transport: ECRClient / ECRPUBLICClient per region, SDK retries off. */
export { createSdkTransport } from './createSdkTransport.js';
/** Options of `createSdkTransport` (SDK retries, client options, credentials), and the transport it returns. */
export type { SdkTransportOptions, SdkTransport } from './createSdkTransport.js';
/** Credentials as the AWS SDK takes them, and a provider of them. */
export type { AwsCredentials, AwsCredentialsProvider } from '@ecrkit/core-types';
