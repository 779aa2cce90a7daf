// @ecrkit/services/pin: digest pinning of deploy artifacts. A subpath of its own because it
// brings the `yaml` parser, which the main entry's users need not load.

/** Parse a Kubernetes manifest, ECS task definition or Lambda configuration and find its image references (no I/O). */
export { parseDeployFile, DeployFileFormat } from './deployFile.js';
export type { DeployFile, ImageSite } from './deployFile.js';
/** Pin the ECR image references of deploy files to digests, refusing images that do not exist, fail the gate or cannot run there. */
export { pinDeployFiles, PinStatus } from './pinDeployFiles.js';
export type { PinOptions, PinResult, PinFileResult, PinnedReference, PullSecretNeed, RegistryLocation } from './pinDeployFiles.js';
