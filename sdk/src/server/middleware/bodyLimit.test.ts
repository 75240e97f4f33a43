import net from "node:net";
import { expect } from "chai";
import { Hono } from "hono";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { marketProgram } from "../../../../test/helpers/sdkProgram.js";
import { startProgramServer } from "../start.js";
import { limitBody } from "./bodyLimit.js";

/** One HTTP/1.1 connection held open, read one answer at a time: what a keep-alive client does. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let buffered = Buffer.alloc(0);
  let ended = false;
  let failure: Error | undefined;
  let wake: () => void = () => {};
  socket.on("data", (chunk) => ((buffered = Buffer.concat([buffered, chunk])), wake()));
  socket.on("end", () => ((ended = true), wake()));
  socket.on("error", (error) => ((failure = error), wake()));
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  return {
    send: (text: string | Buffer) => socket.write(text),
    /** The next whole answer: status, headers (lowercase names), body. */
    async answer(): Promise<{ status: number; headers: Record<string, string>; body: string }> {
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end >= 0) {
          const [statusLine, ...lines] = buffered.subarray(0, end).toString().split("\r\n");
          const headers = Object.fromEntries(
            lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
          );
          const length = Number(headers["content-length"] ?? 0);
          if (buffered.length >= end + 4 + length) {
            const body = buffered.subarray(end + 4, end + 4 + length).toString();
            buffered = buffered.subarray(end + 4 + length);
            return { status: Number(statusLine!.split(" ")[1]), headers, body };
          }
        }
        if (failure) throw failure;
        if (ended) throw new Error("the server closed the connection without an answer");
        await next();
      }
    },
    /** Resolves true once the server ended the connection (or reset it), false if it is still open after `ms`. */
    async closedWithin(ms: number): Promise<boolean> {
      const deadline = Date.now() + ms;
      while (!ended && !failure && Date.now() < deadline)
        await Promise.race([next(), new Promise((r) => setTimeout(r, deadline - Date.now()))]);
      return ended || failure !== undefined;
    },
    close: () => socket.destroy(),
  };
}

const post = (body: string | Buffer, chunked = false) =>
  Buffer.concat([
    Buffer.from(
      "POST /orders HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" +
        (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`),
    ),
    chunked
      ? Buffer.concat([
          Buffer.from(`${Buffer.byteLength(body).toString(16)}\r\n`),
          Buffer.from(body),
          Buffer.from("\r\n0\r\n\r\n"),
        ])
      : Buffer.from(body),
  ]);
const health = "GET /health HTTP/1.1\r\nHost: test\r\n\r\n";

describe("server: a body too large", () => {
  it("answers 413 saying the limit, and the next request on the same keep-alive connection is answered", async () => {
    const { program, ben } = await loadFixture(marketProgram);
    const server = await startProgramServer({ program, client: ben, db: ":memory:", port: 0, maxBodyBytes: 1_000 });
    try {
      for (const [size, chunked] of [
        [200_000, false],
        [5_000, false],
        [200_000, true],
      ] as const) {
        const connection = rawConnection(server.url);
        try {
          connection.send(post(JSON.stringify({ kind: "listing", pad: "x".repeat(size) }), chunked));
          const refused = await connection.answer();
          expect(refused.status).to.equal(413);
          expect(JSON.parse(refused.body)).to.deep.equal({
            error: { code: "body_too_large", message: "The request body is larger than 1000 bytes, the most this server takes." },
          });
          expect(refused.headers.connection).to.not.equal("close");
          connection.send(health);
          const next = await connection.answer();
          expect(next.status, `${size} bytes${chunked ? ", chunked" : ""}`).to.equal(200);
          expect(JSON.parse(next.body)).to.include({ ok: true });
        } finally {
          connection.close();
        }
      }
    } finally {
      await server.close();
    }
  });

  it("says Connection: close, and closes, when the body is too large to read through (more than 1 MiB)", async () => {
    const { program, ben } = await loadFixture(marketProgram);
    const server = await startProgramServer({ program, client: ben, db: ":memory:", port: 0, maxBodyBytes: 1_000 });
    try {
      const connection = rawConnection(server.url);
      try {
        // Declared at 8 MiB; only the head is sent, as a client would before it sees the answer.
        connection.send(
          "POST /orders HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 8388608\r\n\r\n{",
        );
        const refused = await connection.answer();
        expect(refused.status).to.equal(413);
        expect(refused.headers.connection).to.equal("close");
        expect(JSON.parse(refused.body).error.code).to.equal("body_too_large");
        expect(await connection.closedWithin(5_000)).to.equal(true);
      } finally {
        connection.close();
      }
    } finally {
      await server.close();
    }
  });
});

describe("server: the body limit on reads", () => {
  /** A request that counts how often its body is asked for (asking builds the adapter's whole web Request). */
  class CountingRequest extends Request {
    static reads = 0;
    override get body() {
      CountingRequest.reads++;
      return super.body;
    }
  }

  it("lets a GET or HEAD through without asking for its body, and still counts a POST's", async () => {
    const app = new Hono().use("*", limitBody({ maxBytes: 10 })).all("/", (c) => c.text("ok"));
    CountingRequest.reads = 0;
    for (const method of ["GET", "HEAD"]) {
      const answer = await app.request(new CountingRequest("http://test/", { method }));
      expect(answer.status, method).to.equal(200);
    }
    expect(CountingRequest.reads).to.equal(0);
    const refused = await app.request(new CountingRequest("http://test/", { method: "POST", body: "x".repeat(11) }));
    expect(refused.status).to.equal(413);
    expect(CountingRequest.reads).to.be.greaterThan(0);
  });

  it("answers a GET that carries a large body, and the next request on the same connection", async () => {
    const { program, ben } = await loadFixture(marketProgram);
    const server = await startProgramServer({ program, client: ben, db: ":memory:", port: 0, maxBodyBytes: 1_000 });
    try {
      const connection = rawConnection(server.url);
      try {
        connection.send(`GET /health HTTP/1.1\r\nHost: test\r\nContent-Length: 200000\r\n\r\n${"x".repeat(200_000)}`);
        expect((await connection.answer()).status).to.equal(200);
        connection.send(health);
        expect((await connection.answer()).status).to.equal(200);
      } finally {
        connection.close();
      }
    } finally {
      await server.close();
    }
  });
});
