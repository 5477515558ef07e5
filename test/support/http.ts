// Requests over a real socket, exactly as given: unlike fetch, no header is added but Host and the
// body's length, so tests can send what browsers never would (a wrong Host, no Content-Type).
import http, { type IncomingHttpHeaders } from "node:http";

export type Answer = { status: number; headers: IncomingHttpHeaders; body: string };
export type Sent = { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] };

/** One request to the server on 127.0.0.1:`port`; a POST unless `method` says otherwise. */
export function sendRequest(port: number, path: string, { method = "POST", headers = {}, body, chunks }: Sent = {}, timeoutMs = 30_000) {
  return new Promise<Answer>((resolve, reject) => {
    const length = body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(body)) };
    // A connection of its own: a kept-alive one that the server has just closed would fail the next request.
    const req = http.request({ host: "127.0.0.1", port, path, method, headers: { ...length, ...headers }, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    // Written one by one without a length: the body goes out chunked.
    for (const chunk of chunks ?? []) req.write(chunk);
    req.end();
  });
}
