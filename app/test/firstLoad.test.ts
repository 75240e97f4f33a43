// The wallet's first load in Chromium (issue #28): the built app served on loopback, each view opened with an empty
// cache, every script it fetched summed (gzip). bench/sizeApp.ts measures; `npm run bench` reports the same figures.
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FIRST_LOAD_LIMIT, measureBuiltApp, type AppLoads, type ViewLoad } from "../../bench/sizeApp";

const names = (load: ViewLoad) => load.scripts.map((s) => path.basename(s.file));
/** A chunk by the module it is named after (rolldown names a chunk `<module>-<hash>.js`). */
const chunk = (module: string) => (file: string) => file.startsWith(`${module}-`);

describe("app: first load", function () {
  this.timeout(300_000);
  let loads: AppLoads;
  let outDir: string;

  before(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-first-load-"));
    loads = await measureBuiltApp(outDir);
    for (const load of Object.values(loads)) {
      console.log(`      ${load.view}: ${load.gzipBytes.toLocaleString("en-US")} B gzip in ${load.scripts.length} scripts`);
    }
  });

  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it(`a new visitor's first load (the frame and the Connect view) is at most ${FIRST_LOAD_LIMIT.toLocaleString("en-US")} B of script, gzip`, () => {
    expect(loads.connect.gzipBytes).to.be.at.most(FIRST_LOAD_LIMIT);
  });

  it("a returning member's first load (Connect, then the Collection) is measured: the page's chunks come after the frame", () => {
    // Reported, not yet held to the limit: the Collection's reads carry viem's contract calls and the SDK's revert
    // sentences (bench/results/REPORT.md says how much). What is held: its code arrives after the frame, not in it.
    expect(loads.collection.gzipBytes).to.be.greaterThan(loads.connect.gzipBytes);
    expect(loads.collection.scripts.length).to.be.greaterThan(loads.connect.scripts.length);
  });

  it("the first load carries no page the member has not opened, no other language, no server client", () => {
    const first = names(loads.connect);
    for (const page of ["Collection", "History", "Market", "Privacy", "Transaction", "ConnectFailure", "tr", "fa"]) {
      expect(first.filter(chunk(page)), `${page} in the first load`).to.deep.equal([]);
    }
    expect(first.filter(chunk("en"))).to.have.length(1);
  });

  it("a Turkish visitor loads the Turkish words and not the English or Persian ones", () => {
    const first = names(loads.connectTurkish);
    expect(first.filter(chunk("tr"))).to.have.length(1);
    expect(first.filter(chunk("en")).concat(first.filter(chunk("fa")))).to.deep.equal([]);
  });

  it("the Collection loads its page when the member connects, and the Market's code only when it is opened", () => {
    expect(names(loads.collection).filter(chunk("Collection"))).to.have.length(1);
    expect(names(loads.collection).filter(chunk("Market"))).to.deep.equal([]);
    expect(names(loads.market).filter(chunk("Market"))).to.have.length(1);
  });
});
