import { expect } from "chai";
import { Hono } from "hono";
import { answerCache } from "./answerCache.js";

/** An app whose one route counts its runs, behind the answer cache of a source whose version the test moves. */
function appWithCache() {
  const source = { version: 0 };
  let runs = 0;
  const app = new Hono();
  app.get("/page", answerCache(source), (c) => {
    runs++;
    const n = Number(c.req.query("n") ?? 1);
    if (n === 3) return c.body(`{"n":3,"run":${runs},"text":true}`, 200, { "content-type": "application/json" });
    return n < 0 ? c.json({ error: "negative" }, 400) : c.json({ n, run: runs }, n === 7 ? 201 : 200);
  });
  return { app, source, runs: () => runs };
}

describe("server: the answer cache", () => {
  it("answers a page again from its text while the version stands, and computes it again once the version moves", async () => {
    const { app, source, runs } = appWithCache();
    const first = await app.request("/page?n=2");
    expect(first.headers.get("content-type")).to.match(/^application\/json/);
    expect(await first.json()).to.deep.equal({ n: 2, run: 1 });
    const again = await app.request("/page?n=2");
    expect(again.headers.get("content-type")).to.equal("application/json");
    expect(await again.json()).to.deep.equal({ n: 2, run: 1 });
    expect(runs()).to.equal(1);
    source.version++;
    expect(await (await app.request("/page?n=2")).json()).to.deep.equal({ n: 2, run: 2 });
  });

  it("keeps no refusal and no status other than 200: each is computed every time", async () => {
    const { app, runs } = appWithCache();
    for (let i = 0; i < 2; i++) expect((await app.request("/page?n=-1")).status).to.equal(400);
    for (let i = 0; i < 2; i++) expect((await app.request("/page?n=7")).status).to.equal(201);
    expect(runs()).to.equal(4);
  });

  it("takes the text the route serialized, never a clone of its response (a page no one asks for again costs one serialization)", async () => {
    const { app } = appWithCache();
    // Once a server has started in this process, @hono/node-server has replaced the global Response by its own,
    // whose `clone` is read-only and forwards to the platform's: count on the first prototype that can be patched.
    let proto = Response.prototype;
    while (!Object.getOwnPropertyDescriptor(proto, "clone")?.writable) proto = Object.getPrototypeOf(proto) as Response;
    const clone = proto.clone;
    let clones = 0;
    proto.clone = function (this: Response) {
      clones++;
      return clone.call(this);
    };
    try {
      for (let n = 1; n <= 5; n++) expect((await app.request(`/page?n=${n}`)).status).to.equal(200);
    } finally {
      proto.clone = clone;
    }
    expect(clones).to.equal(0);
  });

  it("keeps an answer whose JSON text the route made itself (c.body), as the order book's pages are answered", async () => {
    const { app, runs } = appWithCache();
    for (let i = 0; i < 3; i++) {
      const answer = await app.request("/page?n=3");
      expect(answer.headers.get("content-type")).to.equal("application/json");
      expect(await answer.text()).to.equal('{"n":3,"run":1,"text":true}');
    }
    expect(runs()).to.equal(1);
  });
});
