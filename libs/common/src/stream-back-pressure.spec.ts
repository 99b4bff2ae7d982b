import { EventEmitter } from 'node:events';
import { waitForDrain, writeWithBackPressure } from './stream-back-pressure';

class FullStream extends EventEmitter {
  readonly written: string[] = [];
  constructor(private readonly accepts: boolean) {
    super();
  }
  write(message: string): boolean {
    this.written.push(message);
    return this.accepts;
  }
}

describe('stream back-pressure', () => {
  it('returns at once while the stream accepts, and waits for drain when it is full', async () => {
    await writeWithBackPressure(new FullStream(true), 'a');
    const full = new FullStream(false);
    let done = false;
    const writing = writeWithBackPressure(full, 'b').then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    full.emit('drain');
    await writing;
    expect(full.written).toEqual(['b']);
    expect(full.listenerCount('drain') + full.listenerCount('close') + full.listenerCount('error')).toBe(0);
  });

  it('stops waiting when the stream ends instead of draining', async () => {
    const stream = new EventEmitter();
    const waiting = waitForDrain(stream, ['cancelled']);
    stream.emit('cancelled');
    await waiting;
    expect(stream.listenerCount('drain')).toBe(0);
  });
});
