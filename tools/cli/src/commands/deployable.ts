import type { Command } from 'commander';
import type { App } from '../App.js';
import { ExitCode } from '../exitCodes.js';
import { formatDate } from '../internal/format.js';
import { severityCounts } from './images.js';
import { addGateOptions, gateText, gateThresholds, thresholdsOf } from './scans.js';

/** `deployable <repo> <tag>`: the digest-pinned URI and the gate verdict. */
export function registerDeployableCommand(program: Command, app: App): void {
  addGateOptions(
    program
      .command('deployable')
      .description('Resolve a tag to a digest-pinned image URI and check it against the scan gate (default: --max-critical 0)')
      .argument('<repo>', 'repository name')
      .argument('<tag>', 'tag (or digest) to deploy')
      .option('-q, --quiet', 'print only the URI, and only when the gate passes'),
  )
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit deployable web-app v1.2.0\n  $ IMAGE=$(ecrkit deployable web-app v1.2.0 --max-critical 0 --max-high 3 --quiet) && kubectl set image deploy/web web=$IMAGE\n  $ ecrkit deployable web-app v1.0.0 --query 'gate.reasons' --output text      exits 1: not deployable\n\nExits 1 when the gate fails (an image without a finished scan fails it too).",
    )
    .action(
      app.action<Parameters<typeof thresholdsOf>[0] & { quiet?: boolean }>(async ({ opts, out, client, about, signal }, repo, tag) => {
        about({ repository: repo, reference: tag });
        const thresholds = thresholdsOf(opts) ?? { maxCritical: 0 };
        const result = await (await client()).getImageForDeployment(repo!, tag!, { thresholds, signal });
        if (opts.quiet && out.format === 'table') {
          if (result.gate.passed) out.stdout.write(`${result.imageUri}\n`);
          else out.note(`ecrkit: ${repo}:${tag} is not deployable: ${result.gate.reasons.join('; ')}.`);
        } else {
          out.result(
            'deployable',
            {
              ...result.image,
              imageUri: result.imageUri,
              gate: { passed: result.gate.passed, thresholds: gateThresholds(thresholds), reasons: result.gate.reasons },
            },
            () =>
              out.fields([
                ['Image', `${repo}:${tag}`],
                ['Digest', result.digest],
                ['URI', out.colors.bold(result.imageUri)],
                [
                  'Scan',
                  result.scan
                    ? `${(result.scan.status ?? 'unknown').toLowerCase()}${result.scan.completedAt ? `, ${formatDate(result.scan.completedAt)}` : ''}: ${severityCounts(result.scan.counts)}`
                    : out.colors.yellow('never scanned'),
                ],
              ]) + gateText(out, { passed: result.gate.passed, violations: result.gate.reasons }, thresholds),
          );
        }
        return result.gate.passed ? ExitCode.Ok : ExitCode.GateFailed;
      }),
    );
}
