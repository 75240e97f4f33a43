import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { deployTokens } from "./fixtures/tokens";
import { deployMarketFixture } from "./fixtures/market";
import {
  buildListing,
  buildOffer,
  buildSwapOrder,
  marketDomain,
  signListing,
  signOffer,
  signSwapOrder,
} from "./helpers/marketOrders";
import { domainOf, REWARD, signApproval, signPermit, signRedemption } from "./helpers/relaySignatures";
import { deployDatedPoints, deployInactivityPoints, deployPendingPoints } from "./fixtures/pointsLifecycle";
import { deployAgreement } from "./fixtures/partnerExchange";
import { deployRewards, journeyIds, perkIds } from "./fixtures/rewards";
import { consentCommitment, consentDomain, randomSalt, signConsent } from "./helpers/consentSignatures";

// Gas of the main token operations, measured from transaction receipts on the in-process network.
// Runs only with REPORT_GAS=true (next to hardhat-gas-reporter's per-method table), so `npm test`
// stays free of measurements; its figures are kept in bench/results/gas-test-<date>.md.

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt.gasUsed;
}

/** Addresses that have never held anything, so every mint pays for a new balance slot. */
function freshMembers(count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, i) => ethers.zeroPadValue(ethers.toBeHex(0x10000 + offset + i), 20));
}

(process.env.REPORT_GAS === "true" ? describe : describe.skip)("gas of the main operations", () => {
  it("measures mint, batch mint, reward, batch reward, credit, redeem and market fills", async () => {
    const { stamps, points, admin, minter, members } = await loadFixture(deployTokens);
    await stamps.connect(admin).createSeries("Bench", 100_000, false, "ipfs://bench.png", "");
    const rows: Array<[string, bigint]> = [];
    // A running program: the series and the points supply already exist, so the figures below are
    // what each further operation costs, not the one-off cost of the very first mint.
    const reason = ethers.encodeBytes32String("bench");
    await stamps.connect(minter).mint(members[1]!.address, 1n);
    await points.connect(minter).reward(members[1]!.address, 1, reason);

    rows.push(["Stamps.mint, fresh member", await gasOf(stamps.connect(minter).mint(freshMembers(1, 0)[0]!, 1n))]);
    for (const n of [10, 100]) {
      const gas = await gasOf(stamps.connect(minter).mintBatch(freshMembers(n, 1000 * n), 1n));
      rows.push([`Stamps.mintBatch of ${n} fresh members, per stamp`, gas / BigInt(n)]);
    }

    rows.push([
      "Points.reward, fresh member",
      await gasOf(points.connect(minter).reward(freshMembers(1, 50_000)[0]!, 100, reason)),
    ]);
    for (const n of [10, 100]) {
      const to = freshMembers(n, 60_000 + 1000 * n);
      const gas = await gasOf(
        points.connect(minter).rewardBatch(
          to,
          to.map(() => 100n),
          reason,
        ),
      );
      rows.push([`Points.rewardBatch of ${n} fresh members, per member`, gas / BigInt(n)]);
    }

    const member = members[0]!;
    rows.push(["Points.credit, fresh member", await gasOf(points.connect(minter).credit(member.address, 500, ethers.id("r1")))]);
    rows.push(["Points.redeem", await gasOf(points.connect(member).redeem(100, reason))]);
    // Transfers between members who already hold: what every movement's hook costs on top of ERC-20/721.
    const [holder, other] = [members[1]!, members[2]!];
    await points.connect(minter).reward(other.address, 1, reason);
    rows.push(["Points.transfer, to a holder", await gasOf(points.connect(holder).transfer(other.address, 1))]);
    await stamps.connect(minter).mint(other.address, 1n);
    const stamp = 1_000_000_001n; // members[1]'s first stamp (series 1, edition 1)
    rows.push([
      "Stamps.transferFrom (open policy), to a holder",
      await gasOf(stamps.connect(holder).transferFrom(holder.address, other.address, stamp)),
    ]);

    // Trades: one stamp sold with the 5 % royalty and a 2.5 % market fee, to a buyer who already holds
    // stamps; the seller, treasury and fee recipient already hold the currency (a running market).
    const m = await deployMarketFixture();
    const domain = await marketDomain(m.market);
    const sell = async (seller: typeof m.alice, buyer: typeof m.bob, tokenId: bigint, currency: string, price: bigint) => {
      const listing = await buildListing(m.market, m.stamps, seller.address, tokenId, { currency, price });
      const signature = await signListing(seller, domain, listing);
      const value = currency === ethers.ZeroAddress ? price : 0n;
      return gasOf(m.market.connect(buyer).buy(listing, signature, ethers.ZeroAddress, { value }));
    };
    const usd = await m.usd.getAddress();
    // Warm-up sales so every party already holds the stablecoin.
    await sell(m.alice, m.bob, m.tokens.aliceCoffee, usd, 1_000_000n);
    await sell(m.bob, m.alice, m.tokens.bobCoffee, await m.points.getAddress(), 100n);
    rows.push([
      "Market.buy in the native coin, royalty + fee",
      await sell(m.alice, m.carol, m.tokens.aliceCoffee2, ethers.ZeroAddress, ethers.parseEther("0.05")),
    ]);
    rows.push([
      "Market.buy in an ERC-20 (stablecoin), royalty + fee",
      await sell(m.bob, m.carol, m.tokens.aliceCoffee, usd, 5_000_000n),
    ]);
    rows.push([
      "Market.buy in Points, royalty + fee",
      await sell(m.carol, m.dave, m.tokens.aliceCoffee2, await m.points.getAddress(), 500n),
    ]);

    console.log("\n    | operation | gas |\n    |---|---:|");
    for (const [name, gas] of rows) console.log(`    | ${name} | ${gas.toLocaleString("en-US")} |`);

    // The point of a batch is to share the transaction's fixed cost: per item it must be cheaper.
    const gas = new Map(rows);
    expect(gas.get("Stamps.mintBatch of 100 fresh members, per stamp")!).to.be.lessThan(gas.get("Stamps.mint, fresh member")!);
    expect(gas.get("Points.rewardBatch of 100 fresh members, per member")!).to.be.lessThan(
      gas.get("Points.reward, fresh member")!,
    );
  });

  it("measures each points lifecycle model: transfer, reward, credit, redeem", async () => {
    const reason = ethers.encodeBytes32String("bench");
    const models = [
      ["none", deployTokens],
      ["pending 14 days", deployPendingPoints],
      ["pending 14 days + inactivity 30 days", deployInactivityPoints],
      ["pending 14 days + dated lots 40 days", deployDatedPoints],
    ] as const;
    console.log(
      "\n    | operation | none | pending | pending + inactivity | pending + dated lots |\n    |---|---:|---:|---:|---:|",
    );
    const table = new Map<string, bigint[]>();
    for (const [, fixture] of models) {
      const { points, minter, members } = await loadFixture(fixture);
      const [holder, other, buyer] = [members[1]!, members[2]!, members[3]!];
      // A running program: both members already hold points, the buyer's earlier purchase is spendable.
      await points.connect(minter).reward(holder.address, 1000, reason);
      await points.connect(minter).reward(other.address, 1, reason);
      await points.connect(minter).credit(buyer.address, 10, ethers.id("earlier"));
      await time.increase(16 * 24 * 60 * 60);
      await points.connect(minter).reward(holder.address, 1, reason);
      await points.connect(minter).reward(other.address, 1, reason);
      const row = (name: string, gas: bigint) => table.set(name, [...(table.get(name) ?? []), gas]);
      row("Points.transfer, to a holder", await gasOf(points.connect(holder).transfer(other.address, 1)));
      row("Points.reward, fresh member", await gasOf(points.connect(minter).reward(freshMembers(1, 90_000)[0]!, 100, reason)));
      row("Points.reward, to a holder", await gasOf(points.connect(minter).reward(other.address, 100, reason)));
      row(
        "Points.credit, fresh member",
        await gasOf(points.connect(minter).credit(freshMembers(1, 91_000)[0]!, 500, ethers.id("r1"))),
      );
      row(
        "Points.credit, to a member with a pending credit",
        await gasOf(points.connect(minter).credit(buyer.address, 5, ethers.id("r2"))),
      );
      row("Points.redeem", await gasOf(points.connect(holder).redeem(100, reason)));
      row("Points.redeem, with a pending credit", await gasOf(points.connect(buyer).redeem(5, reason)));
      row("Points.reversePurchase, pending", await gasOf(points.connect(minter).reversePurchase(ethers.id("r2"))));
    }
    for (const [name, gas] of table) {
      const [none] = gas;
      const cells = gas.map((g, i) =>
        i === 0
          ? g.toLocaleString("en-US")
          : `${g.toLocaleString("en-US")} (${((Number(g - none!) / Number(none!)) * 100).toFixed(1)} %)`,
      );
      console.log(`    | ${name} | ${cells.join(" | ")} |`);
    }
    for (const gas of table.values()) expect(gas.length).to.equal(models.length);
  });

  it("measures a partner exchange conversion", async () => {
    const { exchange, members } = await loadFixture(deployAgreement);
    await exchange.connect(members[1]!).convert(1, 10);
    const rows: Array<[string, bigint]> = [
      ["PartnerExchange.convert, first conversion of the member", await gasOf(exchange.connect(members[0]!).convert(1, 100))],
      ["PartnerExchange.convert, again in the same period", await gasOf(exchange.connect(members[0]!).convert(1, 100))],
    ];
    console.log("\n    | operation | gas |\n    |---|---:|");
    for (const [name, gas] of rows) console.log(`    | ${name} | ${gas.toLocaleString("en-US")} |`);
    expect(rows).to.have.length(2);
  });

  it("measures redeeming a journey voucher and claiming a perk", async () => {
    const { rewards, points, stamps, sign, members, minter } = await loadFixture(deployRewards);
    const rows: Array<[string, bigint]> = [];
    // A running program: the series, the points supply and a first completion already exist.
    const warm = await sign(members[5]!.address, journeyIds.visits, { stamps: 1n, points: 50n });
    await rewards.redeem(warm.voucher, warm.signature);
    const [ada, ben] = [members[0]!, members[1]!];
    const visit = await sign(ada.address, journeyIds.visits, { stamps: 1n, points: 50n });
    rows.push([
      "Rewards.redeem, 1 stamp + 50 points, fresh member, by a relayer",
      await gasOf(rewards.connect(minter).redeem(visit.voucher, visit.signature)),
    ]);
    const referral = await sign(ada.address, journeyIds.referral, { points: 100n, referee: ben.address as `0x${string}` });
    rows.push([
      "Rewards.redeem, referral of 100 points",
      await gasOf(rewards.connect(ada).redeem(referral.voucher, referral.signature)),
    ]);
    rows.push(["Rewards.claimPerk, free, once per week", await gasOf(rewards.connect(ada).claimPerk(perkIds.refill))]);
    await points.connect(ada).approve(await rewards.getAddress(), 100n);
    rows.push(["Rewards.claimPerk, burning 100 points", await gasOf(rewards.connect(ada).claimPerk(perkIds.beans))]);
    await stamps.connect(minter).mint(ada.address, 1n);
    const cup = (await stamps.series(1n)).minted + 1_000_000_000n;
    await stamps.connect(ada).approve(await rewards.getAddress(), cup);
    rows.push([
      "Rewards.claimPerkWithStamp, burning 1 stamp",
      await gasOf(rewards.connect(ada).claimPerkWithStamp(perkIds.mug, cup)),
    ]);
    rows.push(["Rewards.isUnlocked (view, as a call)", await rewards.isUnlocked.estimateGas(ada.address, perkIds.refill)]);

    console.log("\n    | operation | gas |\n    |---|---:|");
    for (const [name, gas] of rows) console.log(`    | ${name} | ${gas.toLocaleString("en-US")} |`);
    expect(rows.length).to.equal(6);
  });

  it("measures the consent registry: a minor's link, guardian withdrawals, a guardian change, coming of age, erasure", async () => {
    const [admin, brand, relayer, minor, guardian, newGuardian] = await ethers.getSigners();
    const registry = await ethers.deployContract("ConsentRegistry", [admin!.address, 86_400]);
    await registry.connect(admin!).grantRole(await registry.BRAND_ROLE(), brand!.address);
    const { chainId } = await ethers.provider.getNetwork();
    const domain = consentDomain(await registry.getAddress(), chainId);
    const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3_600n;
    const wallet = minor!.address;
    const rows: Array<[string, bigint]> = [];

    const request = { wallet, commitment: consentCommitment(randomSalt(), "cust-1"), purposes: 13n, nonce: 0n, deadline };
    const attestation = {
      wallet,
      commitment: request.commitment,
      minor: true,
      guardian: guardian!.address,
      attester: brand!.address,
      deadline,
    };
    const approval = { wallet, guardian: guardian!.address, purposes: 13n, nonce: 0n, deadline };
    rows.push([
      "ConsentRegistry.link, a minor with the guardian's approval, relayed",
      await gasOf(
        registry
          .connect(relayer!)
          .link(
            request,
            await signConsent(minor!, domain, "Link", request),
            attestation,
            await signConsent(brand!, domain, "Attestation", attestation),
            await signConsent(guardian!, domain, "GuardianApproval", approval),
          ),
      ),
    ]);
    const signedWithdrawal = { wallet, guardian: guardian!.address, purposes: 4n, nonce: 0n, deadline };
    rows.push([
      "ConsentRegistry.guardianWithdraw, signed, relayed by the brand",
      await gasOf(
        registry
          .connect(brand!)
          .guardianWithdraw(signedWithdrawal, await signConsent(guardian!, domain, "GuardianWithdrawal", signedWithdrawal)),
      ),
    ]);
    rows.push([
      "ConsentRegistry.guardianWithdraw, the guardian's own call",
      await gasOf(registry.connect(guardian!).guardianWithdraw({ ...signedWithdrawal, purposes: 8n, nonce: 1n }, "0x")),
    ]);
    const change = { wallet, oldGuardian: guardian!.address, newGuardian: newGuardian!.address, nonce: 3n, deadline };
    rows.push([
      "ConsentRegistry.changeGuardian (two signatures)",
      await gasOf(
        registry
          .connect(brand!)
          .changeGuardian(
            change,
            await signConsent(minor!, domain, "GuardianChange", change),
            await signConsent(newGuardian!, domain, "GuardianChange", change),
          ),
      ),
    ]);
    const coming = { wallet, nonce: 4n, deadline };
    rows.push([
      "ConsentRegistry.comeOfAge",
      await gasOf(registry.connect(brand!).comeOfAge(coming, await signConsent(minor!, domain, "ComingOfAge", coming))),
    ]);
    rows.push(["ConsentRegistry.brandUnlink", await gasOf(registry.connect(brand!).brandUnlink(wallet))]);

    console.log("\n    | operation | gas |\n    |---|---:|");
    for (const [name, gas] of rows) console.log(`    | ${name} | ${gas.toLocaleString("en-US")} |`);
  });

  it("measures what the relayer pays for members' signed intents", async () => {
    const m = await loadFixture(deployMarketFixture);
    const [relayer, fresh] = m.others;
    const rows: Array<[string, bigint]> = [];
    const domain = await marketDomain(m.market);
    const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3_600n;
    const market = await m.market.getAddress();
    const pointsAddress = await m.points.getAddress();
    const usd = await m.usd.getAddress();

    const approval = { owner: fresh!.address, operator: market, approved: true, nonce: 0n, deadline };
    const approvalSig = await signApproval(fresh!, await domainOf(m.stamps), approval);
    rows.push([
      "Stamps.setApprovalForAllBySig, relayed",
      await gasOf(m.stamps.connect(relayer!).setApprovalForAllBySig(fresh!.address, market, true, deadline, approvalSig)),
    ]);

    // A permit from a member who already allowed the Market (so the allowance slot exists, as after a first trade).
    const pointsDomain = await domainOf(m.points);
    const permit = await signPermit(m.dave, pointsDomain, {
      owner: m.dave.address,
      spender: market,
      value: 10_000n,
      nonce: 0n,
      deadline,
    });
    rows.push([
      "Points.permit, relayed",
      await gasOf(m.points.connect(relayer!).permit(m.dave.address, market, 10_000n, deadline, permit.v, permit.r, permit.s)),
    ]);
    const redemption = { member: m.dave.address, amount: 100n, rewardId: REWARD, nonce: 1n, deadline };
    rows.push([
      "Points.redeemBySig, relayed",
      await gasOf(
        m.points
          .connect(relayer!)
          .redeemBySig(m.dave.address, 100n, REWARD, deadline, await signRedemption(m.dave, pointsDomain, redemption)),
      ),
    ]);

    const match = async (seller: typeof m.alice, buyer: typeof m.bob, tokenId: bigint, currency: string, price: bigint) => {
      const listing = await buildListing(m.market, m.stamps, seller.address, tokenId, { currency, price });
      const offer = await buildOffer(m.market, buyer.address, { seriesId: m.series.coffeeClub, tokenId, currency, price });
      return gasOf(
        m.market
          .connect(relayer!)
          .matchOrders(listing, await signListing(seller, domain, listing), offer, await signOffer(buyer, domain, offer)),
      );
    };
    // Warm-up, as for the buy rows: every party already holds the currency.
    await match(m.alice, m.bob, m.tokens.aliceCoffee, usd, 1_000_000n);
    await match(m.bob, m.alice, m.tokens.aliceCoffee, pointsAddress, 100n);
    rows.push([
      "Market.matchOrders in Points, royalty + fee, relayed",
      await match(m.alice, m.dave, m.tokens.aliceCoffee, pointsAddress, 500n),
    ]);
    rows.push([
      "Market.matchOrders in an ERC-20 (stablecoin), royalty + fee, relayed",
      await match(m.dave, m.carol, m.tokens.aliceCoffee, usd, 5_000_000n),
    ]);

    const order = await buildSwapOrder(m.market, m.stamps, m.alice.address, m.tokens.aliceRare, {
      wantedSeriesId: m.series.rareRoast,
    });
    const counter = await buildSwapOrder(m.market, m.stamps, m.bob.address, m.tokens.bobRare, {
      wantedSeriesId: m.series.rareRoast,
    });
    rows.push([
      "Market.matchSwaps, royalty in Points, relayed",
      await gasOf(
        m.market
          .connect(relayer!)
          .matchSwaps(order, await signSwapOrder(m.alice, domain, order), counter, await signSwapOrder(m.bob, domain, counter)),
      ),
    ]);

    console.log("\n    | operation | gas |\n    |---|---:|");
    for (const [name, gas] of rows) console.log(`    | ${name} | ${gas.toLocaleString("en-US")} |`);
    expect(rows.length).to.equal(6);
  });
});
