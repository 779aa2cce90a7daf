import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { catchEcrError, expectOnlyEcrError } from '../test/arbitraries.js';
import {
  evaluateLifecyclePolicy,
  matchesTagPattern,
  parseLifecyclePolicy,
  validateLifecyclePolicy,
  type LifecycleImage,
  type LifecyclePolicyRule,
} from './lifecyclePolicy.js';

const now = new Date('2024-06-01T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const img = (name: string, tags: string[], pushedDaysAgo: number): LifecycleImage => ({
  imageDigest: `sha256:${name.toLowerCase().charCodeAt(0).toString(16).padStart(64, '0')}`,
  imageTags: tags,
  imagePushedAt: daysAgo(pushedDaysAgo),
});
const rule = (rulePriority: number, selection: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  rulePriority,
  description: `Rule ${rulePriority}`,
  selection,
  action: { type: 'expire' },
  ...extra,
});
const policy = (...rules: Record<string, unknown>[]) => JSON.stringify({ rules });

/** Names of the expired images with the priority of the rule that expired each. */
function expire(text: string, images: LifecycleImage[]): Record<string, number> {
  const names = new Map(images.map((i, n) => [i.imageDigest, String.fromCharCode(65 + n)]));
  const out: Record<string, number> = {};
  for (const v of evaluateLifecyclePolicy(parseLifecyclePolicy(text), images, now)) out[names.get(v.imageDigest) ?? '?'] = v.appliedRulePriority;
  return out;
}

// Each example below is from the ECR user guide, "Examples of lifecycle policies"
// (awsdocs/amazon-ecr-user-guide: doc_source/lifecycle_policy_examples.md), images named A, B, C...
describe('evaluateLifecyclePolicy: the user guide examples', () => {
  it('filtering on image age: untagged images older than 14 days', () => {
    const images = [img('A', [], 20), img('B', [], 10), img('C', ['v1'], 30)];
    const text = policy(rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }));
    expect(expire(text, images)).toEqual({ A: 1 });
  });

  it('filtering on image count: keep only one untagged image', () => {
    const images = [img('A', [], 3), img('B', [], 2), img('C', [], 1), img('D', ['v1'], 9)];
    const text = policy(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }));
    expect(expire(text, images)).toEqual({ A: 1, B: 1 });
  });

  const abc = () => [img('A', ['beta-1', 'prod-1'], 10), img('B', ['beta-2', 'prod-2'], 9), img('C', ['beta-3'], 8)];

  it('multiple rules, example A: Image A is expired (B matched rule 1, so rule 2 skips it)', () => {
    const text = policy(
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'tagged', tagPrefixList: ['beta'], countType: 'imageCountMoreThan', countNumber: 1 }),
    );
    expect(expire(text, abc())).toEqual({ A: 1 });
  });

  it('multiple rules, example A with tagPatternList (current guide): Image A is expired', () => {
    const text = policy(
      rule(1, { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'tagged', tagPatternList: ['beta*'], countType: 'imageCountMoreThan', countNumber: 1 }),
    );
    expect(expire(text, abc())).toEqual({ A: 1 });
  });

  it('multiple rules, example B: Images A and B are expired', () => {
    const text = policy(
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['beta'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 }),
    );
    expect(expire(text, abc())).toEqual({ A: 1, B: 1 });
  });

  it('multiple tags in a single rule, example A: only images with all prefixes; Image C is expired', () => {
    const images = [
      img('A', ['alpha-1'], 12),
      img('B', ['beta-1'], 11),
      img('C', ['alpha-2', 'beta-2'], 10),
      img('D', ['alpha-3'], 4),
      img('E', ['beta-3'], 3),
      img('F', ['alpha-4', 'beta-4'], 2),
    ];
    const text = policy(rule(1, { tagStatus: 'tagged', tagPrefixList: ['alpha', 'beta'], countType: 'sinceImagePushed', countNumber: 5, countUnit: 'days' }));
    expect(expire(text, images)).toEqual({ C: 1 });
  });

  it('multiple tags in a single rule, example B: tags are not exclusive; Images A and B are expired', () => {
    const images = [img('A', ['alpha-1', 'beta-1', 'gamma-1'], 10), img('B', ['alpha-2', 'beta-2'], 9), img('C', ['alpha-3', 'beta-3', 'gamma-2'], 8)];
    const text = policy(rule(1, { tagStatus: 'tagged', tagPrefixList: ['alpha', 'beta'], countType: 'imageCountMoreThan', countNumber: 1 }));
    expect(expire(text, images)).toEqual({ A: 1, B: 1 });
  });
});

describe('evaluateLifecyclePolicy: the evaluation rules', () => {
  it('keeps images a higher rule selected even when a lower "any" rule would expire them', () => {
    const images = [img('A', ['prod-1'], 100), img('B', ['dev-1'], 100), img('C', [], 100)];
    const text = policy(
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 9999 }),
      rule(2, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }),
    );
    expect(expire(text, images)).toEqual({ B: 2, C: 2 });
  });

  it('counts images already expired by a higher rule', () => {
    // Rule 1 expires B (the older untagged image). Rule 2 keeps 2 of any image and still counts
    // B in its place, so both tagged images C and D are beyond its count; had B been left out,
    // only D would be.
    const images = [img('A', [], 1), img('B', [], 2), img('C', ['v1'], 3), img('D', ['v2'], 4)];
    const text = policy(
      rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 2 }),
    );
    expect(expire(text, images)).toEqual({ B: 1, C: 2, D: 2 });
  });

  it('"older than N days" is strict, and the result has the preview result shape', () => {
    const images = [img('A', ['x'], 7), { ...img('B', ['y'], 0), imagePushedAt: new Date(daysAgo(7).getTime() - 1) }];
    const text = policy(rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }));
    const [only, ...rest] = evaluateLifecyclePolicy(parseLifecyclePolicy(text), images, now);
    expect(rest).toEqual([]);
    expect(only).toEqual({
      imageDigest: images[1]?.imageDigest,
      imageTags: ['y'],
      imagePushedAt: images[1]?.imagePushedAt,
      appliedRulePriority: 1,
      action: { type: 'EXPIRE' },
    });
  });

  const image = fc.record({
    imageDigest: fc.stringMatching(/^sha256:[0-9a-f]{4}$/),
    imageTags: fc.array(fc.constantFrom('prod-1', 'prod-2', 'dev-1', 'beta', 'latest'), { maxLength: 3 }),
    imagePushedAt: fc.integer({ min: 0, max: 200 }).map(daysAgo),
  });
  const selection = fc.oneof(
    fc.record({ tagStatus: fc.constant('tagged'), tagPrefixList: fc.constantFrom(['prod'], ['dev'], ['prod', 'dev']) }),
    fc.record({ tagStatus: fc.constant('tagged'), tagPatternList: fc.constantFrom(['*-1'], ['beta*'], ['la*st']) }),
    fc.record({ tagStatus: fc.constant('untagged') }),
  );
  const count = fc.oneof(
    fc.record({ countType: fc.constant('imageCountMoreThan'), countNumber: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ countType: fc.constant('sinceImagePushed'), countUnit: fc.constant('days'), countNumber: fc.integer({ min: 1, max: 100 }) }),
  );
  const rulesArb = fc.array(fc.tuple(selection, count), { minLength: 1, maxLength: 4 }).map((list) => list.map(([s, c], i) => rule(i + 1, { ...s, ...c })));

  test.prop([rulesArb, fc.array(image, { maxLength: 15 })], { numRuns: 1000 })(
    'each image is expired at most once, by a rule whose selection it matches and no earlier rule selected',
    (rules, images) => {
      let parsed: ReturnType<typeof parseLifecyclePolicy>;
      try {
        parsed = parseLifecyclePolicy(JSON.stringify({ rules }));
      } catch {
        return; // two untagged rules or duplicate lists: refused, checked elsewhere
      }
      const verdicts = evaluateLifecyclePolicy(parsed, images, now);
      const digests = verdicts.map((v) => v.imageDigest);
      expect(new Set(digests).size).toBe(digests.length);
      for (const v of verdicts) {
        const applied = parsed.rules.find((r) => r.rulePriority === v.appliedRulePriority) as LifecyclePolicyRule;
        expect(applied).toBeDefined();
        const tags = v.imageTags;
        const selects = (r: LifecyclePolicyRule) =>
          r.selection.tagStatus === 'untagged'
            ? tags.length === 0
            : tags.length > 0 &&
              (r.selection.tagPrefixList ?? []).every((p) => tags.some((t) => t.startsWith(p))) &&
              (r.selection.tagPatternList ?? []).every((p) => tags.some((t) => matchesTagPattern(p, t)));
        expect(selects(applied)).toBe(true);
        for (const earlier of parsed.rules.filter((r) => r.rulePriority < v.appliedRulePriority)) expect(selects(earlier)).toBe(false);
      }
    },
  );
});

describe('matchesTagPattern', () => {
  it.each([
    ['prod*', 'prod', true],
    ['prod*', 'prod-1', true],
    ['prod*', 'xprod', false],
    ['*test*1*2*3', 'my-test-1-2-3', true],
    ['*test*1*2*3', 'my-test-1-2-3-4', false],
    ['v*-*', 'v1-rc', true],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['latest', 'latest', true],
    ['latest', 'latest2', false],
  ])('%s vs %s', (pattern, tag, expected) => {
    expect(matchesTagPattern(pattern, tag)).toBe(expected);
  });
});

describe('parseLifecyclePolicy', () => {
  const ok = rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 });

  it('sorts rules by priority and keeps the template key order', () => {
    const parsed = parseLifecyclePolicy(
      policy(rule(20, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }), {
        ...ok,
        rulePriority: 3,
      }),
    );
    expect(parsed.rules.map((r) => r.rulePriority)).toEqual([3, 20]);
    expect(parsed.rules[0]).toEqual({
      rulePriority: 3,
      description: 'Rule 1',
      selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 },
      action: { type: 'expire' },
    });
  });

  it.each<[string, string, RegExp]>([
    ['no rules', JSON.stringify({ rules: [] }), /at least one rule/],
    ['duplicate priorities', policy(ok, { ...ok, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 2 } }), /unique/],
    ['zero priority', policy({ ...ok, rulePriority: 0 }), /rulePriority must be a positive integer/],
    ['fractional count', policy(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1.5 })), /countNumber/],
    ['zero count', policy(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 0 })), /0 is not accepted/],
    ['tagged without lists', policy(rule(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 })), /exactly one of/],
    [
      'tagged with both lists',
      policy(rule(1, { tagStatus: 'tagged', tagPrefixList: ['a'], tagPatternList: ['a*'], countType: 'imageCountMoreThan', countNumber: 1 })),
      /exactly one of/,
    ],
    [
      'untagged with a list',
      policy(rule(1, { tagStatus: 'untagged', tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 1 })),
      /must not have/,
    ],
    [
      'five wildcards',
      policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['test*1*2*3*4*5'], countType: 'imageCountMoreThan', countNumber: 1 })),
      /more than 4/,
    ],
    ['days missing', policy(rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1 })), /countUnit must be 'days'/],
    ['hours', policy(rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'hours', countNumber: 1 })), /'days'/],
    ['unit with count', policy(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countUnit: 'days', countNumber: 1 })), /omitted/],
    [
      'any not last',
      policy(
        rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }),
        rule(2, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }),
      ),
      /highest rulePriority/,
    ],
    ['two untagged', policy(ok, { ...ok, rulePriority: 2 }), /only one may select untagged/],
    [
      'same prefixes twice',
      policy(
        rule(1, { tagStatus: 'tagged', tagPrefixList: ['a', 'b'], countType: 'imageCountMoreThan', countNumber: 1 }),
        rule(2, { tagStatus: 'tagged', tagPrefixList: ['b', 'a'], countType: 'imageCountMoreThan', countNumber: 3 }),
      ),
      /same tag prefixes/,
    ],
    ['transition', policy({ ...ok, action: { type: 'transition', targetStorageClass: 'archive' } }), /action/],
    [
      'unknown selection key',
      policy(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1, storageClass: 'standard' })),
      /unknown property 'storageClass'/,
    ],
    ['sinceImagePulled', policy(rule(1, { tagStatus: 'untagged', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 1 })), /countType/],
    ['not JSON', '{"rules": [', /not valid JSON/],
  ])('refuses %s', (_name, text, message) => {
    const err = catchEcrError(() => parseLifecyclePolicy(text));
    expect(err.kind).toBe('InvalidParameter');
    expect(err.field).toBe('lifecyclePolicyText');
    expect(err.message).toMatch(message);
  });

  it('validateLifecyclePolicy also enforces the 100-character minimum', () => {
    expect(() => validateLifecyclePolicy(policy(ok))).not.toThrow();
    expect(catchEcrError(() => validateLifecyclePolicy('{"rules":[]}')).message).toMatch(/100–30720/);
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 400 })], { numRuns: 1000 })('any string throws only EcrError', (text) => {
    expectOnlyEcrError(() => parseLifecyclePolicy(text));
  });

  test.prop([fc.jsonValue()], { numRuns: 1000 })('any JSON throws only EcrError', (value) => {
    expectOnlyEcrError(() => parseLifecyclePolicy(JSON.stringify(value) ?? 'null'));
  });

  const near = fc.record(
    {
      rulePriority: fc.oneof(fc.integer(), fc.jsonValue()),
      description: fc.oneof(fc.string(), fc.jsonValue()),
      selection: fc.record(
        {
          tagStatus: fc.constantFrom('tagged', 'untagged', 'any', 'x'),
          tagPrefixList: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
          tagPatternList: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
          countType: fc.constantFrom('imageCountMoreThan', 'sinceImagePushed', 'x'),
          countUnit: fc.constantFrom('days', 'x'),
          countNumber: fc.oneof(fc.integer(), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
      action: fc.oneof(fc.constant({ type: 'expire' }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  test.prop([fc.array(near, { maxLength: 4 })], { numRuns: 1000 })('near-policy documents throw only EcrError', (rules) => {
    expectOnlyEcrError(() => parseLifecyclePolicy(JSON.stringify({ rules })));
  });
});
