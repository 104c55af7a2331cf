import * as net from 'node:net';

/**
 * Sends bytes Node's own HTTP client refuses to send (a NUL in a header value) and returns the
 * status line, the headers and the body of the answer. The server closes the connection.
 */
export async function rawRequest(
  url: string,
  head: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { hostname, port } = new URL(url);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let received = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer from ${url}`)));
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(head);
  });
  const [headerPart, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...headerLines] = headerPart.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}
