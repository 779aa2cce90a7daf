/** A subscription; `dispose()` ends it. */
export interface Disposable {
  dispose(): void;
}

/**
 * Listeners of one kind of event. Emitting calls each in the order added; one that throws is
 * ignored, so observers cannot break calls. (All that ecrkit used of cockatiel was its event
 * emitter; this is that, in a dozen lines.)
 */
export class Listeners<T> {
  #listeners: ((event: T) => void)[] = [];

  add(listener: (event: T) => void): Disposable {
    this.#listeners = [...this.#listeners, listener];
    return {
      dispose: () => {
        this.#listeners = this.#listeners.filter((l) => l !== listener);
      },
    };
  }

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Observers must not break calls.
      }
    }
  }
}
