// @ecrkit/simulation/server: the HTTP face of the simulated registry.
// The public types use Node's (@types/node is a dependency); `preserve` keeps this line in the declarations.
/// <reference types="node" preserve="true" />

/** Start an AWS JSON 1.1 server (private ECR and ECR Public) over a simulated registry. */
export { startSimulationServer } from './startSimulationServer.js';
/** Options, handle and the registry surface the server needs. */
export type { SimulationServer, SimulationServerOptions, ServedRegistry } from './startSimulationServer.js';
/** A face mounted on the server (`routes` option) and the request it answers. */
export type { ServerRoute, RouteExchange } from './ServerRoute.js';
/** Verify an AWS SigV4 `Authorization` header the way AWS does, with AWS's error codes and wording. */
export { verifySigV4, parseAuthorization } from './verifySigV4.js';
/** A key pair the server accepts, the request the verifier reads, and who signed it. */
export type { SigV4Credential, SigV4Request, SigV4Identity, SigV4Authorization, VerifySigV4Options } from './verifySigV4.js';
/** Presign a GET URL with SigV4 query authentication, and verify one as S3 does (expiry on the server's clock). */
export { presignUrl, verifyPresignedUrl } from './presignedUrl.js';
/** Options of {@link presignUrl} and {@link verifyPresignedUrl}. */
export type { PresignOptions, PresignedRequest, VerifyPresignedOptions } from './presignedUrl.js';
/** The error codes of the registry's `/v2/` face (the distribution spec's, with ECR's statuses). */
export { DistributionCode } from '../operations/distribution.js';
