// The baseline: Node's own HTTP server returning fixed bytes, one response per path.
import http from "node:http";
import { readFileSync } from "node:fs";

const pages = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Record<string, string>;
const bodies = new Map(Object.entries(pages).map(([path, body]) => [path, Buffer.from(body)]));
const server = http.createServer((req, res) => {
  const body = bodies.get(req.url ?? "/");
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": body.length });
  res.end(body);
});
server.listen(Number(process.argv[3]), "127.0.0.1", () => process.send?.("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
