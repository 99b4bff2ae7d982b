import { parseServerSentEvents } from './sse';
import type { ServerSentEvent } from './sse';

async function parse(chunks: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
  }
  for await (const event of parseServerSentEvents(source())) events.push(event);
  return events;
}

describe('parseServerSentEvents', () => {
  it('parses id, event and data, ignoring comments', async () => {
    expect(
      await parse([': hello\n', 'id: 1\nevent: queued\ndata: {"a":1}\n\n', 'id: 2\nevent: started\ndata: {}\n\n']),
    ).toEqual([
      { id: '1', event: 'queued', data: '{"a":1}' },
      { id: '2', event: 'started', data: '{}' },
    ]);
  });

  it('joins lines split across chunks, at any byte (also inside a UTF-8 character)', async () => {
    const text = 'id: 7\nevent: progress\ndata: {"message":"héllo ✓"}\n\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const events: ServerSentEvent[] = [];
      async function* source() {
        yield bytes.subarray(0, cut);
        yield bytes.subarray(cut);
      }
      for await (const event of parseServerSentEvents(source())) events.push(event);
      expect(events).toEqual([{ id: '7', event: 'progress', data: '{"message":"héllo ✓"}' }]);
    }
  });

  it('handles CRLF and CR line ends, multi-line data, a missing event name and a field without a value', async () => {
    expect(await parse(['data: a\r\ndata: b\r\n\r', '\n', 'data\rid: 9\r\r'])).toEqual([
      { id: undefined, event: 'message', data: 'a\nb' },
      { id: '9', event: 'message', data: '' },
    ]);
  });

  it('keeps the last id for later events and drops an unfinished event at the end', async () => {
    expect(await parse(['id: 3\ndata: x\n\ndata: y\n\ndata: partial\n'])).toEqual([
      { id: '3', event: 'message', data: 'x' },
      { id: '3', event: 'message', data: 'y' },
    ]);
  });
});
