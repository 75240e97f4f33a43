import { expect } from "chai";
import { ethers } from "hardhat";
import type { Address, Hex } from "viem";
import { memberActionsSetup } from "../../../../test/account/memberActions.js";
import { freshDatabase } from "../../../../test/helpers/databases.js";
import { clientFor } from "../../../../test/helpers/viem.js";
import { attestLink, linkConsentCalls, signConsentLink, submitLink, type WriteClient } from "../../index.js";
import { LinkStore } from "../../node/linkStore/linkStore.js";

// POST /links/confirm: a member linked from the brand's link request (prepareLink, attestLink, the wallet's
// `#/link/<code>`), and the brand's link store learns it from the chain, the same way whether a passkey card linked
// in a sponsored UserOp or a browser wallet sent its own transaction. The request is believed in nothing.

async function setup() {
  const s = await memberActionsSetup({
    linkStore: async (f) => {
      await f.consent.connect(f.admin).grantRole(await f.consent.BRAND_ROLE(), f.admin.address);
      return LinkStore.open(await freshDatabase("sqlite"), { program: f.program, brand: clientFor(f.admin.address as Address) });
    },
  });
  const brand = clientFor(s.admin.address as Address) as unknown as WriteClient;
  const store = s.store!;
  /** The brand's link request for `wallet`: a pending record, and the attestation the wallet's link page reads. */
  const linkRequest = async (customerId: string, wallet: Address) => {
    const { commitment } = await store.prepareLink({ customerId, wallet });
    return { commitment, attestation: await attestLink(brand, { program: s.program, wallet, commitment }) };
  };
  /** What the card's link page sends for a link request: the account's own call to the consent registry. */
  const cardLinks = async (request: Awaited<ReturnType<typeof linkRequest>>, wallet = s.member.address) =>
    linkConsentCalls({
      program: s.program,
      wallet,
      commitment: request.commitment,
      purposes: ["rewards"],
      nonce: await s.consent.nonces(s.member.address),
      deadline: BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3_600),
      attestation: request.attestation,
    });
  const confirm = async (wallet: unknown) => {
    const response = await s.server.app.request("/links/confirm", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ wallet }),
    });
    return {
      status: response.status,
      json: (await response.json()) as { error?: { code: string; message: string }; status?: string; linkedAt?: string },
    };
  };
  const record = async (wallet: Address) =>
    store.db.selectFrom("member_links").selectAll().where("wallet", "=", wallet.toLowerCase()).executeTakeFirst();
  const blockTime = async (receipt: { blockNumber: bigint }) =>
    new Date((await ethers.provider.getBlock(Number(receipt.blockNumber)))!.timestamp * 1000).toISOString();
  return { ...s, brand, store, linkRequest, cardLinks, confirm, record, blockTime };
}

describe("server: POST /links/confirm, the brand's record of a link made from its link request", () => {
  it("use: a card links in a sponsored UserOp, and a browser wallet with its own transaction: both records read linked, at the chain's time", async () => {
    const s = await setup();
    const request = await s.linkRequest("cust-card", s.member.address);
    const receipt = await s.run(await s.cardLinks(request));
    expect((await s.record(s.member.address))?.status).to.equal("pending");
    const confirmed = await s.api.confirmLink(s.member.address);
    const linkedAt = await s.blockTime(receipt);
    expect(confirmed).to.deep.equal({ wallet: s.member.address, status: "linked", linkedAt });
    expect(await s.record(s.member.address)).to.deep.include({ customer_id: "cust-card", status: "linked", linked_at: linkedAt });
    // Asked again: the same answer, nothing changed.
    expect(await s.api.confirmLink(s.member.address)).to.deep.equal(confirmed);
    expect(await ethers.provider.getBalance(s.member.address)).to.equal(0n);

    // A browser wallet: signs its consent and sends the link itself; the brand learns it the same way.
    const alice = clientFor(s.alice.address as Address) as unknown as WriteClient;
    const aliceRequest = await s.linkRequest("cust-alice", s.alice.address as Address);
    const consent = await signConsentLink(alice, {
      program: s.program,
      commitment: aliceRequest.commitment,
      purposes: ["rewards"],
    });
    const sent = await submitLink(alice, { program: s.program, consent, attestation: aliceRequest.attestation });
    const answer = await s.confirm(s.alice.address);
    expect(answer.status).to.equal(200);
    expect(answer.json).to.deep.include({ status: "linked", linkedAt: await s.blockTime(sent.receipt) });
    expect((await s.record(s.alice.address as Address))?.status).to.equal("linked");
  });

  it("abuse: a link request used by another account or replayed is refused; a confirmation before the link, of another commitment or of no request marks nothing", async () => {
    const s = await setup();
    const forAlice = await s.linkRequest("cust-alice", s.alice.address as Address);
    // The card uses Alice's link request: the registry refuses it (the account consents for itself only), named.
    const stolen = await s.refused(await s.cardLinks(forAlice, s.alice.address as Address));
    expect(stolen.code).to.equal("would_revert");
    expect(stolen.revert?.errorName).to.match(/^Consent/);
    // Confirming before any link: the chain shows none, and Alice's record stays pending.
    for (const wallet of [s.alice.address, s.member.address]) {
      const early = await s.confirm(wallet);
      expect(early.status).to.equal(409);
      expect(early.json.error?.code).to.equal("not_linked_on_chain");
    }
    expect((await s.record(s.alice.address as Address))?.status).to.equal("pending");

    // The card's own request, linked once; the same request sent again is refused by the registry, named.
    const own = await s.linkRequest("cust-card", s.member.address);
    const calls = await s.cardLinks(own);
    await s.run(calls);
    const replayed = await s.refused(calls);
    expect(replayed.code).to.equal("would_revert");
    expect(replayed.revert?.errorName).to.match(/^Consent/);

    // The brand prepares the card again (a new salt, a new commitment) while the chain keeps the first link: the
    // chain's commitment is not the record's, so nothing is marked.
    await s.store.prepareLink({ customerId: "cust-card", wallet: s.member.address });
    const other = await s.confirm(s.member.address);
    expect(other.status).to.equal(409);
    expect(other.json.error?.code).to.equal("other_commitment");
    expect((await s.record(s.member.address))?.status).to.equal("pending");

    // A wallet the chain links but the brand prepared nothing for: 404, and no record is made.
    await s.store.forget({ wallet: s.member.address });
    await s.run(await s.cardLinks(await s.linkRequest("cust-again", s.member.address)));
    await s.store.db.deleteFrom("member_links").execute();
    const none = await s.confirm(s.member.address);
    expect(none.status).to.equal(404);
    expect(none.json.error?.code).to.equal("no_link_request");
    expect(await s.store.db.selectFrom("member_links").selectAll().execute()).to.deep.equal([]);

    // Not an address: 400 naming the field.
    const bad = await s.confirm("0x12" as Hex);
    expect(bad.status).to.equal(400);
    expect(bad.json.error?.message).to.contain("wallet");
  });
});
