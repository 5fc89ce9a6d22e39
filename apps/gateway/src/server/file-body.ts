import { createReadStream } from "node:fs";
import type { ServerResponse } from "node:http";

/**
 * Sends the first `sizeBytes` of `file` as the body whose Content-Length was set from that size.
 * A recording in progress grows between the stat and the read: streamed whole, the bytes beyond
 * the announced length went down the socket too, and the client's next response on that
 * keep-alive connection began with them ("Parse Error: Expected HTTP/", seen in the gateway test
 * on a loaded machine). The download is the recording as it was when asked for; it may end
 * mid-line, which the reader takes as a cut file (its last whole line).
 */
export function sendFileBytes(res: ServerResponse, file: string, sizeBytes: number): void {
  if (sizeBytes <= 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start: 0, end: sizeBytes - 1 });
  // A file that vanished or shrank after the stat cannot meet the length announced: end the
  // connection rather than leave the client waiting for bytes that never come. (Registered
  // before pipe's own "end" listener, so that it runs before the response is ended.)
  let sent = 0;
  stream.on("data", (chunk) => (sent += chunk.length));
  stream.on("end", () => {
    if (sent < sizeBytes) res.destroy();
  });
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}
