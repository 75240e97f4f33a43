import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  acceptExchange,
  convertPoints,
  endExchange,
  getBalances,
  pauseExchange,
  proposeExchange,
  quoteExchange,
  rewardPoints,
} from "../index.js";
import { deployPartnerExchange, deployProgram } from "../deploy.js";
import { testConfig, viemActors } from "../../../test/helpers/viem.js";
import { expectInvalid, expectRevert } from "../../../test/helpers/sdkErrors.js";

/** Two programs: ours (brand), a partner's (members[4] is its admin); a PartnerExchange; Alice holds 1,000 of ours. */
async function partners() {
  const actors = await viemActors();
  const partnerAdmin = actors.members[4]!;
  const ours = await deployProgram(actors.brand, {
    config: testConfig(actors.treasury.account.address, actors.backend.account.address),
  });
  const base = testConfig(actors.treasury.account.address, partnerAdmin.account.address);
  const theirs = await deployProgram(partnerAdmin, {
    config: { ...base, brand: "Partner Air", points: { name: "Partner Miles", symbol: "MILES" } },
  });
  const { exchange } = await deployPartnerExchange(actors.brand, {});
  const alice = actors.members[0]!;
  await rewardPoints(actors.backend, {
    program: ours.program,
    reason: "welcome",
    rewards: [{ member: alice.account.address, amount: 1000n }],
  });
  const terms = {
    pointsA: ours.program.points,
    pointsB: theirs.program.points,
    rateA: 10n,
    rateB: 3n,
    memberCap: 500n,
    periodCap: 5_000n,
    periodSeconds: 7n * 86_400n,
    endsAt: BigInt(await time.latest()) + 90n * 86_400n,
  };
  return { ...actors, partnerAdmin, ours: ours.program, theirs: theirs.program, exchange, alice, terms };
}

describe("sdk: partner exchange (propose, accept, pause, end, convert, quote)", () => {
  it("two admins agree, a member converts exactly, either admin pauses or ends it", async () => {
    const { brand, partnerAdmin, ours, theirs, exchange, alice, terms } = await loadFixture(partners);
    const { id } = await proposeExchange(brand, { exchange, program: ours, terms });
    expect(id).to.equal(1n);
    expect((await quoteExchange(alice, { exchange, id, amount: 100n })).active).to.equal(false);
    await expectRevert(convertPoints(alice, { exchange, id, amount: 100n }), "ExchangeNotActive");
    await acceptExchange(partnerAdmin, { exchange, program: theirs, id });
    const quote = await quoteExchange(alice, { exchange, id, amount: 100n, member: alice.account.address });
    expect(quote).to.deep.equal({ credited: 30n, active: true, remaining: 500n });
    const converted = await convertPoints(alice, { exchange, id, amount: 100n });
    expect([converted.burned, converted.credited]).to.deep.equal([100n, 30n]);
    expect((await getBalances(alice, { program: ours, member: alice.account.address })).points).to.equal(900n);
    expect((await getBalances(alice, { program: theirs, member: alice.account.address })).points).to.equal(30n);
    expect((await quoteExchange(alice, { exchange, id, amount: 10n, member: alice.account.address })).remaining).to.equal(400n);

    await pauseExchange(partnerAdmin, { exchange, id, paused: true });
    await expectRevert(convertPoints(alice, { exchange, id, amount: 10n }), "ExchangeNotActive");
    await pauseExchange(brand, { exchange, id, paused: false });
    await endExchange(brand, { exchange, id });
    const ended = await expectRevert(convertPoints(alice, { exchange, id, amount: 10n }), "ExchangeNotActive");
    expect(ended.message).to.match(/not in effect/);
  });

  it("refuses inexact amounts and bad terms before sending, and a program on neither side", async () => {
    const { brand, ours, theirs, exchange, alice, terms, partnerAdmin } = await loadFixture(partners);
    const { id } = await proposeExchange(brand, { exchange, program: ours, terms });
    await expectInvalid(quoteExchange(alice, { exchange, id, amount: 105n }), "amount", /multiple of 10/);
    await expectInvalid(proposeExchange(brand, { exchange, program: ours, terms: { ...terms, rateA: 0n } }), "terms.rateA");
    await expectInvalid(
      proposeExchange(brand, { exchange, program: { ...ours, points: alice.account.address }, terms }),
      "program",
    );
    await expectRevert(acceptExchange(brand, { exchange, program: ours, id }), "ExchangeNotAdmin");
    await expectRevert(convertPoints(alice, { exchange, id: 9n, amount: 10n }), "ExchangeUnknown");
    await acceptExchange(partnerAdmin, { exchange, program: theirs, id });
    await expectRevert(convertPoints(alice, { exchange, id, amount: 15n }), "ExchangeInexactAmount");
  });
});
