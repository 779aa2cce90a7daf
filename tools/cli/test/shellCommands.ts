import { parse, type ParseEntry } from 'shell-quote';

/**
 * The `ecrkit` invocations in a shell line, each as its arguments: the commands of a pipeline,
 * of `$(...)`, `<(...)` and `eval "$(...)"`, without redirections. Documentation lines are
 * written for a shell; tests run what they name.
 */
export function ecrkitInvocations(line: string): string[][] {
  const found: string[][] = [];
  // Keep `$NAME` as written (no environment substitution).
  const tokens = parse(line, (name) => `$${name}`);
  let current: string[] | undefined;
  let skipNext = false;
  const end = () => {
    if (current) found.push(current);
    current = undefined;
  };
  for (const token of tokens as ParseEntry[]) {
    if (typeof token === 'object' && 'op' in token) {
      end();
      // The word after a redirection is its file.
      skipNext = token.op === '>' || token.op === '>>' || token.op === '<';
      continue;
    }
    if (typeof token !== 'string') continue;
    if (skipNext) {
      skipNext = false;
      continue;
    }
    const inner = /^\$\((.*)\)$/s.exec(token);
    if (inner) {
      end();
      found.push(...ecrkitInvocations(inner[1]!));
    } else if (current) current.push(token);
    else if (token === 'ecrkit') current = [];
  }
  end();
  return found;
}
