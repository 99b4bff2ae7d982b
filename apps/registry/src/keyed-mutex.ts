/**
 * Runs async sections one at a time per key, in arrival order; different keys run concurrently.
 * Keys with nobody waiting are forgotten, so the map stays as small as the work in flight.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** How many keys have a section running or waiting (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}
