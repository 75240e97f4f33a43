/**
 * The web server of the built member wallet (app/dist) for `npm run app`: static files, one page (unknown paths get
 * index.html), the program the app shows at /program.json, and text (HTML, JS, CSS, JSON, SVG) compressed with
 * brotli or gzip as the browser asks (Accept-Encoding), by Node's zlib. The wallet's script is 910 KB as built and
 * a phone on a slow line waits for every byte: compressed it is a fraction of that. Each file is compressed once
 * per encoding and kept in memory while it is unchanged (the folder is a build, not a live source); for brotli, what
 * every current browser asks for, that is done as the server starts, so no member waits for a compression (a new
 * passkey card's first screen fetches over half of the wallet's script at once).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** What is worth compressing: text. Images (PNG) are compressed already. */
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".svg"]);

/** Bodies smaller than this go as they are: a compressed header would cost more than it saves. */
const MIN_COMPRESS_BYTES = 1024;

export type ContentEncoding = "br" | "gzip";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Compresses `body` for `encoding`: brotli at quality 9 (near its best ratio, a fraction of quality 11's time), gzip at 9. */
async function compress(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  if (encoding === "br")
    return brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  return gzip(body, { level: 9 });
}

/**
 * The encoding to answer with for an Accept-Encoding header: brotli when the client takes it, else gzip, else none.
 * A coding with q=0 is refused by the client; `*` stands for any coding not named.
 *
 * @example
 * chooseEncoding("gzip, deflate, br"); // "br"
 * chooseEncoding("br;q=0, gzip");      // "gzip"
 */
export function chooseEncoding(header: string | undefined): ContentEncoding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (coding: string) => weights.get(coding) ?? weights.get("*") ?? 0;
  const [br, gz] = [weight("br"), Math.max(weight("gzip"), weights.get("x-gzip") ?? 0)];
  if (br > 0 && br >= gz) return "br";
  if (gz > 0) return "gzip";
  return undefined;
}

export interface ServeAppOptions {
  /** The built app's folder (app/dist). */
  dist: string;
  /** The body of /program.json, read at each request. */
  programJson: () => string;
}

/** The app's server, and when it has compressed every text file of the build (`warmed` never rejects). */
export type AppServer = http.Server & { warmed: Promise<void> };

/**
 * Serves the built app and /program.json. Unknown paths get index.html (one page). GET and HEAD only. Every text
 * file of the build is compressed for brotli in the background as it starts, one file at a time.
 *
 * @example
 * const server = serveApp({ dist: "app/dist", programJson: () => JSON.stringify(record) });
 * server.listen(5173, "127.0.0.1");
 */
export function serveApp({ dist, programJson }: ServeAppOptions): AppServer {
  const root = path.resolve(dist);
  const cache = new Map<string, { mtimeMs: number; body: Promise<Buffer> }>();
  const compressed = (file: string, encoding: ContentEncoding, stat: fs.Stats) => {
    const key = `${encoding}:${file}`;
    const hit = cache.get(key);
    if (hit && hit.mtimeMs === stat.mtimeMs) return hit.body;
    const body = fs.promises.readFile(file).then((raw) => compress(raw, encoding));
    cache.set(key, { mtimeMs: stat.mtimeMs, body });
    body.catch(() => cache.delete(key));
    return body;
  };

  const answer = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (request.method !== "GET" && request.method !== "HEAD") {
      response
        .writeHead(405, { "content-type": "text/plain", allow: "GET, HEAD" })
        .end(`${request.method} is not served here.\n`);
      return;
    }
    const encoding = chooseEncoding(request.headers["accept-encoding"]);
    if (url.pathname === "/program.json") {
      const body = Buffer.from(programJson());
      const headers = { "content-type": TYPES[".json"]!, "cache-control": "no-store", vary: "accept-encoding" };
      if (encoding && body.length >= MIN_COMPRESS_BYTES) {
        const packed = await compress(body, encoding);
        response.writeHead(200, { ...headers, "content-encoding": encoding, "content-length": packed.length });
        response.end(request.method === "HEAD" ? undefined : packed);
      } else
        response.writeHead(200, { ...headers, "content-length": body.length }).end(request.method === "HEAD" ? undefined : body);
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      response.writeHead(400, { "content-type": "text/plain" }).end("The path is not valid percent-encoding.\n");
      return;
    }
    const file = path.normalize(path.join(root, pathname));
    const inside = file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
    const chosen = inside ? file : path.join(root, "index.html");
    const stat = fs.statSync(chosen);
    const extension = path.extname(chosen);
    const headers: http.OutgoingHttpHeaders = {
      "content-type": TYPES[extension] ?? "application/octet-stream",
      vary: "accept-encoding",
    };
    if (encoding && COMPRESSIBLE.has(extension) && stat.size >= MIN_COMPRESS_BYTES) {
      const body = await compressed(chosen, encoding, stat);
      response.writeHead(200, { ...headers, "content-encoding": encoding, "content-length": body.length });
      response.end(request.method === "HEAD" ? undefined : body);
      return;
    }
    response.writeHead(200, { ...headers, "content-length": stat.size });
    if (request.method === "HEAD") response.end();
    else fs.createReadStream(chosen).pipe(response);
  };

  const warm = async () => {
    for (const name of fs.readdirSync(root, { recursive: true, encoding: "utf8" })) {
      const file = path.join(root, name);
      const stat = fs.statSync(file);
      if (stat.isFile() && COMPRESSIBLE.has(path.extname(file)) && stat.size >= MIN_COMPRESS_BYTES) {
        // A file that cannot be read now is compressed (or reported) when it is asked for, as before.
        await compressed(file, "br", stat).catch(() => undefined);
      }
    }
  };

  const server = http.createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end(`The app's files could not be read: ${(error as Error).message}\n`);
    });
  });
  return Object.assign(server, { warmed: warm().catch(() => undefined) });
}
