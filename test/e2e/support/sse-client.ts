/** One server-sent event as received. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Reads a text/event-stream with Node's fetch and keeps every event. For tests: `waitFor`
 * polls what arrived, bounded; `close()` aborts the stream.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  private readonly abort = new AbortController();
  private ended?: Promise<void>;
  private failure?: Error;

  private constructor(readonly url: string) {}

  /** Connects; resolves once the server answered 200 with an event stream. */
  static async connect(url: string, timeoutMs = 10_000): Promise<SseClient> {
    const client = new SseClient(url);
    const timer = setTimeout(() => client.abort.abort(), timeoutMs);
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream' },
      signal: client.abort.signal,
    });
    clearTimeout(timer);
    if (response.status !== 200 || !response.body)
      throw new Error(`GET ${url} answered ${response.status}`);
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream'))
      throw new Error(
        `GET ${url} is not an event stream (${response.headers.get('content-type')})`,
      );
    client.ended = client.read(response.body);
    return client;
  }

  /** Waits until an event matching `match` arrived; fails after `timeoutMs` naming `what`. */
  async waitFor(
    what: string,
    match: (event: SseEvent) => boolean,
    timeoutMs = 60_000,
  ): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.failure)
        throw new Error(
          `the stream ${this.url} failed while waiting for ${what}: ${this.failure.message}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} on ${this.url}; ${this.events.length} event(s) arrived, last: ${JSON.stringify(this.events.slice(-3))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.ended;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
        }
      }
    } catch (error) {
      if (!this.abort.signal.aborted) this.failure = error as Error;
    }
  }

  private parse(block: string): void {
    const event: SseEvent = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon === 0) continue; // a comment
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
    }
    if (data.length === 0) return;
    event.data = data.join('\n');
    this.events.push(event);
  }
}
