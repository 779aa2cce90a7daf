// Generated from the Amazon Elastic Container Registry Public service model (2020-10-30).
// Do not edit by hand: shapes follow the ECR API reference exactly; timestamps are Date, blobs Uint8Array.

export interface BatchCheckLayerAvailabilityRequest {
  /** The Amazon Web Services account ID, or registry alias, associated with the public registry that contains the image layers to check. */
  registryId?: string;
  /** The name of the repository that's associated with the image layers to check. */
  repositoryName: string;
  /** The digests of the image layers to check. */
  layerDigests: string[];
}

export const LayerAvailability = {
  AVAILABLE: 'AVAILABLE',
  UNAVAILABLE: 'UNAVAILABLE',
} as const;
export type LayerAvailability = (typeof LayerAvailability)[keyof typeof LayerAvailability];

/** An object that represents an Amazon ECR image layer. */
export interface Layer {
  /** The sha256 digest of the image layer. */
  layerDigest?: string;
  /** The availability status of the image layer. */
  layerAvailability?: LayerAvailability;
  /** The size, in bytes, of the image layer. */
  layerSize?: number;
  /** The media type of the layer, such as application/vnd.docker.image.rootfs.diff.tar.gzip or application/vnd.oci.image.layer.v1.tar+gzip. */
  mediaType?: string;
}

export const LayerFailureCode = {
  InvalidLayerDigest: 'InvalidLayerDigest',
  MissingLayerDigest: 'MissingLayerDigest',
} as const;
export type LayerFailureCode = (typeof LayerFailureCode)[keyof typeof LayerFailureCode];

/** An object that represents an Amazon ECR image layer failure. */
export interface LayerFailure {
  /** The layer digest that's associated with the failure. */
  layerDigest?: string;
  /** The failure code that's associated with the failure. */
  failureCode?: LayerFailureCode;
  /** The reason for the failure. */
  failureReason?: string;
}

export interface BatchCheckLayerAvailabilityResponse {
  /** A list of image layer objects that correspond to the image layer references in the request. */
  layers?: Layer[];
  /** Any failures associated with the call. */
  failures?: LayerFailure[];
}

/** An object with identifying information for an Amazon ECR image. */
export interface ImageIdentifier {
  /** The sha256 digest of the image manifest. */
  imageDigest?: string;
  /** The tag that's used for the image. */
  imageTag?: string;
}

export interface BatchDeleteImageRequest {
  /** The Amazon Web Services account ID, or registry alias, that's associated with the registry that contains the image to delete. */
  registryId?: string;
  /** The repository in a public registry that contains the image to delete. */
  repositoryName: string;
  /** A list of image ID references that correspond to images to delete. */
  imageIds: ImageIdentifier[];
}

export const ImageFailureCode = {
  InvalidImageDigest: 'InvalidImageDigest',
  InvalidImageTag: 'InvalidImageTag',
  ImageTagDoesNotMatchDigest: 'ImageTagDoesNotMatchDigest',
  ImageNotFound: 'ImageNotFound',
  MissingDigestAndTag: 'MissingDigestAndTag',
  ImageReferencedByManifestList: 'ImageReferencedByManifestList',
  KmsError: 'KmsError',
} as const;
export type ImageFailureCode = (typeof ImageFailureCode)[keyof typeof ImageFailureCode];

/** An object that represents an Amazon ECR image failure. */
export interface ImageFailure {
  /** The image ID that's associated with the failure. */
  imageId?: ImageIdentifier;
  /** The code that's associated with the failure. */
  failureCode?: ImageFailureCode;
  /** The reason for the failure. */
  failureReason?: string;
}

export interface BatchDeleteImageResponse {
  /** The image IDs of the deleted images. */
  imageIds?: ImageIdentifier[];
  /** Any failures associated with the call. */
  failures?: ImageFailure[];
}

export interface CompleteLayerUploadRequest {
  /** The Amazon Web Services account ID, or registry alias, associated with the registry where layers are uploaded. */
  registryId?: string;
  /** The name of the repository in a public registry to associate with the image layer. */
  repositoryName: string;
  /** The upload ID from a previous InitiateLayerUpload operation to associate with the image layer. */
  uploadId: string;
  /** The sha256 digest of the image layer. */
  layerDigests: string[];
}

export interface CompleteLayerUploadResponse {
  /** The public registry ID that's associated with the request. */
  registryId?: string;
  /** The repository name that's associated with the request. */
  repositoryName?: string;
  /** The upload ID that's associated with the layer. */
  uploadId?: string;
  /** The sha256 digest of the image layer. */
  layerDigest?: string;
}

/** An object that contains the catalog data for a repository. */
export interface RepositoryCatalogDataInput {
  /** A short description of the contents of the repository. */
  description?: string;
  /** The system architecture that the images in the repository are compatible with. */
  architectures?: string[];
  /** The operating systems that the images in the repository are compatible with. */
  operatingSystems?: string[];
  /** The base64-encoded repository logo payload. */
  logoImageBlob?: Uint8Array;
  /** A detailed description of the contents of the repository. */
  aboutText?: string;
  /** Detailed information about how to use the contents of the repository. */
  usageText?: string;
}

/** The metadata that you apply to a resource to help you categorize and organize them. */
export interface Tag {
  /** One part of a key-value pair that make up a tag. */
  Key?: string;
  /** The optional part of a key-value pair that make up a tag. */
  Value?: string;
}

export interface CreateRepositoryRequest {
  /** The name to use for the repository. */
  repositoryName: string;
  /** The details about the repository that are publicly visible in the Amazon ECR Public Gallery. */
  catalogData?: RepositoryCatalogDataInput;
  /** The metadata that you apply to each repository to help categorize and organize your repositories. */
  tags?: Tag[];
}

/** An object representing a repository. */
export interface Repository {
  /** The Amazon Resource Name (ARN) that identifies the repository. */
  repositoryArn?: string;
  /** The Amazon Web Services account ID that's associated with the public registry that contains the repository. */
  registryId?: string;
  /** The name of the repository. */
  repositoryName?: string;
  /** The URI for the repository. */
  repositoryUri?: string;
  /** The date and time, in JavaScript date format, when the repository was created. */
  createdAt?: Date;
}

/** The catalog data for a repository. */
export interface RepositoryCatalogData {
  /** The short description of the repository. */
  description?: string;
  /** The architecture tags that are associated with the repository. */
  architectures?: string[];
  /** The operating system tags that are associated with the repository. */
  operatingSystems?: string[];
  /** The URL that contains the logo that's associated with the repository. */
  logoUrl?: string;
  /** The longform description of the contents of the repository. */
  aboutText?: string;
  /** The longform usage details of the contents of the repository. */
  usageText?: string;
  /** Indicates whether the repository is certified by Amazon Web Services Marketplace. */
  marketplaceCertified?: boolean;
}

export interface CreateRepositoryResponse {
  /** The repository that was created. */
  repository?: Repository;
  catalogData?: RepositoryCatalogData;
}

export interface DeleteRepositoryRequest {
  /** The Amazon Web Services account ID that's associated with the public registry that contains the repository to delete. */
  registryId?: string;
  /** The name of the repository to delete. */
  repositoryName: string;
  /** The force option can be used to delete a repository that contains images. */
  force?: boolean;
}

export interface DeleteRepositoryResponse {
  /** The repository that was deleted. */
  repository?: Repository;
}

export interface DescribeImageTagsRequest {
  /** The Amazon Web Services account ID that's associated with the public registry that contains the repository where images are described. */
  registryId?: string;
  /** The name of the repository that contains the image tag details to describe. */
  repositoryName: string;
  /** The nextToken value that's returned from a previous paginated DescribeImageTags request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of repository results that's returned by DescribeImageTags in paginated output. */
  maxResults?: number;
}

/** An object that describes the image tag details that are returned by a DescribeImageTags action. */
export interface ReferencedImageDetail {
  /** The sha256 digest of the image manifest. */
  imageDigest?: string;
  /** The size, in bytes, of the image in the repository. */
  imageSizeInBytes?: number;
  /** The date and time, expressed in standard JavaScript date format, which the current image tag was pushed to the repository at. */
  imagePushedAt?: Date;
  /** The media type of the image manifest. */
  imageManifestMediaType?: string;
  /** The artifact media type of the image. */
  artifactMediaType?: string;
}

/** An object that represents the image tag details for an image. */
export interface ImageTagDetail {
  /** The tag that's associated with the image. */
  imageTag?: string;
  /** The time stamp that indicates when the image tag was created. */
  createdAt?: Date;
  /** An object that describes the details of an image. */
  imageDetail?: ReferencedImageDetail;
}

export interface DescribeImageTagsResponse {
  /** The image tag details for the images in the requested repository. */
  imageTagDetails?: ImageTagDetail[];
  /** The nextToken value to include in a future DescribeImageTags request. */
  nextToken?: string;
}

export interface DescribeImagesRequest {
  /** The Amazon Web Services account ID that's associated with the public registry that contains the repository where images are described. */
  registryId?: string;
  /** The repository that contains the images to describe. */
  repositoryName: string;
  /** The list of image IDs for the requested repository. */
  imageIds?: ImageIdentifier[];
  /** The nextToken value that's returned from a previous paginated DescribeImages request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of repository results that's returned by DescribeImages in paginated output. */
  maxResults?: number;
}

/** An object that describes an image that's returned by a DescribeImages operation. */
export interface ImageDetail {
  /** The Amazon Web Services account ID that's associated with the public registry where this image belongs. */
  registryId?: string;
  /** The name of the repository where this image belongs. */
  repositoryName?: string;
  /** The sha256 digest of the image manifest. */
  imageDigest?: string;
  /** The list of tags that's associated with this image. */
  imageTags?: string[];
  /** The size, in bytes, of the image in the repository. */
  imageSizeInBytes?: number;
  /** The date and time, expressed in standard JavaScript date format, that the current image was pushed to the repository at. */
  imagePushedAt?: Date;
  /** The media type of the image manifest. */
  imageManifestMediaType?: string;
  /** The artifact media type of the image. */
  artifactMediaType?: string;
}

export interface DescribeImagesResponse {
  /** A list of ImageDetail objects that contain data about the image. */
  imageDetails?: ImageDetail[];
  /** The nextToken value to include in a future DescribeImages request. */
  nextToken?: string;
}

export interface DescribeRegistriesRequest {
  /** The nextToken value that's returned from a previous paginated DescribeRegistries request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of repository results that's returned by DescribeRegistries in paginated output. */
  maxResults?: number;
}

export const RegistryAliasStatus = {
  ACTIVE: 'ACTIVE',
  PENDING: 'PENDING',
  REJECTED: 'REJECTED',
} as const;
export type RegistryAliasStatus = (typeof RegistryAliasStatus)[keyof typeof RegistryAliasStatus];

/** An object representing the aliases for a public registry. */
export interface RegistryAlias {
  /** The name of the registry alias. */
  name: string;
  /** The status of the registry alias. */
  status: RegistryAliasStatus;
  /** Indicates whether the registry alias is the primary alias for the registry. */
  primaryRegistryAlias: boolean;
  /** Indicates whether the registry alias is the default alias for the registry. */
  defaultRegistryAlias: boolean;
}

/** The details of a public registry. */
export interface Registry {
  /** The Amazon Web Services account ID that's associated with the registry. */
  registryId: string;
  /** The Amazon Resource Name (ARN) of the public registry. */
  registryArn: string;
  /** The URI of a public registry. */
  registryUri: string;
  /** Indicates whether the account is a verified Amazon Web Services Marketplace vendor. */
  verified: boolean;
  /** An array of objects that represents the aliases for a public registry. */
  aliases: RegistryAlias[];
}

export interface DescribeRegistriesResponse {
  /** An object that contains the details for a public registry. */
  registries: Registry[];
  /** The nextToken value to include in a future DescribeRepositories request. */
  nextToken?: string;
}

export interface DescribeRepositoriesRequest {
  /** The Amazon Web Services account ID that's associated with the registry that contains the repositories to be described. */
  registryId?: string;
  /** A list of repositories to describe. */
  repositoryNames?: string[];
  /** The nextToken value that's returned from a previous paginated DescribeRepositories request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of repository results that's returned by DescribeRepositories in paginated output. */
  maxResults?: number;
}

export interface DescribeRepositoriesResponse {
  /** A list of repository objects corresponding to valid repositories. */
  repositories?: Repository[];
  /** The nextToken value to include in a future DescribeRepositories request. */
  nextToken?: string;
}

export interface GetAuthorizationTokenRequest {
}

/** An authorization token data object that corresponds to a public registry. */
export interface AuthorizationData {
  /** A base64-encoded string that contains authorization data for a public Amazon ECR registry. */
  authorizationToken?: string;
  /** The Unix time in seconds and milliseconds when the authorization token expires. */
  expiresAt?: Date;
}

export interface GetAuthorizationTokenResponse {
  /** An authorization token data object that corresponds to a public registry. */
  authorizationData?: AuthorizationData;
}

export interface GetRegistryCatalogDataRequest {
}

/** The metadata for a public registry. */
export interface RegistryCatalogData {
  /** The display name for a public registry. */
  displayName?: string;
}

export interface GetRegistryCatalogDataResponse {
  /** The catalog metadata for the public registry. */
  registryCatalogData: RegistryCatalogData;
}

export interface GetRepositoryCatalogDataRequest {
  /** The Amazon Web Services account ID that's associated with the registry that contains the repositories to be described. */
  registryId?: string;
  /** The name of the repository to retrieve the catalog metadata for. */
  repositoryName: string;
}

export interface GetRepositoryCatalogDataResponse {
  /** The catalog metadata for the repository. */
  catalogData?: RepositoryCatalogData;
}

export interface InitiateLayerUploadRequest {
  /** The Amazon Web Services account ID, or registry alias, that's associated with the registry to which you intend to upload layers. */
  registryId?: string;
  /** The name of the repository that you want to upload layers to. */
  repositoryName: string;
}

export interface InitiateLayerUploadResponse {
  /** The upload ID for the layer upload. */
  uploadId?: string;
  /** The size, in bytes, that Amazon ECR expects future layer part uploads to be. */
  partSize?: number;
}

export interface PutImageRequest {
  /** The Amazon Web Services account ID, or registry alias, that's associated with the public registry that contains the repository where the image is put. */
  registryId?: string;
  /** The name of the repository where the image is put. */
  repositoryName: string;
  /** The image manifest that corresponds to the image to be uploaded. */
  imageManifest: string;
  /** The media type of the image manifest. */
  imageManifestMediaType?: string;
  /** The tag to associate with the image. */
  imageTag?: string;
  /** The image digest of the image manifest that corresponds to the image. */
  imageDigest?: string;
}

/** An object that represents an Amazon ECR image. */
export interface Image {
  /** The Amazon Web Services account ID that's associated with the registry containing the image. */
  registryId?: string;
  /** The name of the repository that's associated with the image. */
  repositoryName?: string;
  /** An object that contains the image tag and image digest associated with an image. */
  imageId?: ImageIdentifier;
  /** The image manifest that's associated with the image. */
  imageManifest?: string;
  /** The manifest media type of the image. */
  imageManifestMediaType?: string;
}

export interface PutImageResponse {
  /** Details of the image uploaded. */
  image?: Image;
}

export interface PutRepositoryCatalogDataRequest {
  /** The Amazon Web Services account ID that's associated with the public registry the repository is in. */
  registryId?: string;
  /** The name of the repository to create or update the catalog data for. */
  repositoryName: string;
  /** An object containing the catalog data for a repository. */
  catalogData: RepositoryCatalogDataInput;
}

export interface PutRepositoryCatalogDataResponse {
  /** The catalog data for the repository. */
  catalogData?: RepositoryCatalogData;
}

export interface UploadLayerPartRequest {
  /** The Amazon Web Services account ID, or registry alias, that's associated with the registry that you're uploading layer parts to. */
  registryId?: string;
  /** The name of the repository that you're uploading layer parts to. */
  repositoryName: string;
  /** The upload ID from a previous InitiateLayerUpload operation to associate with the layer part upload. */
  uploadId: string;
  /** The position of the first byte of the layer part witin the overall image layer. */
  partFirstByte: number;
  /** The position of the last byte of the layer part within the overall image layer. */
  partLastByte: number;
  /** The base64-encoded layer part payload. */
  layerPartBlob: Uint8Array;
}

export interface UploadLayerPartResponse {
  /** The registry ID that's associated with the request. */
  registryId?: string;
  /** The repository name that's associated with the request. */
  repositoryName?: string;
  /** The upload ID that's associated with the request. */
  uploadId?: string;
  /** The integer value of the last byte that's received in the request. */
  lastByteReceived?: number;
}

/** Every ecr-public operation ecrkit speaks, with its input and output shapes. */
export interface EcrPublicOperations {
  BatchCheckLayerAvailability: { input: BatchCheckLayerAvailabilityRequest; output: BatchCheckLayerAvailabilityResponse };
  BatchDeleteImage: { input: BatchDeleteImageRequest; output: BatchDeleteImageResponse };
  CompleteLayerUpload: { input: CompleteLayerUploadRequest; output: CompleteLayerUploadResponse };
  CreateRepository: { input: CreateRepositoryRequest; output: CreateRepositoryResponse };
  DeleteRepository: { input: DeleteRepositoryRequest; output: DeleteRepositoryResponse };
  DescribeImageTags: { input: DescribeImageTagsRequest; output: DescribeImageTagsResponse };
  DescribeImages: { input: DescribeImagesRequest; output: DescribeImagesResponse };
  DescribeRegistries: { input: DescribeRegistriesRequest; output: DescribeRegistriesResponse };
  DescribeRepositories: { input: DescribeRepositoriesRequest; output: DescribeRepositoriesResponse };
  GetAuthorizationToken: { input: GetAuthorizationTokenRequest; output: GetAuthorizationTokenResponse };
  GetRegistryCatalogData: { input: GetRegistryCatalogDataRequest; output: GetRegistryCatalogDataResponse };
  GetRepositoryCatalogData: { input: GetRepositoryCatalogDataRequest; output: GetRepositoryCatalogDataResponse };
  InitiateLayerUpload: { input: InitiateLayerUploadRequest; output: InitiateLayerUploadResponse };
  PutImage: { input: PutImageRequest; output: PutImageResponse };
  PutRepositoryCatalogData: { input: PutRepositoryCatalogDataRequest; output: PutRepositoryCatalogDataResponse };
  UploadLayerPart: { input: UploadLayerPartRequest; output: UploadLayerPartResponse };
}
