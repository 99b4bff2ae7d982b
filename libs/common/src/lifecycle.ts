/** Something that can be stopped gracefully: stop taking work, finish what is in flight, release. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Waits for the first of `signals`, then closes `target` and resolves. A second signal while
 * closing forces exit 1: an operator pressing Ctrl-C twice wants out now.
 */
export function runUntilSignal(
  target: Closable,
  signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
  onSignal?: (signal: NodeJS.Signals) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (closing) {
        process.exit(1);
      }
      closing = true;
      onSignal?.(signal);
      target.close().then(
        () => {
          for (const s of signals) process.off(s, handler);
          resolve();
        },
        (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
      );
    };
    for (const s of signals) process.on(s, handler);
  });
}
