// @ecrkit/test-utils: test helpers shared across ecrkit packages. Private; not published.

/** Run the shared transport contract against a transport (HTTP faces against the simulation server). */
export { describeTransportContract, contractCredentials } from './describeTransportContract.js';
/** What a transport under test is built from, and the contract's options. */
export type { TransportContractContext, TransportContractOptions, MakeTransport } from './describeTransportContract.js';
/** Prove two HTTP transports return deep-equal outputs and equal errors for the same server behaviour. */
export { describeTransportParity } from './describeTransportParity.js';
/** The endpoint rules both transports follow, as concrete cases to check below the transport. */
export { endpointCases } from './endpointCases.js';
/** One endpoint case. */
export type { EndpointCase } from './endpointCases.js';
/** Extract the ```ts examples of a README and run one as a module beside it, capturing its console output. */
export { readmeExamples, runReadmeExample } from './readmeExamples.js';
/** One property test per export of a package: garbage arguments give an answer or an EcrError, never a TypeError. */
export { describeGarbage, describeGarbageArguments, describeGarbageRequests, garbageArgument, realArguments, release } from './describeGarbageArguments.js';
/** Build real images and multi-platform indexes as OCI image layouts in Node, and read their blobs back. */
export { writeOciLayout, readLayoutBlob } from './ociLayout.js';
/** What `writeOciLayout` builds and wrote. */
export type { LayoutImageSpec, LayoutManifest, WrittenLayout } from './ociLayout.js';
/** Independent clients for interop tests (skopeo, buildah, the AWS CLI, boto3): whether one is installed (required in CI), running it, and finding executables. */
/** A seeded random source for reproducible tests. */
export { seededRandom } from './seededRandom.js';
export { independentClientAvailable, independentClientPath, runIndependentClient, findExecutable } from './independentClients.js';
/** Which clients, and what a run printed and how it ended. */
export type { IndependentClientName, IndependentClientResult } from './independentClients.js';
