import type { EventEmitter } from 'node:events';

/**
 * Resolves on the stream's 'drain', or on any of `endEvents` (a stream that closed, failed or was
 * cancelled never drains). Listeners are removed either way.
 */
export function waitForDrain(stream: EventEmitter, endEvents: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const events = ['drain', ...endEvents];
    const done = (): void => {
      for (const event of events) stream.off(event, done);
      resolve();
    };
    for (const event of events) stream.on(event, done);
  });
}

/**
 * Writes one message to a writable gRPC call, waiting for 'drain' when grpc-js's buffer is full:
 * a large upload stays flat in memory and HTTP/2 flow control holds the writer back.
 */
export async function writeWithBackPressure<Message>(
  call: EventEmitter & { write(message: Message): boolean; destroyed?: boolean },
  message: Message,
): Promise<void> {
  // A stream already destroyed has emitted its 'close': waiting for one would never end.
  if (call.write(message) || call.destroyed === true) return;
  await waitForDrain(call, ['close', 'error']);
}
