import { Option, type Command } from 'commander';
import { UpstreamRegistry, type PullThroughCacheRule } from '@ecrkit/core-types';
import type { App } from '../App.js';
import { ExitCode } from '../exitCodes.js';
import { formatDate } from '../internal/format.js';
import type { Output } from '../Output.js';

/** `pull-through list|create|delete|validate`: pull through cache rules. */
export function registerPullThroughCommands(program: Command, app: App): void {
  const pullThrough = program.command('pull-through').description('Pull through cache rules: which repository prefix caches which upstream registry');

  pullThrough
    .command('list')
    .description('List the pull through cache rules of the registry')
    .option('--prefix <prefix...>', 'only the rules of these repository prefixes')
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit pull-through list\n  $ ecrkit pull-through list --query 'pullThroughCacheRules[].upstreamRegistryUrl' --output text",
    )
    .action(
      app.action<{ prefix?: string[] }>(async ({ opts, out, client, signal }) => {
        const rules = await (await client()).pullThroughCache.list({ signal, ...(opts.prefix ? { prefixes: opts.prefix } : {}) }).toArray();
        out.result('pull-through list', { pullThroughCacheRules: rules }, () =>
          rules.length === 0 ? 'No pull through cache rules.\n' : rulesTable(out, rules),
        );
      }),
    );

  pullThrough
    .command('create')
    .description('Create a rule: pulls of <prefix>/<name> fetch <name> from the upstream registry and cache it')
    .argument('<prefix>', 'repository prefix, e.g. ecr-public or docker-hub')
    .argument('<upstream-url>', 'upstream registry, e.g. public.ecr.aws, registry-1.docker.io, ghcr.io')
    .addOption(
      new Option('--upstream-registry <name>', 'the upstream registry kind (inferred from the URL when left out)').choices(Object.values(UpstreamRegistry)),
    )
    .option('--credential-arn <arn>', 'Secrets Manager secret (ecr-pullthroughcache/...) holding the upstream credentials')
    .option('--custom-role-arn <arn>', 'IAM role ECR assumes to reach an upstream ECR registry')
    .option('--upstream-prefix <prefix>', "the upstream repository prefix (an ECR upstream's namespace)")
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit pull-through create ecr-public public.ecr.aws\n  $ ecrkit pull-through create hub registry-1.docker.io --credential-arn arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf --output json',
    )
    .action(
      app.action<{ upstreamRegistry?: UpstreamRegistry; credentialArn?: string; customRoleArn?: string; upstreamPrefix?: string }>(
        async ({ opts, out, client, signal }, prefix, url) => {
          const rule = await (await client()).pullThroughCache.create(
            {
              ecrRepositoryPrefix: prefix!,
              upstreamRegistryUrl: url!,
              ...(opts.upstreamRegistry ? { upstreamRegistry: opts.upstreamRegistry } : {}),
              ...(opts.credentialArn ? { credentialArn: opts.credentialArn } : {}),
              ...(opts.customRoleArn ? { customRoleArn: opts.customRoleArn } : {}),
              ...(opts.upstreamPrefix ? { upstreamRepositoryPrefix: opts.upstreamPrefix } : {}),
            },
            { signal },
          );
          out.result('pull-through create', rule, () => `Created rule ${out.colors.bold(prefix!)}: pulls of ${prefix}/<name> come from ${url}.\n`);
        },
        { mutating: true },
      ),
    );

  pullThrough
    .command('delete')
    .description('Delete a rule (the repositories it created stay)')
    .argument('<prefix>', 'repository prefix of the rule')
    .addHelpText('after', '\nExamples:\n  $ ecrkit pull-through delete ecr-public                    exits 3 when there is no such rule')
    .action(
      app.action(
        async ({ out, client, signal }, prefix) => {
          const rule = await (await client()).pullThroughCache.delete(prefix!, { signal });
          out.result('pull-through delete', rule, () => `Deleted rule ${out.colors.bold(prefix!)} (upstream ${rule.upstreamRegistryUrl ?? '-'}).\n`);
        },
        { mutating: true },
      ),
    );

  pullThrough
    .command('validate')
    .description('Check that a rule reaches its upstream with its credential; exits 1 when it does not')
    .argument('<prefix>', 'repository prefix of the rule')
    .addHelpText('after', '\nExamples:\n  $ ecrkit pull-through validate ecr-public                  exits 3 when there is no such rule')
    .action(
      app.action(async ({ out, client, signal }, prefix) => {
        const result = await (await client()).pullThroughCache.validate(prefix!, { signal });
        out.result('pull-through validate', result, () =>
          result.isValid
            ? `Rule ${out.colors.bold(prefix!)} is valid: ${result.upstreamRegistryUrl ?? 'its upstream'} is reachable.\n`
            : `Rule ${out.colors.bold(prefix!)} is ${out.colors.red('not valid')}: ${result.failure ?? 'no reason given'}\n`,
        );
        return result.isValid ? ExitCode.Ok : ExitCode.GateFailed;
      }),
    );
}

function rulesTable(out: Output, rules: readonly PullThroughCacheRule[]): string {
  return out.table(rules, [
    { header: 'PREFIX', cell: (r) => out.colors.bold(r.ecrRepositoryPrefix ?? '-') },
    { header: 'UPSTREAM', cell: (r) => r.upstreamRegistryUrl ?? '-' },
    { header: 'REGISTRY', cell: (r) => r.upstreamRegistry ?? '-' },
    { header: 'CREDENTIAL', cell: (r) => r.credentialArn ?? '-' },
    { header: 'CREATED', cell: (r) => formatDate(r.createdAt) },
  ]);
}
