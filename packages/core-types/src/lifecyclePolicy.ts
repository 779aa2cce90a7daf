import { JsonReader, own, parseJsonText, type JsonObject } from './internal/jsonDocument.js';
import { invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import { readOptions } from './readOptions.js';
import { validateLifecyclePolicyText } from './validation.js';

/** Which images a rule selects by their tags. */
export type LifecycleTagStatus = 'tagged' | 'untagged' | 'any';
/** How a rule counts: by number of images kept, or by days since push. */
export type LifecycleCountType = 'imageCountMoreThan' | 'sinceImagePushed';
/** The unit of a `sinceImagePushed` count. */
export type LifecycleCountUnit = 'days';

/** The `selection` of a lifecycle policy rule. */
export interface LifecyclePolicySelection {
  tagStatus: LifecycleTagStatus;
  tagPrefixList?: string[];
  tagPatternList?: string[];
  countType: LifecycleCountType;
  countUnit?: LifecycleCountUnit;
  countNumber: number;
}

/** The `action` of a lifecycle policy rule; ECR's only action for ecrkit is `expire`. */
export interface LifecyclePolicyAction {
  type: 'expire';
}

/** One rule of a lifecycle policy. */
export interface LifecyclePolicyRule {
  rulePriority: number;
  description?: string;
  selection: LifecyclePolicySelection;
  action: LifecyclePolicyAction;
}

/** A parsed lifecycle policy; `rules` are sorted by `rulePriority`, lowest (applied first) first. */
export interface LifecyclePolicy {
  rules: LifecyclePolicyRule[];
}

/** An image as the lifecycle evaluator sees it. */
export interface LifecycleImage {
  imageDigest: string;
  imageTags?: string[];
  imagePushedAt: Date;
}

/** One image a policy expires; the shape of the wire `LifecyclePolicyPreviewResult`. */
export interface LifecycleVerdict {
  imageDigest: string;
  imageTags: string[];
  imagePushedAt: Date;
  appliedRulePriority: number;
  action: { type: 'EXPIRE' };
}

const field = 'lifecyclePolicyText';
const maxPolicyLength = 30720;
const maxWildcards = 4;
const dayMs = 86_400_000;

const ruleKeys: ReadonlySet<string> = new Set(['rulePriority', 'description', 'selection', 'action']);
const selectionKeys: ReadonlySet<string> = new Set(['tagStatus', 'tagPrefixList', 'tagPatternList', 'countType', 'countUnit', 'countNumber']);

function checkKeys(r: JsonReader, obj: JsonObject, allowed: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      const shown = key.length <= 40 && /^[A-Za-z0-9_]+$/.test(key) ? `'${key}'` : 'a property';
      throw r.fail(path, `has unknown property ${shown}; ecrkit supports ${[...allowed].join(', ')}`);
    }
  }
}

function positiveInteger(r: JsonReader, value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw r.fail(path, 'must be a positive integer (0 is not accepted)');
  }
  return value;
}

function nonEmptyStringList(r: JsonReader, value: JsonObject[string] | undefined, path: string): string[] {
  const list = r.stringArray(value, path);
  if (list.length === 0) throw r.fail(path, 'must list at least one string');
  list.forEach((s, i) => {
    if (s.length === 0) throw r.fail(`${path}[${i}]`, 'must not be empty');
  });
  return list;
}

/**
 * Parse and validate lifecycle policy JSON with the rules of the ECR user guide
 * ("Lifecycle policy properties"):
 * - at least one rule; each `rulePriority` a unique positive integer;
 * - `tagStatus` `tagged` needs exactly one of `tagPrefixList` and `tagPatternList` (non-empty),
 *   `untagged` and `any` allow neither; a pattern has at most four `*` wildcards;
 * - the `any` rule (at most one) has the highest `rulePriority`; at most one `untagged` rule;
 * - no two rules share the same set of tag prefixes (or patterns);
 * - `sinceImagePushed` needs `countUnit` `days`; `imageCountMoreThan` forbids `countUnit`;
 * - `countNumber` is a positive integer; `action.type` is `expire`.
 * Newer ECR archive features (`storageClass`, `sinceImagePulled`, `transition`) are refused as unsupported.
 *
 * @throws EcrError kind `InvalidParameter` (field `lifecyclePolicyText`) naming the rule and property at fault.
 */
export function parseLifecyclePolicy(text: string): LifecyclePolicy {
  const doc = parseJsonText(text, field, 'lifecycle policy', maxPolicyLength);
  const r = new JsonReader(field, 'lifecycle policy');
  const root = r.object(doc, '');
  checkKeys(r, root, new Set(['rules']), '');
  const rawRules = r.array(own(root, 'rules'), 'rules');
  if (rawRules.length === 0) throw r.fail('rules', 'must contain at least one rule');

  const rules = rawRules.map((raw, i) => parseRule(r, raw, `rules[${i}]`));

  const seenPriorities = new Set<number>();
  const seenLists = new Set<string>();
  for (const rule of rules) {
    if (seenPriorities.has(rule.rulePriority)) {
      throw r.fail('rules', `has more than one rule with rulePriority ${rule.rulePriority}; priorities must be unique`);
    }
    seenPriorities.add(rule.rulePriority);
    const { tagPrefixList, tagPatternList } = rule.selection;
    const list = tagPrefixList
      ? `prefix:${JSON.stringify([...new Set(tagPrefixList)].sort())}`
      : tagPatternList
        ? `pattern:${JSON.stringify([...new Set(tagPatternList)].sort())}`
        : undefined;
    if (list !== undefined) {
      if (seenLists.has(list)) {
        throw r.fail('rules', `has two rules with the same tag ${tagPrefixList ? 'prefixes' : 'patterns'}; each rule needs a unique set`);
      }
      seenLists.add(list);
    }
  }
  rules.sort((a, b) => a.rulePriority - b.rulePriority);

  const anyRules = rules.filter((x) => x.selection.tagStatus === 'any');
  if (anyRules.length > 1) throw r.fail('rules', "has more than one rule with tagStatus 'any'");
  const last = rules[rules.length - 1];
  if (anyRules.length === 1 && last?.selection.tagStatus !== 'any') {
    throw r.fail('rules', "has a rule with tagStatus 'any' that does not have the highest rulePriority");
  }
  if (rules.filter((x) => x.selection.tagStatus === 'untagged').length > 1) {
    throw r.fail('rules', "has more than one rule with tagStatus 'untagged'; only one may select untagged images");
  }
  return { rules };
}

function parseRule(r: JsonReader, raw: JsonObject[string], path: string): LifecyclePolicyRule {
  const obj = r.object(raw, path);
  checkKeys(r, obj, ruleKeys, path);
  const rulePriority = positiveInteger(r, own(obj, 'rulePriority'), `${path}.rulePriority`);
  const description = r.optionalString(own(obj, 'description'), `${path}.description`);

  const sel = r.object(own(obj, 'selection'), `${path}.selection`);
  const sp = `${path}.selection`;
  checkKeys(r, sel, selectionKeys, sp);
  const tagStatus = own(sel, 'tagStatus');
  if (tagStatus !== 'tagged' && tagStatus !== 'untagged' && tagStatus !== 'any') {
    throw r.fail(`${sp}.tagStatus`, "must be 'tagged', 'untagged' or 'any'");
  }
  const prefixes = own(sel, 'tagPrefixList');
  const patterns = own(sel, 'tagPatternList');
  const selection: LifecyclePolicySelection = { tagStatus, countType: 'imageCountMoreThan', countNumber: 1 };
  if (tagStatus === 'tagged') {
    if ((prefixes === undefined) === (patterns === undefined)) {
      throw r.fail(sp, "with tagStatus 'tagged' must have exactly one of tagPrefixList and tagPatternList");
    }
    if (prefixes !== undefined) selection.tagPrefixList = nonEmptyStringList(r, prefixes, `${sp}.tagPrefixList`);
    if (patterns !== undefined) {
      const list = nonEmptyStringList(r, patterns, `${sp}.tagPatternList`);
      list.forEach((p, i) => {
        if (p.split('*').length - 1 > maxWildcards) {
          throw r.fail(`${sp}.tagPatternList[${i}]`, `has more than ${maxWildcards} '*' wildcards`);
        }
      });
      selection.tagPatternList = list;
    }
  } else if (prefixes !== undefined || patterns !== undefined) {
    throw r.fail(sp, `with tagStatus '${tagStatus}' must not have tagPrefixList or tagPatternList`);
  }

  const countType = own(sel, 'countType');
  const countUnit = own(sel, 'countUnit');
  if (countType === 'sinceImagePushed') {
    if (countUnit !== 'days') throw r.fail(`${sp}.countUnit`, "must be 'days' when countType is 'sinceImagePushed'");
    selection.countUnit = 'days';
  } else if (countType === 'imageCountMoreThan') {
    if (countUnit !== undefined) throw r.fail(`${sp}.countUnit`, "must be omitted when countType is 'imageCountMoreThan'");
  } else {
    throw r.fail(`${sp}.countType`, "must be 'imageCountMoreThan' or 'sinceImagePushed'");
  }
  selection.countType = countType;
  selection.countNumber = positiveInteger(r, own(sel, 'countNumber'), `${sp}.countNumber`);

  const act = r.object(own(obj, 'action'), `${path}.action`);
  checkKeys(r, act, new Set(['type']), `${path}.action`);
  if (own(act, 'type') !== 'expire') throw r.fail(`${path}.action.type`, "must be 'expire'");

  // Key order as in the user guide's template, for stable re-serialisation.
  return {
    rulePriority,
    ...(description !== undefined ? { description } : {}),
    selection: {
      tagStatus: selection.tagStatus,
      ...(selection.tagPatternList ? { tagPatternList: selection.tagPatternList } : {}),
      ...(selection.tagPrefixList ? { tagPrefixList: selection.tagPrefixList } : {}),
      countType: selection.countType,
      ...(selection.countUnit ? { countUnit: selection.countUnit } : {}),
      countNumber: selection.countNumber,
    },
    action: { type: 'expire' },
  };
}

/** `*` matches any run of characters (possibly empty); everything else matches itself. */
export function matchesTagPattern(pattern: string, tag: string): boolean {
  if (typeof pattern !== 'string') throw invalidParameter('pattern', `must be a string, got ${describeValue(pattern)}`);
  if (typeof tag !== 'string') throw invalidParameter('tag', `must be a string, got ${describeValue(tag)}`);
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const lastPart = parts[parts.length - 1] ?? '';
  if (parts.length === 1) return pattern === tag;
  if (!tag.startsWith(first) || tag.length < first.length + lastPart.length || !tag.endsWith(lastPart)) return false;
  let pos = first.length;
  const end = tag.length - lastPart.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const at = tag.indexOf(part, pos);
    if (at < 0 || at + part.length > end) return false;
    pos = at + part.length;
  }
  return true;
}

/** Whether an image meets a rule's tagging requirements (its selection, before any counting). */
export function matchesLifecycleSelection(selection: LifecyclePolicySelection, imageTags: readonly string[]): boolean {
  return matchesSelection(readSelection(selection, 'selection'), readStrings(imageTags, 'imageTags'));
}

/** `value` when it is an array of strings; otherwise `InvalidParameter` naming `field`. */
function readStrings(value: unknown, field: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string'))
    throw invalidParameter(field, `must be an array of strings, got ${describeValue(value)}`);
  return value;
}

/** A rule's selection read once and checked, for callers handing one in rather than a parsed policy. */
function readSelection(value: unknown, field: string): LifecyclePolicySelection {
  const s = readOptions(value ?? null, ['tagStatus', 'tagPrefixList', 'tagPatternList', 'countType', 'countUnit', 'countNumber'], field);
  if (s.tagStatus !== 'tagged' && s.tagStatus !== 'untagged' && s.tagStatus !== 'any') {
    throw invalidParameter(`${field}.tagStatus`, `must be 'tagged', 'untagged' or 'any', got ${describeValue(s.tagStatus)}`);
  }
  if (s.tagPrefixList !== undefined) readStrings(s.tagPrefixList, `${field}.tagPrefixList`);
  if (s.tagPatternList !== undefined) readStrings(s.tagPatternList, `${field}.tagPatternList`);
  return s as unknown as LifecyclePolicySelection;
}

function matchesSelection(selection: LifecyclePolicySelection, imageTags: readonly string[]): boolean {
  switch (selection.tagStatus) {
    case 'any':
      return true;
    case 'untagged':
      return imageTags.length === 0;
    case 'tagged':
      if (imageTags.length === 0) return false;
      // "An image is successfully matched if all of the tags in the tagPrefixList value are
      // matched against any of the image's tags" (user guide); the same holds for patterns.
      if (selection.tagPrefixList) return selection.tagPrefixList.every((p) => imageTags.some((t) => t.startsWith(p)));
      if (selection.tagPatternList) {
        return selection.tagPatternList.every((p) => imageTags.some((t) => matchesTagPattern(p, t)));
      }
      return false;
  }
}

/**
 * Which images `policy` expires, with the real ECR semantics of the user guide's "Lifecycle
 * policy evaluation rules" (docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html,
 * source awsdocs/amazon-ecr-user-guide doc_source/LifecyclePolicies.md), checked against every
 * example of "Examples of lifecycle policies" (lifecycle_policy_examples.md):
 *
 * 1. Every rule first identifies images on its own, over all images ("all rules are evaluated
 *    at the same time"): its selection (tagStatus; for `tagged`, every listed prefix or pattern
 *    matched by some tag of the image), then for `imageCountMoreThan` the selected images sorted
 *    newest `imagePushedAt` first and all beyond `countNumber`, for `sinceImagePushed` those
 *    pushed more than `countNumber` × 24 h before `now`.
 * 2. Rules are then applied by `rulePriority`, lowest first. An identified image is expired by
 *    the rule unless it was expired by a higher-priority rule ("an image is expired by exactly
 *    one or zero rules") or it matched the selection of a higher-priority rule ("an image that
 *    matches the tagging requirements of a rule cannot be expired by a rule with a lower
 *    priority").
 * 3. Images expired earlier still count in step 1 ("rules ... can still identify them as if
 *    they haven't been expired").
 *
 * Ties in `imagePushedAt` are broken by digest so results are deterministic. Duplicate digests
 * in `images` are considered once (the first occurrence). The result is ordered by
 * `appliedRulePriority`, then oldest push first, then digest.
 *
 * @example evaluateLifecyclePolicy(parseLifecyclePolicy(text), images, new Date())
 */
export function evaluateLifecyclePolicy(policy: LifecyclePolicy, images: readonly LifecycleImage[], now: Date): LifecycleVerdict[] {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw invalidParameter('now', `must be a valid Date, got ${describeValue(now)}`);
  const unique: LifecycleImage[] = [];
  const seen = new Set<string>();
  for (const image of readImages(images)) {
    if (seen.has(image.imageDigest)) continue;
    seen.add(image.imageDigest);
    unique.push(image);
  }
  const byNewest = [...unique].sort((a, b) => b.imagePushedAt.getTime() - a.imagePushedAt.getTime() || compare(a.imageDigest, b.imageDigest));
  const rules = [...readRules(policy)].sort((a, b) => a.rulePriority - b.rulePriority);

  const expiredBy = new Map<string, number>();
  const protectedDigests = new Set<string>();
  for (const rule of rules) {
    const { selection } = rule;
    const selected = byNewest.filter((img) => matchesSelection(selection, img.imageTags ?? []));
    let identified: LifecycleImage[];
    if (selection.countType === 'imageCountMoreThan') {
      identified = selected.slice(selection.countNumber);
    } else {
      const cutoff = now.getTime() - selection.countNumber * dayMs;
      identified = selected.filter((img) => img.imagePushedAt.getTime() < cutoff);
    }
    for (const img of identified) {
      if (expiredBy.has(img.imageDigest) || protectedDigests.has(img.imageDigest)) continue;
      expiredBy.set(img.imageDigest, rule.rulePriority);
    }
    for (const img of selected) protectedDigests.add(img.imageDigest);
  }

  const verdicts: LifecycleVerdict[] = [];
  for (const img of unique) {
    const priority = expiredBy.get(img.imageDigest);
    if (priority === undefined) continue;
    verdicts.push({
      imageDigest: img.imageDigest,
      imageTags: [...(img.imageTags ?? [])],
      imagePushedAt: img.imagePushedAt,
      appliedRulePriority: priority,
      action: { type: 'EXPIRE' },
    });
  }
  verdicts.sort(
    (a, b) => a.appliedRulePriority - b.appliedRulePriority || a.imagePushedAt.getTime() - b.imagePushedAt.getTime() || compare(a.imageDigest, b.imageDigest),
  );
  return verdicts;
}

/** The images to evaluate, each read once and checked (a digest, a valid push date, tags). */
function readImages(images: unknown): LifecycleImage[] {
  if (!Array.isArray(images)) throw invalidParameter('images', `must be an array of images, got ${describeValue(images)}`);
  return images.map((image, i) => {
    const field = `images[${i}]`;
    const { imageDigest, imageTags, imagePushedAt } = readOptions(image ?? null, ['imageDigest', 'imageTags', 'imagePushedAt'], field);
    if (typeof imageDigest !== 'string') throw invalidParameter(`${field}.imageDigest`, `must be a string, got ${describeValue(imageDigest)}`);
    if (!(imagePushedAt instanceof Date) || Number.isNaN(imagePushedAt.getTime())) throw invalidParameter(`${field}.imagePushedAt`, 'must be a valid Date');
    const out: LifecycleImage = { imageDigest, imagePushedAt };
    if (imageTags !== undefined) out.imageTags = [...readStrings(imageTags, `${field}.imageTags`)];
    return out;
  });
}

/** A policy's rules read once and checked: what {@link parseLifecyclePolicy} returns passes. */
function readRules(policy: unknown): LifecyclePolicyRule[] {
  const { rules } = readOptions(policy ?? null, ['rules'], 'policy');
  if (!Array.isArray(rules)) throw invalidParameter('policy.rules', 'must be an array (parseLifecyclePolicy builds a policy)');
  return rules.map((rule, i) => {
    const field = `policy.rules[${i}]`;
    const { rulePriority, selection, action, description } = readOptions(rule ?? null, ['rulePriority', 'selection', 'action', 'description'], field);
    if (typeof rulePriority !== 'number' || !Number.isFinite(rulePriority)) throw invalidParameter(`${field}.rulePriority`, 'must be a number');
    const s = readSelection(selection, `${field}.selection`);
    if (s.countType !== 'imageCountMoreThan' && s.countType !== 'sinceImagePushed') {
      throw invalidParameter(`${field}.selection.countType`, "must be 'imageCountMoreThan' or 'sinceImagePushed'");
    }
    if (typeof s.countNumber !== 'number' || !Number.isFinite(s.countNumber)) throw invalidParameter(`${field}.selection.countNumber`, 'must be a number');
    return {
      rulePriority,
      selection: s,
      action: action as LifecyclePolicyAction,
      ...(description === undefined ? {} : { description: description as string }),
    };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Throw unless `text` is a lifecycle policy ECR's PutLifecyclePolicy would accept: 100–30720
 * characters (the model's `LifecyclePolicyText`) and valid per {@link parseLifecyclePolicy}.
 *
 * @throws EcrError kind `InvalidParameter`, field `lifecyclePolicyText`.
 */
export function validateLifecyclePolicy(text: unknown): asserts text is string {
  validateLifecyclePolicyText(text, field);
  parseLifecyclePolicy(text);
}
