import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { RegistryPolicy } from '@ecrkit/services';
import type { App } from '../App.js';
import { CliError } from '../CliError.js';
import { ExitCode } from '../exitCodes.js';
import type { Output } from '../Output.js';
import { principalText } from './repositories.js';

/** `registry-policy get|put|delete`: the registry's permissions policy. */
export function registerRegistryPolicyCommands(program: Command, app: App): void {
  const policy = program.command('registry-policy').description("The registry's permissions policy (cross-account replication, pull through cache)");

  policy
    .command('get')
    .description('Show the registry policy and its statements')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit registry-policy get                               exits 3 when the registry has none\n  $ ecrkit registry-policy get --query policyText --output text   exits 3 when the registry has none',
    )
    .action(
      app.action(async ({ out, client, signal }) => {
        const found = await (await client()).registryPolicy.get({ signal });
        out.result('registry-policy get', wire(found), () => policyText(out, 'Registry policy', found));
      }),
    );

  policy
    .command('put')
    .description('Set the registry policy from a JSON file (replacing any other)')
    .argument('<file>', 'the policy document; - reads it from standard input')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit registry-policy put registry-policy.json\n  $ ecrkit registry-policy put registry-policy.json --query "length(policyText)" --output text',
    )
    .action(
      app.action(
        async ({ out, client, signal }, file) => {
          const document = await readPolicy(file!, app.io);
          const saved = await (await client()).registryPolicy.put(document, { signal });
          out.result('registry-policy put', wire(saved), () => policyText(out, 'Registry policy set', saved));
        },
        { mutating: true },
      ),
    );

  policy
    .command('delete')
    .description('Delete the registry policy')
    .addHelpText('after', '\nExamples:\n  $ ecrkit registry-policy delete                            exits 3 when the registry has none')
    .action(
      app.action(
        async ({ out, client, signal }) => {
          const deleted = await (await client()).registryPolicy.delete({ signal });
          out.result(
            'registry-policy delete',
            wire(deleted),
            () => `Deleted the registry policy (${deleted.statements.length} statement${deleted.statements.length === 1 ? '' : 's'}).\n`,
          );
        },
        { mutating: true },
      ),
    );
}

/** The API's shape: GetRegistryPolicy's `registryId` and `policyText`. */
function wire(policy: RegistryPolicy): { registryId?: string; policyText: string } {
  return { ...(policy.registryId !== undefined ? { registryId: policy.registryId } : {}), policyText: policy.text };
}

async function readPolicy(file: string, io: App['io']): Promise<string> {
  if (file === '-') {
    if (!io.stdin)
      throw new CliError('No standard input to read the policy from', { exitCode: ExitCode.Usage, hint: 'Give the path of a JSON policy document.' });
    return text(io.stdin);
  }
  try {
    return await readFile(resolve(io.cwd, file), 'utf8');
  } catch (cause) {
    throw new CliError(`Cannot read the policy file ${file}`, { exitCode: ExitCode.Usage, hint: 'Give the path of a readable JSON policy document.', cause });
  }
}

function policyText(out: Output, title: string, policy: RegistryPolicy): string {
  return `${out.fields([
    [title, out.colors.bold(policy.registryId ?? '')],
    ['Statements', String(policy.statements.length)],
  ])}${out.table(policy.statements, [
    { header: 'SID', cell: (s) => s.sid ?? '-' },
    { header: 'EFFECT', cell: (s) => (s.effect === 'Deny' ? out.colors.red(s.effect) : s.effect) },
    { header: 'PRINCIPAL', cell: (s) => principalText(s.principal) },
    { header: 'ACTIONS', cell: (s) => (s.actions.length ? s.actions.join(', ') : `not ${(s.notActions ?? []).join(', ')}`) },
  ])}`;
}
