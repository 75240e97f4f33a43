import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";

describe("cli: npm run demo", () => {
  it("runs the whole program on the in-process chain in under 60 s and exits 0", function () {
    this.timeout(120_000);
    const started = Date.now();
    const result = spawnSync("npm", ["run", "--silent", "demo"], {
      cwd: path.resolve(__dirname, "..", "..", ".."),
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    const seconds = (Date.now() - started) / 1000;
    expect(result.status, result.stderr).to.equal(0);
    expect(seconds).to.be.lessThan(60);
    const out = result.stdout;
    expect(out).to.contain("duplicate credit refused: PointsReceiptAlreadyCredited");
    expect(out).to.match(/minted #1→Ada, #2→Ben, #3→Cleo, #4→Dev, #5→Eli in one transaction/);
    expect(out).to.match(/points issued 1,500 BEANS, redeemed 120 BEANS, outstanding 1,380 BEANS/);
    expect(out).to.match(/consent.changed {4}Ada {6}purposes: rewards\n/);
    expect(out).to.contain("Ben bought it: Ada got 114, the brand's royalty 6, market fee 0 BEANS");
    expect(out).to.contain("royalty 0.005 ETH to the treasury");
    expect(out).to.match(/trades 2, swaps 1/);
    expect(out).to.contain("Ben paid the brand a royalty of 5 BEANS");
    expect(out).to.contain("royalties earned: 11 BEANS");
    expect(out).to.contain("Cleo (a minor) asked for marketing: refused without her guardian (ConsentGuardianRequired)");
    expect(out).to.contain(
      "Cleo's parent withdrew her marketing consent (signed; the brand relayed it): hasConsent(marketing) = false",
    );
    expect(out).to.contain(
      "Cleo came of age (the brand attested it, she signed): minor = false, guardian removed, purposes kept: rewards",
    );
    expect(out).to.contain("Cleo granted marketing again on her own signature alone: hasConsent(marketing) = true");
    expect(out).to.match(/consent\.guardian\.withdrew +Cleo +purposes: marketing\n/);
    expect(out).to.match(/consent\.cameOfAge +Cleo/);
    expect(out).to.contain("Ada withdrew analytics (kept rewards): hasConsent(analytics) = false");
    expect(out).to.contain("Eli asked to be forgotten: unlinked on-chain (true)");
    expect(out).to.match(/consent: 5 links, 2 full revocations, 1 unlinks/);
    // The ledger printed every event with its time.
    expect(out).to.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z #\d+\.\d+ consent\.linked/);
    expect(out).to.match(/Demo finished in \d+\.\d s\./);
  });
});
