import { createSpinner, type Spinner } from 'nanospinner';
import type { Output } from './Output.js';

/** A live progress line for a wait: a spinner on a terminal, plain lines otherwise. */
export interface Progress {
  /** Replace the progress text. Off a terminal, only a changed text prints a new line. */
  update(text: string): void;
  /** End with a success mark and a final text. */
  succeed(text: string): void;
  /** End with a failure mark and a final text. */
  fail(text: string): void;
  /** End without a mark (the caller prints its own result). */
  stop(): void;
}

/**
 * Start a progress line on stderr. nanospinner decides "terminal" from stdout, so the spinner
 * is used only when both streams are terminals; a pipe or CI log gets one line per change.
 */
export function startProgress(out: Output, text: string): Progress {
  // A terminal that reports no width (a bare pty) makes nanospinner's line count infinite.
  const width = (out.stderr as { columns?: number }).columns;
  const interactive = out.stderr.isTTY === true && out.stdout.isTTY === true && process.env.CI === undefined && typeof width === 'number' && width > 0;
  if (interactive) return spinnerProgress(createSpinner(text, { stream: out.stderr as NodeJS.WriteStream }).start());
  let last = '';
  const print = (line: string) => {
    if (line !== last) out.stderr.write(`${line}\n`);
    last = line;
  };
  print(`... ${text}`);
  return {
    update: (next) => print(`... ${next}`),
    succeed: (next) => print(`${out.colors.green('ok')} ${next}`),
    fail: (next) => print(`${out.colors.red('failed')} ${next}`),
    stop: () => undefined,
  };
}

function spinnerProgress(spinner: Spinner): Progress {
  return {
    update: (text) => void spinner.update({ text }),
    succeed: (text) => void spinner.success({ text }),
    fail: (text) => void spinner.error({ text }),
    stop: () => void spinner.stop(),
  };
}
