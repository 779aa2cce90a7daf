import { JsonReader, own, parseJsonText, type Json, type JsonObject } from './internal/jsonDocument.js';
import { isValidDigest } from './validation.js';

/** The container defaults of an image config (`config` in the OCI image-spec), keys as on the wire. */
export interface ImageConfigContainer {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  /** Docker only. */
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
  /** Docker only. */
  Shell?: string[];
  /** Docker only. */
  OnBuild?: string[];
}

/** One `history` entry of an image config. */
export interface ImageHistoryEntry {
  created?: Date;
  author?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** A parsed image configuration (OCI `application/vnd.oci.image.config.v1+json` or Docker's). */
export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  osFeatures?: string[];
  created?: Date;
  author?: string;
  config?: ImageConfigContainer;
  history?: ImageHistoryEntry[];
  rootfs: { type: string; diff_ids: string[] };
}

const field = 'imageConfig';
/** Configs are blobs with no ECR limit; 8 MiB is far above any real one and bounds the work. */
const maxConfigLength = 8 * 1024 * 1024;

/**
 * Parse an image config blob: os, architecture, variant, created, author, the container
 * `config`, `history` and `rootfs.diff_ids`. Timestamps become `Date`s; unknown keys are dropped.
 *
 * @throws EcrError kind `InvalidParameter` (field `imageConfig`) for invalid JSON, a missing
 * `os`, `architecture` or `rootfs`, a bad diff id or an unparseable timestamp.
 */
export function parseImageConfig(text: string | Uint8Array): ImageConfig {
  const doc = parseJsonText(text, field, 'image config', maxConfigLength);
  const r = new JsonReader(field, 'image config');
  const root = r.object(doc, '');
  const out: ImageConfig = {
    os: r.string(own(root, 'os'), 'os'),
    architecture: r.string(own(root, 'architecture'), 'architecture'),
    rootfs: rootfs(r, own(root, 'rootfs')),
  };
  const variant = r.optionalString(own(root, 'variant'), 'variant');
  if (variant !== undefined) out.variant = variant;
  const osVersion = r.optionalString(own(root, 'os.version'), 'os.version');
  if (osVersion !== undefined) out.osVersion = osVersion;
  const osFeatures = r.optionalStringArray(own(root, 'os.features'), 'os.features');
  if (osFeatures !== undefined) out.osFeatures = osFeatures;
  const created = timestamp(r, own(root, 'created'), 'created');
  if (created !== undefined) out.created = created;
  const author = r.optionalString(own(root, 'author'), 'author');
  if (author !== undefined) out.author = author;
  const config = own(root, 'config');
  if (config !== undefined && config !== null) out.config = container(r, config, 'config');
  const history = own(root, 'history');
  if (history !== undefined && history !== null) {
    out.history = r.array(history, 'history').map((h, i) => historyEntry(r, h, `history[${i}]`));
  }
  return out;
}

function rootfs(r: JsonReader, value: Json | undefined): ImageConfig['rootfs'] {
  const obj = r.object(value, 'rootfs');
  const type = r.string(own(obj, 'type'), 'rootfs.type');
  const diffIds = r.stringArray(own(obj, 'diff_ids') ?? [], 'rootfs.diff_ids');
  diffIds.forEach((d, i) => {
    if (!isValidDigest(d)) throw r.fail(`rootfs.diff_ids[${i}]`, 'must be a sha256 or sha512 digest');
  });
  return { type, diff_ids: diffIds };
}

function timestamp(r: JsonReader, value: Json | undefined, path: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const text = r.string(value, path);
  // RFC 3339, as the image-spec requires; Date.parse alone would accept far looser forms.
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text)) {
    throw r.fail(path, 'must be an RFC 3339 timestamp');
  }
  const date = new Date(text.replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) throw r.fail(path, 'must be an RFC 3339 timestamp');
  return date;
}

function historyEntry(r: JsonReader, value: Json, path: string): ImageHistoryEntry {
  const obj = r.object(value, path);
  const out: ImageHistoryEntry = {};
  const created = timestamp(r, own(obj, 'created'), `${path}.created`);
  if (created !== undefined) out.created = created;
  for (const key of ['author', 'created_by', 'comment'] as const) {
    const v = r.optionalString(own(obj, key), `${path}.${key}`);
    if (v !== undefined) out[key] = v;
  }
  const empty = own(obj, 'empty_layer');
  if (empty !== undefined) out.empty_layer = r.boolean(empty, `${path}.empty_layer`);
  return out;
}

function stringList(r: JsonReader, obj: JsonObject, key: string, path: string): string[] | undefined {
  const v = own(obj, key);
  return v === undefined || v === null ? undefined : r.stringArray(v, `${path}.${key}`);
}

function objectSet(r: JsonReader, obj: JsonObject, key: string, path: string): Record<string, object> | undefined {
  const v = own(obj, key);
  if (v === undefined || v === null) return undefined;
  const set = r.object(v, `${path}.${key}`);
  const out: Record<string, object> = {};
  for (const k of Object.keys(set)) Object.defineProperty(out, k, { value: {}, enumerable: true, writable: true, configurable: true });
  return out;
}

function container(r: JsonReader, value: Json, path: string): ImageConfigContainer {
  const obj = r.object(value, path);
  const out: ImageConfigContainer = {};
  for (const key of ['User', 'WorkingDir', 'StopSignal'] as const) {
    const v = own(obj, key);
    if (v !== undefined && v !== null) out[key] = r.string(v, `${path}.${key}`);
  }
  for (const key of ['Env', 'Entrypoint', 'Cmd', 'Shell', 'OnBuild'] as const) {
    const v = stringList(r, obj, key, path);
    if (v !== undefined) out[key] = v;
  }
  for (const key of ['ExposedPorts', 'Volumes'] as const) {
    const v = objectSet(r, obj, key, path);
    if (v !== undefined) out[key] = v;
  }
  const labels = own(obj, 'Labels');
  if (labels !== undefined && labels !== null) out.Labels = r.stringMap(labels, `${path}.Labels`);
  const argsEscaped = own(obj, 'ArgsEscaped');
  if (argsEscaped !== undefined && argsEscaped !== null) out.ArgsEscaped = r.boolean(argsEscaped, `${path}.ArgsEscaped`);
  const hc = own(obj, 'Healthcheck');
  if (hc !== undefined && hc !== null) {
    const h = r.object(hc, `${path}.Healthcheck`);
    const healthcheck: NonNullable<ImageConfigContainer['Healthcheck']> = {};
    const test = stringList(r, h, 'Test', `${path}.Healthcheck`);
    if (test) healthcheck.Test = test;
    for (const key of ['Interval', 'Timeout', 'StartPeriod', 'Retries'] as const) {
      const v = own(h, key);
      if (v !== undefined && v !== null) healthcheck[key] = r.size(v, `${path}.Healthcheck.${key}`);
    }
    out.Healthcheck = healthcheck;
  }
  return out;
}
