import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../test/captureIo.js';
import { App } from '../App.js';
import { main } from '../main.js';
import { createProgram } from '../program.js';
import { completionScript, type CompletionShell } from './completion.js';

// The scripts run in the real shells: bash always (CI's image has it), zsh and fish when
// installed (.ci/run installs them with apt-get; the test names say when one is missing).
const dir = mkdtempSync(join(tmpdir(), 'ecrkit-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

function scriptFile(shell: CompletionShell): string {
  const path = join(dir, `ecrkit.${shell}`);
  writeFileSync(path, completionScript(createProgram(new App(captureIo().io)), shell));
  return path;
}

// Each case: the words typed so far (the last one being completed) and what must be offered.
const cases: [string[], string[], string[]][] = [
  [['ecrkit', 'pu'], ['public', 'pull-secret'], ['repos']],
  [['ecrkit', 'public', 'i'], ['images'], ['repos']],
  [['ecrkit', '--state', 'x.json', 'lif'], ['lifecycle'], []],
  [['ecrkit', 'lifecycle', ''], ['preview'], ['repos']],
  [['ecrkit', '--output', ''], ['table', 'json', 'text'], ['repos']],
  [['ecrkit', 'images', 'web-app', '--t'], ['--tagged', '--target', '--transport'], ['--platform']],
  [['ecrkit', '-o', 'json', 'public', ''], ['repos', 'repo', 'images'], ['demo']],
  [['ecrkit', 'completion', ''], ['bash', 'zsh', 'fish'], []],
  [['ecrkit', 'manifest', 'api-service', 'latest', '--p'], ['--platform', '--profile'], ['--tagged']],
  [['ecrkit', 'replication', ''], ['status', 'verify'], ['repos']],
  [['ecrkit', 'replication', 'verify', 'web-app', 'v1.2.0', '--w'], ['--wait'], ['--regions']],
  [['ecrkit', 'pin', 'k8s/web.yaml', '--c'], ['--check', '--cluster-account', '--cluster-region'], ['--wait']],
  [['ecrkit', 'similar', 'web-app', 'v1.2.0', '--'], ['--limit', '--repos', '--query'], ['--check']],
];

describe('ecrkit completion', () => {
  it('prints the script for each shell on stdout, and refuses another shell', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const s = captureIo();
      expect(await main(['completion', shell], s.io)).toBe(0);
      expect(s.out()).toContain(`completion for ${shell}`);
    }
    const bad = captureIo();
    expect(await main(['completion', 'tcsh'], bad.io)).toBe(2);
    expect(bad.err()).toContain("'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });

  it('bash: completes commands, subcommands, options and option values', () => {
    const script = scriptFile('bash');
    for (const [words, offered, notOffered] of cases) {
      const out = execFileSync(
        'bash',
        ['-c', `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ecrkit; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', script, ...words],
        { encoding: 'utf8' },
      );
      const got = out.split('\n').filter(Boolean);
      for (const w of offered) expect(got, words.join(' ')).toContain(w);
      for (const w of notOffered) expect(got, words.join(' ')).not.toContain(w);
    }
  });

  it.skipIf(!has('fish'))('fish: completes the same (skipped when fish is not installed)', () => {
    const script = scriptFile('fish');
    for (const [words, offered, notOffered] of cases) {
      const out = execFileSync('fish', ['-c', 'source $argv[1]; complete -C $argv[2]', script, words.join(' ')], { encoding: 'utf8' });
      const got = out.split('\n').map((l) => l.split('\t')[0]!);
      for (const w of offered) expect(got, words.join(' ')).toContain(w);
      for (const w of notOffered) expect(got, words.join(' ')).not.toContain(w);
    }
  });

  it.skipIf(!has('zsh'))('zsh: offers the same candidates to compsys (skipped when zsh is not installed)', () => {
    const script = scriptFile('zsh');
    // compsys itself needs an interactive shell; its entry points are stood in for, printing what they are given.
    const harness = [
      'compdef() { :; }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh parameter expansion, not a template.
      '_describe() { local -a described; described=("${(@P)4}"); print -rl -- "${described[@]%%:*}"; }',
      'compadd() { shift; print -rl -- "$@"; }',
      '_files() { print -r -- "<files>"; }',
      'source "$1"; shift',
      'words=("$@"); CURRENT=$#; _ecrkit',
    ].join('\n');
    for (const [words, offered, notOffered] of cases) {
      const out = execFileSync('zsh', ['-f', '-c', harness, 'zsh', script, ...words], { encoding: 'utf8' });
      // zsh filters by the typed prefix itself; keep what matches it, as compsys would.
      const prefix = words.at(-1)!;
      const got = out.split('\n').filter((w) => w.startsWith(prefix));
      for (const w of offered) expect(got, words.join(' ')).toContain(w);
      for (const w of notOffered) expect(got, words.join(' ')).not.toContain(w);
    }
    expect(spawnSync('zsh', ['-n', script]).status).toBe(0);
  });
});
