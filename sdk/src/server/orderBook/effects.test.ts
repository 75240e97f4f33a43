import { expect } from "chai";
import { getAddress, zeroAddress, type Address, type Hex } from "viem";
import type { LedgerEntry } from "../../ledger/entries.js";
import { encodeStampId } from "../../utils/stampId.js";
import type { Evaluation } from "../evaluate.js";
import { effectsOf, recheckOf } from "./effects.js";

// Hand-made ledger entries: what watchLedger delivers, with only the fields a kind carries set.
const seller = "0x00000000000000000000000000000000000000aa" as Address;
const buyer = "0x00000000000000000000000000000000000000bb" as Address;
const points = "0x00000000000000000000000000000000000000cc" as Address;
const orderHash = `0x${"11".repeat(32)}` as Hex;
const offerHash = `0x${"22".repeat(32)}` as Hex;
const txHash = `0x${"33".repeat(32)}` as Hex;
const stamp = encodeStampId(3n, 7n);

function entry(fields: Partial<LedgerEntry> & Pick<LedgerEntry, "contract" | "kind">): LedgerEntry {
  return {
    chainId: 31337,
    blockNumber: 10n,
    blockTime: 1_700_000_000,
    txHash,
    logIndex: 0,
    event: "Event",
    actor: null,
    counterparty: null,
    tokenId: null,
    seriesId: null,
    amount: null,
    currency: null,
    royalty: null,
    fee: null,
    code: null,
    args: {},
    ...fields,
  };
}

const sale = (kind: "order.filled" | "offer.accepted" | "orders.matched", code: Hex) =>
  entry({
    contract: "market",
    kind,
    actor: buyer,
    counterparty: seller,
    tokenId: stamp,
    seriesId: 3n,
    amount: 500n,
    currency: points,
    code,
  });

const closed = (status: "filled" | "cancelled" | "expired" | "stale", code: string): Evaluation => ({
  open: false,
  orderHash,
  status,
  code,
  reason: `${code}.`,
});
const open: Evaluation = { open: true, orderHash };

describe("order book: effectsOf, what a batch of events does to the book", () => {
  it("a batch with nothing for the book changes nothing and checks nothing again", () => {
    const effects = effectsOf([
      entry({ contract: "rewards", kind: "perk.claimed", actor: buyer }),
      entry({ contract: "consent", kind: "consent.granted", actor: buyer }),
    ]);
    expect(effects).to.deep.equal({ changes: [], stamps: new Set(), funders: new Set(), settingsChanged: false });
    expect(effectsOf([])).to.deep.equal({ changes: [], stamps: new Set(), funders: new Set(), settingsChanged: false });
  });

  it("fills: a purchase, an accepted offer and a swap fill the order they name, with who did it", () => {
    const swap = entry({ contract: "market", kind: "swap", actor: buyer, counterparty: seller, tokenId: stamp, code: offerHash });
    const { changes } = effectsOf([sale("order.filled", orderHash), sale("offer.accepted", offerHash), swap]);
    expect(changes).to.deep.equal([
      { type: "filled", orderHash, reason: `Bought by ${getAddress(buyer)} in ${txHash}.` },
      { type: "filled", orderHash: offerHash, reason: `Accepted by ${getAddress(seller)} in ${txHash}.` },
      { type: "filled", orderHash: offerHash, reason: `Swapped by ${getAddress(buyer)} in ${txHash}.` },
    ]);
  });

  it("fills: matched orders fill the offer, then the seller's one listing of the stamp at that price and currency", () => {
    const { changes } = effectsOf([sale("orders.matched", offerHash)]);
    expect(changes).to.deep.equal([
      { type: "filled", orderHash: offerHash, reason: `Accepted by ${getAddress(seller)} in ${txHash}.` },
      {
        type: "listingMatched",
        tokenId: stamp,
        seller: getAddress(seller),
        currency: points,
        price: 500n,
        reason: `Bought by ${getAddress(buyer)} in ${txHash}.`,
      },
    ]);
  });

  it("a sale with no order hash names no order", () => {
    for (const kind of ["order.filled", "offer.accepted", "orders.matched"] as const)
      expect(effectsOf([entry({ ...sale(kind, orderHash), code: null })]).changes).to.deep.equal([]);
  });

  it("cancels: a cancelled order is cancelled by its signer", () => {
    const cancel = entry({ contract: "market", kind: "order.cancelled", actor: seller, code: orderHash });
    expect(effectsOf([cancel]).changes).to.deep.equal([
      { type: "cancelled", orderHash, reason: `Its signer cancelled it in ${txHash}.` },
    ]);
  });

  it("cancel-all: a raised nonce makes the signer's orders under it stale; one without a nonce does nothing", () => {
    const bump = entry({ contract: "market", kind: "orders.cancelled", actor: seller, amount: 4n });
    expect(effectsOf([bump]).changes).to.deep.equal([
      {
        type: "nonceBumped",
        signer: getAddress(seller),
        nonce: 4n,
        reason: `${getAddress(seller)} cancelled all their orders (nonce 4) in ${txHash}.`,
      },
    ]);
    expect(effectsOf([{ ...bump, amount: null }]).changes).to.deep.equal([]);
    expect(effectsOf([{ ...bump, actor: null }]).changes).to.deep.equal([]);
  });

  it("keeps the events' order: a fill, then a cancel-all, then a cancel", () => {
    const bump = entry({ contract: "market", kind: "orders.cancelled", actor: seller, amount: 1n });
    const cancel = entry({ contract: "market", kind: "order.cancelled", actor: buyer, code: offerHash });
    const types = effectsOf([sale("order.filled", orderHash), bump, cancel]).changes.map((c) => c.type);
    expect(types).to.deep.equal(["filled", "nonceBumped", "cancelled"]);
  });

  it("stamps that moved (minted, transferred, burned, locked) are checked again, once each", () => {
    const other = encodeStampId(4n, 1n);
    const effects = effectsOf([
      entry({ contract: "stamps", kind: "stamp.transferred", actor: buyer, counterparty: seller, tokenId: stamp }),
      entry({ contract: "stamps", kind: "stamp.burned", actor: buyer, tokenId: stamp }),
      entry({ contract: "stamps", kind: "stamp.minted", actor: buyer, tokenId: other }),
      // An approval of a stamp moves nothing: the listing stays as it is.
      entry({ contract: "stamps", kind: "approval", actor: seller, counterparty: buyer, tokenId: encodeStampId(5n, 1n) }),
    ]);
    expect([...effects.stamps]).to.deep.equal([stamp, other]);
    expect(effects.changes).to.deep.equal([]);
    // A sale names its stamp too, but the stamp's own Transfer is what rechecks its orders.
    expect(effectsOf([sale("order.filled", orderHash)]).stamps.size).to.equal(0);
  });

  it("Points transfers and approvals, and Market payments, recheck both wallets' offers; stamp approvals do not", () => {
    const effects = effectsOf([
      entry({ contract: "points", kind: "points.transferred", actor: buyer, counterparty: seller, amount: 1n }),
      entry({ contract: "points", kind: "approval", actor: buyer, counterparty: points }),
      entry({ contract: "market", kind: "payment.withdrawn", actor: seller }),
      entry({ contract: "points", kind: "points.expired", actor: zeroAddress }),
      entry({ contract: "stamps", kind: "approval", actor: "0x00000000000000000000000000000000000000dd", counterparty: buyer }),
    ]);
    expect([...effects.funders]).to.deep.equal([getAddress(buyer), getAddress(seller), getAddress(points), zeroAddress]);
  });

  it("a Market or Stamps setting rechecks every open order; a Points setting does not", () => {
    expect(effectsOf([entry({ contract: "market", kind: "setting.changed" })]).settingsChanged).to.equal(true);
    expect(effectsOf([entry({ contract: "stamps", kind: "setting.changed" })]).settingsChanged).to.equal(true);
    expect(effectsOf([entry({ contract: "points", kind: "setting.changed" })]).settingsChanged).to.equal(false);
  });

  it("is pure: the same entries give the same effects and are left as they were", () => {
    const entries = [
      sale("orders.matched", offerHash),
      entry({ contract: "points", kind: "approval", actor: buyer, counterparty: seller }),
    ];
    const copy = structuredClone(entries);
    expect(effectsOf(entries)).to.deep.equal(effectsOf(entries));
    expect(entries).to.deep.equal(copy);
  });
});

describe("order book: recheckOf, a touched order checked against the chain again", () => {
  it("an open order the chain says cannot be filled (a transfer left the buyer unfunded) is taken out stale", () => {
    expect(recheckOf({ status: "open", reason_code: null }, closed("stale", "unfunded"))).to.deep.equal({
      action: "takeOut",
      status: "stale",
      code: "unfunded",
      reason: "unfunded.",
    });
    expect(recheckOf({ status: "open", reason_code: null }, closed("stale", "stamp_moved"))).to.include({
      action: "takeOut",
      code: "stamp_moved",
    });
  });

  it("a stale offer funded again (an approval) is reopened; an open order still open is kept", () => {
    expect(recheckOf({ status: "stale", reason_code: "unfunded" }, open)).to.deep.equal({ action: "reopen" });
    expect(recheckOf({ status: "open", reason_code: null }, open)).to.deep.equal({ action: "keep" });
  });

  it("a stale order is kept for the same reason and takes a new one", () => {
    expect(recheckOf({ status: "stale", reason_code: "unfunded" }, closed("stale", "unfunded"))).to.deep.equal({
      action: "keep",
    });
    expect(recheckOf({ status: "stale", reason_code: "unfunded" }, closed("stale", "fees_raised"))).to.deep.equal({
      action: "takeOut",
      status: "stale",
      code: "fees_raised",
      reason: "fees_raised.",
    });
  });

  it("a rollback: an order filled or cancelled in blocks that left the chain is reopened when the chain says it is open", () => {
    // rollBackBook applies only "reopen": an order the chain still holds closed waits for the winning chain's events.
    expect(recheckOf({ status: "filled", reason_code: "filled" }, open)).to.deep.equal({ action: "reopen" });
    expect(recheckOf({ status: "cancelled", reason_code: "cancelled" }, open)).to.deep.equal({ action: "reopen" });
    expect(recheckOf({ status: "stale", reason_code: "nonce_bumped" }, open)).to.deep.equal({ action: "reopen" });
    expect(recheckOf({ status: "filled", reason_code: "filled" }, closed("filled", "filled"))).to.deep.equal({ action: "keep" });
    expect(recheckOf({ status: "cancelled", reason_code: "cancelled" }, closed("cancelled", "cancelled")).action).to.not.equal(
      "reopen",
    );
  });
});
