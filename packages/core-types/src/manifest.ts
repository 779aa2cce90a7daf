import { invalidParameter } from './EcrError.js';
import { JsonReader, own, parseJsonText, type Json, type JsonObject } from './internal/jsonDocument.js';
import type { Platform } from './platform.js';
import { isValidDigest } from './validation.js';

/** The manifest, index, config and layer media types ecrkit knows, as a const object. */
export const MediaType = {
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  DockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  OciLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  DockerManifestV1: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerManifestV1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;
/** One of the media types in {@link MediaType}. */
export type MediaType = (typeof MediaType)[keyof typeof MediaType];

/** A content descriptor (OCI image-spec `descriptor.md`). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** The config descriptor of an image manifest. */
export type ManifestConfig = Descriptor;
/** A layer descriptor of an image manifest. */
export type ManifestLayer = Descriptor;

/** An entry of a manifest list or image index. */
export interface PlatformManifest extends Descriptor {
  platform?: Platform;
}

/** A single-platform image manifest (Docker v2 schema 2 or OCI image manifest). */
export interface ImageManifest {
  kind: 'manifest';
  schemaVersion: 2;
  mediaType: string;
  config: ManifestConfig;
  layers: ManifestLayer[];
  subject?: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** A multi-platform manifest list (Docker) or image index (OCI). */
export interface ManifestList {
  kind: 'index';
  schemaVersion: 2;
  mediaType: string;
  manifests: PlatformManifest[];
  subject?: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** What {@link parseManifest} returns; switch on `kind`. */
export type ParsedManifest = ImageManifest | ManifestList;

/** ECR's `ImageManifest` limit (4 MiB of characters). */
const maxManifestLength = 4_194_304;
const field = 'imageManifest';

const manifestTypes: ReadonlySet<string> = new Set([MediaType.DockerManifest, MediaType.OciManifest]);
const indexTypes: ReadonlySet<string> = new Set([MediaType.DockerManifestList, MediaType.OciIndex]);
const schema1Types: ReadonlySet<string> = new Set([MediaType.DockerManifestV1, MediaType.DockerManifestV1Signed]);

const schema1Message =
  'Docker image manifest v2 schema 1 is not supported (deprecated by Docker and refused by current registries); ' +
  're-push the image with a current client to get schema 2 or OCI';

function unsupportedType(mediaType: string): never {
  const shown = mediaType.length <= 100 && /^[\x20-\x7e]*$/.test(mediaType) ? `'${mediaType}'` : 'this media type';
  throw invalidParameter(
    field,
    `unsupported manifest media type ${shown}: expected a Docker v2 schema 2 manifest or manifest list, or an OCI image manifest or index`,
  );
}

/**
 * Parse an image manifest or index: Docker v2 schema 2, Docker manifest list, OCI image
 * manifest or OCI image index. The media type comes from `mediaType` when given, else from the
 * document's `mediaType`; an OCI document without either is recognised by its shape
 * (`manifests` ⇒ index, `config` + `layers` ⇒ manifest). Pure: no digests are computed here.
 *
 * @throws EcrError kind `InvalidParameter` (field `imageManifest`) for invalid JSON, a
 * document that does not match its type, a media type that disagrees with the document's,
 * Docker schema 1, or an unknown type. Messages name the offending path, never the content.
 * @example
 * const m = parseManifest(text, 'application/vnd.oci.image.index.v1+json');
 * if (m.kind === 'index') console.log(m.manifests.length);
 */
export function parseManifest(text: string | Uint8Array, mediaType?: string): ParsedManifest {
  if (mediaType !== undefined && typeof mediaType !== 'string') {
    throw invalidParameter('mediaType', 'must be a string');
  }
  if (mediaType !== undefined && schema1Types.has(mediaType)) throw invalidParameter(field, schema1Message);
  const doc = parseJsonText(text, field, 'manifest', maxManifestLength);
  const r = new JsonReader(field, 'manifest');
  const root = r.object(doc, '');
  const schemaVersion = own(root, 'schemaVersion');
  if (schemaVersion === 1) throw invalidParameter(field, schema1Message);
  if (schemaVersion !== 2) throw r.fail('schemaVersion', 'must be 2');

  const declared = r.optionalString(own(root, 'mediaType'), 'mediaType');
  if (declared !== undefined && schema1Types.has(declared)) throw invalidParameter(field, schema1Message);
  if (mediaType !== undefined && declared !== undefined && declared !== mediaType) {
    throw r.fail('mediaType', 'differs from the media type the manifest was given with');
  }
  let type = mediaType ?? declared;
  if (type === undefined) {
    // The OCI image-spec made `mediaType` optional before v1.1 and says to recognise the
    // document by its properties; Docker schema 2 documents always carry it.
    if (own(root, 'manifests') !== undefined) type = MediaType.OciIndex;
    else if (own(root, 'config') !== undefined && own(root, 'layers') !== undefined) type = MediaType.OciManifest;
    else throw r.fail('', 'has no mediaType and is neither a manifest (config, layers) nor an index (manifests)');
  }

  const annotations = r.optionalStringMap(own(root, 'annotations'), 'annotations');
  const artifactType = r.optionalString(own(root, 'artifactType'), 'artifactType');
  const subjectValue = own(root, 'subject');
  const subject = subjectValue === undefined ? undefined : descriptor(r, subjectValue, 'subject');

  if (manifestTypes.has(type)) {
    if (own(root, 'manifests') !== undefined) throw r.fail('', 'has manifests, which a single-platform manifest cannot have');
    const config = descriptor(r, own(root, 'config'), 'config');
    const layers = r.array(own(root, 'layers'), 'layers').map((l, i) => descriptor(r, l, `layers[${i}]`));
    const out: ImageManifest = { kind: 'manifest', schemaVersion: 2, mediaType: type, config, layers };
    if (subject) out.subject = subject;
    if (artifactType !== undefined) out.artifactType = artifactType;
    if (annotations) out.annotations = annotations;
    return out;
  }
  if (indexTypes.has(type)) {
    if (own(root, 'config') !== undefined || own(root, 'layers') !== undefined) {
      throw r.fail('', 'has config or layers, which an index cannot have');
    }
    const manifests = r.array(own(root, 'manifests'), 'manifests').map((m, i) => platformManifest(r, m, `manifests[${i}]`));
    const out: ManifestList = { kind: 'index', schemaVersion: 2, mediaType: type, manifests };
    if (subject) out.subject = subject;
    if (artifactType !== undefined) out.artifactType = artifactType;
    if (annotations) out.annotations = annotations;
    return out;
  }
  return unsupportedType(type);
}

function descriptor(r: JsonReader, value: Json | undefined, path: string): Descriptor {
  const obj = r.object(value, path);
  const mediaType = r.string(own(obj, 'mediaType'), `${path}.mediaType`);
  const digest = r.string(own(obj, 'digest'), `${path}.digest`);
  if (!isValidDigest(digest)) throw r.fail(`${path}.digest`, "must be 'sha256:' and 64 lowercase hex digits, or 'sha512:' and 128");
  const size = r.size(own(obj, 'size'), `${path}.size`);
  const out: Descriptor = { mediaType, digest, size };
  const urls = r.optionalStringArray(own(obj, 'urls'), `${path}.urls`);
  if (urls) out.urls = urls;
  const annotations = r.optionalStringMap(own(obj, 'annotations'), `${path}.annotations`);
  if (annotations) out.annotations = annotations;
  const artifactType = r.optionalString(own(obj, 'artifactType'), `${path}.artifactType`);
  if (artifactType !== undefined) out.artifactType = artifactType;
  return out;
}

function platformManifest(r: JsonReader, value: Json | undefined, path: string): PlatformManifest {
  const out: PlatformManifest = descriptor(r, value, path);
  const platformValue = own(value as JsonObject, 'platform');
  if (platformValue !== undefined) out.platform = platform(r, platformValue, `${path}.platform`);
  return out;
}

function platform(r: JsonReader, value: Json, path: string): Platform {
  const obj = r.object(value, path);
  const out: Platform = {
    architecture: r.string(own(obj, 'architecture'), `${path}.architecture`),
    os: r.string(own(obj, 'os'), `${path}.os`),
  };
  const variant = r.optionalString(own(obj, 'variant'), `${path}.variant`);
  if (variant !== undefined) out.variant = variant;
  const osVersion = r.optionalString(own(obj, 'os.version'), `${path}.os.version`);
  if (osVersion !== undefined) out.osVersion = osVersion;
  const osFeatures = r.optionalStringArray(own(obj, 'os.features'), `${path}.os.features`);
  if (osFeatures !== undefined) out.osFeatures = osFeatures;
  return out;
}
