/**
 * One call's abort signal: the caller's signal and our own deadline combined, remembering
 * which fired first (caller abort is `Aborted`, our deadline is `Timeout`). Built by hand rather
 * than with `AbortSignal.any`, which on Node 20 keeps every derived signal alive as long as the
 * caller's long-lived signal; `dispose()` removes the listener and the timer.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  #fired: 'caller' | 'deadline' | undefined;

  constructor(caller: AbortSignal | undefined, timeoutMs: number) {
    this.#caller = caller;
    if (caller?.aborted) this.#fire('caller');
    else caller?.addEventListener('abort', this.#onAbort, { once: true });
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) this.#timer = setTimeout(() => this.#fire('deadline'), timeoutMs);
  }

  readonly #onAbort = () => this.#fire('caller');

  #fire(which: 'caller' | 'deadline'): void {
    if (this.#fired !== undefined) return;
    this.#fired = which;
    this.#controller.abort(which === 'caller' ? this.#caller?.reason : undefined);
  }

  /** Aborts when either the caller aborts or the deadline passes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Which fired first, if any. */
  get fired(): 'caller' | 'deadline' | undefined {
    return this.#fired;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onAbort);
  }
}
