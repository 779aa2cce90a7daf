/** The few styles the CLI uses; each is the identity when color is off. */
export interface Colors {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const identity = (text: string) => text;

/** Styles that emit ANSI escapes only when `enabled`. */
export function createColors(enabled: boolean): Colors {
  if (!enabled) {
    return { enabled, bold: identity, dim: identity, red: identity, yellow: identity, green: identity, cyan: identity, magenta: identity };
  }
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    magenta: wrap(35, 39),
  };
}

/**
 * Color only for a terminal, and never when asked not to: `--no-color`, `NO_COLOR` (any
 * non-empty value, see no-color.org) or `TERM=dumb`. `FORCE_COLOR` turns it on for a pipe.
 */
export function shouldUseColor(options: { flag: boolean; env: NodeJS.ProcessEnv; isTTY: boolean | undefined }): boolean {
  if (!options.flag) return false;
  if (options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== '') return false;
  if (options.env.FORCE_COLOR !== undefined && options.env.FORCE_COLOR !== '0' && options.env.FORCE_COLOR !== '') return true;
  if (options.env.TERM === 'dumb') return false;
  return options.isTTY === true;
}

// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001b\[[0-9;]*m/g;

/** The text as it appears on screen, escapes removed. */
export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}
