import type { Command } from 'commander';
import { isEcrError, type LifecyclePolicyRule, type Tag } from '@ecrkit/core-types';
import type { App } from '../App.js';
import type { LifecyclePreviewOutput, ReposOutput } from '../CliOutputs.js';
import { formatDate, formatTags, shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';

/** `repos`, `repo <name>` and `lifecycle preview <repo>`. */
export function registerRepositoryCommands(program: Command, app: App): void {
  program
    .command('repos')
    .description('List the repositories of the registry')
    .option('--prefix <prefix>', 'only repositories whose name starts with this')
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit repos\n  $ ecrkit repos --prefix web --output json\n  $ ecrkit repos --query 'repositories[].repositoryUri' --output text",
    )
    .action(
      app.action<{ prefix?: string }>(async ({ opts, out, client, signal }) => {
        const repositories = await (await client()).repositories.list({ signal, ...(opts.prefix ? { namePrefix: opts.prefix } : {}) }).toArray();
        const data: ReposOutput = { repositories };
        out.result('repos', data, () => reposTable(out, data));
      }),
    );

  program
    .command('repo')
    .description('Show one repository: details, repository policy, lifecycle rules and resource tags')
    .argument('<name>', 'repository name')
    .addHelpText('after', '\nExamples:\n  $ ecrkit repo web-app\n  $ ecrkit repo api-service --output json')
    .action(
      app.action(async ({ out, client, about, signal }, name) => {
        about({ repository: name });
        const c = await client();
        const repo = await c.repositories.get(name!, { signal });
        const [policy, lifecycle, tags] = await Promise.all([
          orNone(c.repositories.getPolicy(name!, { signal }), 'RepositoryPolicyNotFound'),
          orNone(c.repositories.getLifecyclePolicy(name!, { signal }), 'LifecyclePolicyNotFound'),
          repo.repositoryArn ? c.repositories.listTags(repo.repositoryArn, { signal }).toArray() : Promise.resolve([] as Tag[]),
        ]);
        out.result(
          'repo',
          {
            repository: repo,
            ...(policy ? { policyText: policy.text } : {}),
            ...(lifecycle ? { lifecyclePolicyText: lifecycle.text } : {}),
            ...(lifecycle?.lastEvaluatedAt ? { lastEvaluatedAt: lifecycle.lastEvaluatedAt } : {}),
            tags,
          },
          () => {
            let text = out.fields([
              ['Name', out.colors.bold(repo.repositoryName ?? name!)],
              ['URI', repo.repositoryUri],
              ['ARN', repo.repositoryArn],
              ['Registry', repo.registryId],
              ['Created', formatDate(repo.createdAt)],
              ['Tag mutability', repo.imageTagMutability ?? 'MUTABLE'],
              ['Scan on push', repo.imageScanningConfiguration?.scanOnPush ? 'yes' : 'no'],
              [
                'Encryption',
                repo.encryptionConfiguration
                  ? `${repo.encryptionConfiguration.encryptionType}${repo.encryptionConfiguration.kmsKey ? ` (${repo.encryptionConfiguration.kmsKey})` : ''}`
                  : 'AES256',
              ],
              ['Resource tags', tags.length ? tags.map((t) => `${t.Key}=${t.Value}`).join(', ') : 'none'],
            ]);
            text += `\n${out.colors.bold('Repository policy')}\n`;
            text += policy
              ? out.table(policy.statements, [
                  { header: 'SID', cell: (s) => s.sid ?? '-' },
                  { header: 'EFFECT', cell: (s) => (s.effect === 'Deny' ? out.colors.red(s.effect) : s.effect) },
                  { header: 'PRINCIPAL', cell: (s) => principalText(s.principal) },
                  { header: 'ACTIONS', cell: (s) => (s.actions.length ? s.actions.join(', ') : `not ${(s.notActions ?? []).join(', ')}`) },
                ])
              : 'none\n';
            text += `\n${out.colors.bold('Lifecycle rules')}\n`;
            text += lifecycle
              ? `${out.table(lifecycle.rules, [
                  { header: 'PRIORITY', cell: (r) => String(r.rulePriority), align: 'right' },
                  { header: 'SELECTION', cell: ruleSelectionText },
                  { header: 'ACTION', cell: (r) => r.action.type },
                  { header: 'DESCRIPTION', cell: (r) => r.description ?? '' },
                ])}  (preview with \`ecrkit lifecycle preview ${name}\`)\n`
              : 'none\n';
            return text;
          },
        );
      }),
    );

  const lifecycle = program.command('lifecycle').description('Explain lifecycle policies');
  lifecycle
    .command('preview')
    .description('Which images the lifecycle policy would expire now, and by which rule')
    .argument('<repo>', 'repository name')
    .addHelpText('after', '\nExamples:\n  $ ecrkit lifecycle preview web-app\n  $ ecrkit lifecycle preview web-app --output json')
    .action(
      app.action(async ({ out, client, session, about, signal }, repo) => {
        about({ repository: repo });
        const s = await session();
        const verdicts = await (await client()).repositories.previewLifecycle(repo!, {
          signal,
          ...(s.pollIntervalMs ? { pollIntervalMs: s.pollIntervalMs } : {}),
        });
        const data: LifecyclePreviewOutput = {
          ...(s.config.registryId ? { registryId: s.config.registryId } : {}),
          repositoryName: repo!,
          previewResults: verdicts.map((v) => ({
            imageDigest: v.imageDigest,
            imageTags: v.imageTags,
            imagePushedAt: v.imagePushedAt,
            action: { type: v.action.type },
            appliedRulePriority: v.appliedRulePriority,
          })),
          summary: { expiringImageTotalCount: verdicts.length },
        };
        out.result('lifecycle preview', data, () =>
          data.previewResults.length === 0
            ? `The lifecycle policy of ${repo} would expire no image now.\n`
            : `${out.table(data.previewResults, [
                { header: 'DIGEST', cell: (v) => shortDigest(v.imageDigest) },
                { header: 'TAGS', cell: (v) => formatTags(v.imageTags) },
                { header: 'PUSHED', cell: (v) => formatDate(v.imagePushedAt) },
                { header: 'RULE', cell: (v) => String(v.appliedRulePriority), align: 'right' },
                { header: 'ACTION', cell: (v) => out.colors.yellow(v.action?.type ?? '-') },
              ])}${verdicts.length} image${verdicts.length === 1 ? '' : 's'} would expire.\n`,
        );
      }),
    );
}

/** The `repos` table (the demo prints it too). */
export function reposTable(out: Output, data: ReposOutput): string {
  return data.repositories.length === 0
    ? 'No repositories.\n'
    : out.table(data.repositories, [
        { header: 'NAME', cell: (r) => out.colors.bold(r.repositoryName ?? ''), minWidth: 8 },
        { header: 'URI', cell: (r) => r.repositoryUri ?? '-' },
        { header: 'TAGS', cell: (r) => (r.imageTagMutability ?? 'MUTABLE').toLowerCase() },
        { header: 'SCAN ON PUSH', cell: (r) => (r.imageScanningConfiguration?.scanOnPush ? 'yes' : 'no') },
        { header: 'CREATED', cell: (r) => formatDate(r.createdAt) },
      ]);
}

function ruleSelectionText(rule: LifecyclePolicyRule): string {
  const s = rule.selection;
  const which =
    s.tagStatus === 'tagged'
      ? `tagged ${s.tagPrefixList?.length ? `prefix ${s.tagPrefixList.join('|')}` : s.tagPatternList?.length ? `pattern ${s.tagPatternList.join('|')}` : ''}`.trim()
      : s.tagStatus;
  const count = s.countType === 'imageCountMoreThan' ? `more than ${s.countNumber} images` : `pushed over ${s.countNumber} ${s.countUnit ?? 'days'} ago`;
  return `${which}, ${count}`;
}

/** A policy statement's principal, in one line. */
export function principalText(principal: unknown): string {
  if (principal === undefined) return '-';
  if (typeof principal === 'string') return principal;
  if (typeof principal === 'object' && principal !== null) {
    return Object.entries(principal as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
      .join('; ');
  }
  return String(principal);
}

/** The value, or undefined when the call fails with the given "there is none" kind. */
export async function orNone<T>(promise: Promise<T>, kind: string): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isEcrError(error) && error.kind === kind) return undefined;
    throw error;
  }
}
