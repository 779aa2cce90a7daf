import { Argument, type Command } from 'commander';
import type { App } from '../App.js';

/** The shells `ecrkit completion` writes scripts for. */
export const completionShells = ['bash', 'zsh', 'fish'] as const;
/** One of {@link completionShells}. */
export type CompletionShell = (typeof completionShells)[number];

interface OptionSpec {
  names: string[];
  description: string;
  takesValue: boolean;
  /** Values to offer; `undefined` with `files` for a path. */
  choices?: readonly string[];
  files: boolean;
}

interface CommandSpec {
  /** Words after `ecrkit`, e.g. `public images`; '' for the root. */
  path: string;
  subcommands: { name: string; description: string }[];
  /** The command's own options and the root's (global options are accepted after any command). */
  options: OptionSpec[];
  /** Choices of the first positional argument, if it has any. */
  argumentChoices: readonly string[];
}

/**
 * `completion bash|zsh|fish`: a completion script generated from the command tree, so it
 * always matches the commands and options of this version. Static: pressing Tab runs no
 * ecrkit process and reaches no registry.
 */
export function registerCompletionCommand(program: Command, app: App): void {
  program
    .command('completion')
    .description('Print a shell completion script (commands, options and their values) for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(completionShells))
    .addHelpText(
      'after',
      '\nExamples:\n  $ source <(ecrkit completion bash)                                   add to ~/.bashrc\n  $ ecrkit completion zsh > ~/.zsh/completions/_ecrkit               a directory in $fpath\n  $ ecrkit completion fish > ~/.config/fish/completions/ecrkit.fish\n\nIgnores --output: the script is the result.',
    )
    .action((shell: CompletionShell) => {
      app.io.stdout.write(completionScript(program, shell));
    });
}

/** The completion script for `shell`, generated from `root` (the `ecrkit` program). */
export function completionScript(root: Command, shell: CompletionShell): string {
  const specs = commandSpecs(root);
  const valueOptions = optionsTakingValues(specs);
  switch (shell) {
    case 'bash':
      return bashScript(root.name(), specs, valueOptions);
    case 'zsh':
      return zshScript(root.name(), specs, valueOptions);
    case 'fish':
      return fishScript(root.name(), specs, valueOptions);
  }
}

function commandSpecs(root: Command): CommandSpec[] {
  const rootOptions = optionSpecs(root);
  // Below the root, its options minus --version (which only the root takes) and the help option each command has.
  const globals = rootOptions.filter((o) => !o.names.includes('--version') && !o.names.includes('--help'));
  const specs: CommandSpec[] = [];
  const visit = (command: Command, path: string) => {
    const visible = command.createHelp().visibleCommands(command);
    specs.push({
      path,
      subcommands: visible.map((c) => ({ name: c.name(), description: c.description() })),
      options: command === root ? rootOptions : [...optionSpecs(command), ...globals],
      argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
    });
    for (const sub of visible) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(root, '');
  return specs;
}

function optionSpecs(command: Command): OptionSpec[] {
  const help = command.createHelp();
  return help.visibleOptions(command).map((option) => {
    const takesValue = option.required || option.optional;
    const files = /<(file|seed)>/.test(option.flags);
    return {
      names: [option.short, option.long].filter((n): n is string => n !== undefined),
      description: option.description,
      takesValue,
      ...(option.argChoices ? { choices: option.argChoices } : {}),
      files,
    };
  });
}

/**
 * Every option name that takes a value, whichever command it belongs to: the scripts skip the
 * word after one when they work out which command is being typed. A name that took a value in
 * one command and not in another would make that ambiguous, so it is refused here.
 */
function optionsTakingValues(specs: readonly CommandSpec[]): OptionSpec[] {
  const byName = new Map<string, OptionSpec>();
  for (const option of specs.flatMap((s) => s.options)) {
    for (const name of option.names) {
      const seen = byName.get(name);
      if (seen && seen.takesValue !== option.takesValue) throw new Error(`completion: option ${name} takes a value in one command and not in another`);
      byName.set(name, option);
    }
  }
  return [...new Set(byName.values())].filter((o) => o.takesValue);
}

function words(list: readonly string[]): string {
  return list.join(' ');
}

/** Single-quoted for POSIX shells and fish. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Case labels (`a|b`) and bodies shared by the bash and zsh scripts. */
function caseArms(entries: readonly [string, string][]): string {
  return entries.map(([label, body]) => `    ${quote(label)}) ${body} ;;`).join('\n');
}

function bashScript(name: string, specs: readonly CommandSpec[], valueOptions: readonly OptionSpec[]): string {
  const fn = `_${name.replace(/-/g, '_')}`;
  const isSub = specs.flatMap((s) => s.subcommands.map((c) => `${s.path ? `${s.path} ` : ''}${c.name}`));
  const valuePattern = valueOptions.flatMap((o) => o.names).join('|');
  const values = valueOptions.flatMap((o) => o.names.map((n): [string, string] => [n, o.files ? 'echo @files' : `echo ${quote(words(o.choices ?? []))}`]));
  return `# ${name} completion for bash, generated by \`${name} completion bash\`.
# Load it in ~/.bashrc: source <(${name} completion bash)
${fn}_words() {
  case "$1" in
${caseArms(specs.map((s) => [s.path, `echo ${quote(words([...s.subcommands.map((c) => c.name), ...s.argumentChoices]))}`]))}
  esac
}
${fn}_options() {
  case "$1" in
${caseArms(specs.map((s) => [s.path, `echo ${quote(words(s.options.flatMap((o) => o.names)))}`]))}
  esac
}
${fn}_values() {
  case "$1" in
${caseArms(values)}
  esac
}
${fn}_is_command() {
  case "$1" in
${caseArms(isSub.map((p) => [p, 'return 0']))}
  esac
  return 1
}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" word skip=0 i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$word" in
      ${valuePattern}) skip=1 ;;
      -*) ;;
      *) if ${fn}_is_command "\${path:+$path }$word"; then path="\${path:+$path }$word"; fi ;;
    esac
  done
  if ((skip)); then
    local values
    values="$(${fn}_values "$prev")"
    if [[ "$values" == @files ]]; then COMPREPLY=($(compgen -f -- "$cur")); else COMPREPLY=($(compgen -W "$values" -- "$cur")); fi
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_options "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(${fn}_words "$path")" -- "$cur"))
  fi
  return 0
}
complete -o default -F ${fn} ${name}
`;
}

/** `name:description` entries for zsh's `_describe` (a colon in a name would need escaping; ours have none). */
function described(entries: readonly { name: string; description: string }[]): string {
  return entries.map((e) => quote(`${e.name}:${e.description.replace(/\s+/g, ' ')}`)).join(' ');
}

function zshScript(name: string, specs: readonly CommandSpec[], valueOptions: readonly OptionSpec[]): string {
  const fn = `_${name.replace(/-/g, '_')}`;
  const isSub = specs.flatMap((s) => s.subcommands.map((c) => `${s.path ? `${s.path} ` : ''}${c.name}`));
  const valuePattern = valueOptions.flatMap((o) => o.names).join('|');
  const values = valueOptions.flatMap((o) =>
    o.names.map((n): [string, string] => [n, o.files ? '_files' : `compadd -- ${words((o.choices ?? []).map(quote))}`]),
  );
  return `#compdef ${name}
# ${name} completion for zsh, generated by \`${name} completion zsh\`.
# Save it as _${name} in a directory of $fpath: ${name} completion zsh > "\${fpath[1]}/_${name}"
${fn}_is_command() {
  case "$1" in
${caseArms(isSub.map((p) => [p, 'return 0']))}
  esac
  return 1
}
${fn}() {
  local cmdpath="" word skip=0 i
  local -a entries
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$word" in
      ${valuePattern}) skip=1 ;;
      -*) ;;
      *) if ${fn}_is_command "\${cmdpath:+$cmdpath }$word"; then cmdpath="\${cmdpath:+$cmdpath }$word"; fi ;;
    esac
  done
  if ((skip)); then
    case "\${words[CURRENT-1]}" in
${caseArms(values)}
    esac
    return
  fi
  if [[ "\${words[CURRENT]}" == -* ]]; then
    case "$cmdpath" in
${caseArms(specs.map((s) => [s.path, `entries=(${described(s.options.flatMap((o) => o.names.map((n) => ({ name: n, description: o.description }))))})`]))}
    esac
    _describe -t options 'option' entries
  else
    case "$cmdpath" in
${caseArms(specs.map((s) => [s.path, `entries=(${described([...s.subcommands, ...s.argumentChoices.map((c) => ({ name: c, description: c }))])})`]))}
    esac
    _describe -t commands 'command' entries
  fi
}
if [[ "$funcstack[1]" == "${fn}" ]]; then ${fn} "$@"; else compdef ${fn} ${name}; fi
`;
}

function fishScript(name: string, specs: readonly CommandSpec[], valueOptions: readonly OptionSpec[]): string {
  const fn = `__${name.replace(/-/g, '_')}`;
  const isSub = specs.flatMap((s) => s.subcommands.map((c) => `${s.path ? `${s.path} ` : ''}${c.name}`));
  const lines = [
    `# ${name} completion for fish, generated by \`${name} completion fish\`.`,
    `# Save it: ${name} completion fish > ~/.config/fish/completions/${name}.fish`,
    `function ${fn}_path --description 'the ${name} command being typed'`,
    '    set -l words (commandline -opc)',
    '    set -l path',
    '    set -l skip 0',
    '    for word in $words[2..-1]',
    '        if test $skip = 1',
    '            set skip 0',
    '            continue',
    '        end',
    '        switch $word',
    `            case ${valueOptions
      .flatMap((o) => o.names)
      .map(quote)
      .join(' ')}`,
    '                set skip 1',
    "            case '-*'",
    "            case '*'",
    `                if contains -- (string join ' ' $path $word) ${isSub.map(quote).join(' ')}`,
    '                    set -a path $word',
    '                end',
    '        end',
    '    end',
    "    string join ' ' $path",
    'end',
    `function ${fn}_at --description 'whether the command being typed is argv[1]'`,
    `    set -l path (${fn}_path)`,
    '    test "$path" = "$argv[1]"',
    'end',
    `complete -c ${name} -f`,
  ];
  for (const spec of specs) {
    const at = `-n ${quote(`${fn}_at ${quote(spec.path)}`)}`;
    for (const sub of spec.subcommands) lines.push(`complete -c ${name} ${at} -a ${quote(sub.name)} -d ${quote(sub.description)}`);
    for (const choice of spec.argumentChoices) lines.push(`complete -c ${name} ${at} -a ${quote(choice)}`);
    for (const option of spec.options) {
      const flags = option.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
      const value = option.takesValue ? (option.files ? ' -r -F' : ` -x -a ${quote(words(option.choices ?? []))}`) : '';
      lines.push(`complete -c ${name} ${at} ${flags}${value} -d ${quote(option.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
