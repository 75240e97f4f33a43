// The wallet's web server (`npm run app`): text compressed as the browser asks, byte for byte the same once
// decompressed, and nothing compressed that should not be.
import { expect } from "chai";
import fs from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { chooseEncoding, serveApp } from "./appServer";

/** A built app's folder: a page, a large script (real JavaScript: viem's ABIs, several times), a style, an image. */
function builtApp(): { dist: string; script: Buffer } {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-dist-"));
  fs.mkdirSync(path.join(dist, "assets"));
  const source = fs.readFileSync(path.join(__dirname, "..", "node_modules", "viem", "_esm", "constants", "abis.js"));
  const script = Buffer.concat(Array.from({ length: 6 }, () => source));
  fs.writeFileSync(path.join(dist, "assets", "index.js"), script);
  fs.writeFileSync(path.join(dist, "assets", "index.css"), "body { margin: 0; font-family: system-ui; }\n".repeat(80));
  const page = `<!doctype html><html><head><script type="module" src="./assets/index.js"></script></head><body>${"<p>Punchcard</p>".repeat(100)}</body></html>`;
  fs.writeFileSync(path.join(dist, "index.html"), page);
  fs.writeFileSync(path.join(dist, "logo.png"), Buffer.alloc(4096, 7));
  return { dist, script };
}

describe("npm run app: the wallet's web server", () => {
  let server: http.Server;
  let base: string;
  let built: ReturnType<typeof builtApp>;
  before(async () => {
    built = builtApp();
    server = serveApp({
      dist: built.dist,
      programJson: () => JSON.stringify({ brand: "Northwind Coffee", pad: "x".repeat(2000) }),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A raw GET (fetch would decompress): status, headers and the body's bytes as sent. */
  async function get(pathname: string, acceptEncoding?: string, method = "GET", at = base) {
    const { request } = await import("node:http");
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = request(
        `${at}${pathname}`,
        { method, headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  it("answers the script with brotli when the browser asks, a fraction of its size, and the same bytes unpacked", async () => {
    const res = await get("/assets/index.js", "gzip, deflate, br, zstd");
    expect(res.status).to.equal(200);
    expect(res.headers["content-encoding"]).to.equal("br");
    expect(res.headers.vary).to.equal("accept-encoding");
    expect(Number(res.headers["content-length"])).to.equal(res.body.length);
    expect(res.body.length).to.be.lessThan(built.script.length / 5);
    expect(zlib.brotliDecompressSync(res.body).equals(built.script)).to.equal(true);
  });

  it("answers gzip to a browser that takes only gzip, and HTML, CSS and JSON compressed too", async () => {
    const res = await get("/assets/index.js", "gzip");
    expect(res.headers["content-encoding"]).to.equal("gzip");
    expect(res.body.length).to.be.lessThan(built.script.length / 4);
    expect(zlib.gunzipSync(res.body).equals(built.script)).to.equal(true);
    for (const pathname of ["/", "/assets/index.css", "/program.json", "/collection"]) {
      const text = await get(pathname, "br");
      expect(text.headers["content-encoding"], pathname).to.equal("br");
      expect(zlib.brotliDecompressSync(text.body).length, pathname).to.be.greaterThan(text.body.length);
    }
    // An unknown path gets the page (one-page app), compressed like it.
    const page = zlib.brotliDecompressSync((await get("/collection", "br")).body).toString();
    expect(page).to.contain("<p>Punchcard</p>");
  });

  it("sends the bytes as they are to a client that asks for no compression or refuses it, and never compresses an image", async () => {
    for (const accept of [undefined, "identity", "br;q=0, gzip;q=0", "deflate"]) {
      const res = await get("/assets/index.js", accept);
      expect(res.headers["content-encoding"], String(accept)).to.equal(undefined);
      expect(res.body.equals(built.script), String(accept)).to.equal(true);
    }
    const png = await get("/logo.png", "br, gzip");
    expect(png.headers["content-encoding"]).to.equal(undefined);
    expect(png.headers["content-type"]).to.equal("image/png");
    expect(png.body.length).to.equal(4096);
    const head = await get("/assets/index.js", "br", "HEAD");
    expect(head.headers["content-encoding"]).to.equal("br");
    expect(head.body.length).to.equal(0);
  });

  it("serves nothing outside the built folder, and refuses other methods and broken paths", async () => {
    const escape = await get("/..%2f..%2fetc%2fpasswd");
    expect(escape.body.toString()).to.contain("<p>Punchcard</p>");
    expect((await get("/", undefined, "POST")).status).to.equal(405);
    expect((await get("/%E0%A4%A")).status).to.equal(400);
  });

  it("compresses every text file for brotli as it starts, so the first request waits for no compression", async () => {
    const fresh = builtApp();
    const script = path.join(fresh.dist, "assets", "index.js");
    const builtAt = new Date("2026-01-01T00:00:00Z");
    fs.utimesSync(script, builtAt, builtAt);
    const warming = serveApp({ dist: fresh.dist, programJson: () => "{}" });
    await new Promise<void>((resolve) => warming.listen(0, "127.0.0.1", resolve));
    const at = `http://127.0.0.1:${(warming.address() as AddressInfo).port}`;
    try {
      await warming.warmed;
      // Other bytes under the same time: an answer compressed on request would carry them; the one compressed at the
      // start still has the built script.
      fs.writeFileSync(script, "export const changed = true;\n".repeat(100));
      fs.utimesSync(script, builtAt, builtAt);
      const first = await get("/assets/index.js", "br", "GET", at);
      expect(zlib.brotliDecompressSync(first.body).equals(fresh.script)).to.equal(true);

      // Abuse: a file rebuilt after the start (a new time) is never answered from what was compressed before it.
      fs.utimesSync(script, new Date("2026-01-02T00:00:00Z"), new Date("2026-01-02T00:00:00Z"));
      const rebuilt = await get("/assets/index.js", "br", "GET", at);
      expect(zlib.brotliDecompressSync(rebuilt.body).toString()).to.equal("export const changed = true;\n".repeat(100));
    } finally {
      await new Promise<void>((resolve) => warming.close(() => resolve()));
    }
  });

  it("chooses brotli over gzip, honours q=0 and *, and takes nothing it does not know", () => {
    expect(chooseEncoding("gzip, deflate, br")).to.equal("br");
    expect(chooseEncoding("br;q=0, gzip")).to.equal("gzip");
    expect(chooseEncoding("gzip;q=1.0, br;q=0.5")).to.equal("gzip");
    expect(chooseEncoding("*")).to.equal("br");
    expect(chooseEncoding("*;q=0")).to.equal(undefined);
    expect(chooseEncoding("deflate, zstd")).to.equal(undefined);
    expect(chooseEncoding(undefined)).to.equal(undefined);
  });
});
