import { expect } from "chai";
import { ethers } from "hardhat";
import type { Interface } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { NOTICE_PERIOD, Policy, Scope, deployTokens, deployTokensWithSeries, stampId } from "../fixtures/tokens";

// Each property replays random operation sequences against the contracts on the in-process network,
// restoring a snapshot (loadFixture) before every run, and checks the invariant after every step.
const RUNS = { numRuns: 30 };

/** Whether a call reverted with the named custom error (anything else fails the property). */
async function revertsWith(call: Promise<unknown>, contract: { interface: Interface }, error: string) {
  try {
    await call;
    return false;
  } catch (e) {
    const data = (e as { data?: string }).data;
    const parsed = data ? contract.interface.parseError(data) : null;
    if (parsed?.name !== error) throw e;
    return true;
  }
}

describe("properties: Stamps and Points", () => {
  it("the minted count of a series never exceeds its max supply", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.record({ batch: fc.integer({ min: 1, max: 5 }), member: fc.nat(4) }), { maxLength: 10 }),
        async (maxSupply, mints) => {
          const { stamps, admin, minter, members } = await loadFixture(deployTokens);
          await stamps.connect(admin).createSeries("Limited", maxSupply, false, "", "");
          let expected = 0;
          for (const { batch, member } of mints) {
            const to = Array.from({ length: batch }, () => members[member]!.address);
            const call = batch === 1 ? stamps.connect(minter).mint(to[0]!, 1n) : stamps.connect(minter).mintBatch(to, 1n);
            if (expected + batch > maxSupply) {
              expect(await revertsWith(call, stamps, "StampsSeriesSoldOut")).to.equal(true);
            } else {
              await call;
              expected += batch;
            }
            const minted = (await stamps.series(1n)).minted;
            expect(minted).to.equal(BigInt(expected));
            expect(minted <= BigInt(maxSupply)).to.equal(true);
          }
          // Every minted edition exists and nothing past the max does.
          for (let edition = 1; edition <= expected; edition++) await stamps.ownerOf(stampId(1n, BigInt(edition)));
          expect(await revertsWith(stamps.ownerOf(stampId(1n, BigInt(expected + 1))), stamps, "ERC721NonexistentToken")).to.equal(
            true,
          );
        },
      ),
      RUNS,
    );
  });

  it("the sum of point balances equals totalSupply, and a receipt credits at most once", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("reward" as const), member: fc.nat(4), amount: fc.integer({ min: 1, max: 1000 }) }),
      fc.record({
        kind: fc.constant("credit" as const),
        member: fc.nat(4),
        amount: fc.integer({ min: 1, max: 1000 }),
        receipt: fc.nat(5),
      }),
      fc.record({ kind: fc.constant("redeem" as const), member: fc.nat(4), amount: fc.integer({ min: 1, max: 1500 }) }),
      fc.record({
        kind: fc.constant("transfer" as const),
        member: fc.nat(4),
        to: fc.nat(4),
        amount: fc.integer({ min: 1, max: 1500 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 14 }), async (ops) => {
        const { points, minter, members } = await loadFixture(deployTokens);
        const holders = members.slice(0, 5);
        const balances = holders.map(() => 0n);
        const credited = new Set<number>();
        for (const o of ops) {
          const amount = BigInt(o.amount);
          const member = holders[o.member]!;
          if (o.kind === "reward") {
            await points.connect(minter).reward(member.address, amount, ethers.ZeroHash);
            balances[o.member]! += amount;
          } else if (o.kind === "credit") {
            const receiptId = ethers.id(`receipt-${o.receipt}`);
            const call = points.connect(minter).credit(member.address, amount, receiptId);
            if (credited.has(o.receipt)) {
              expect(await revertsWith(call, points, "PointsReceiptAlreadyCredited")).to.equal(true);
            } else {
              await call;
              credited.add(o.receipt);
              balances[o.member]! += amount;
            }
          } else if (o.kind === "redeem") {
            const call = points.connect(member).redeem(amount, ethers.ZeroHash);
            if (amount > balances[o.member]!) {
              expect(await revertsWith(call, points, "ERC20InsufficientBalance")).to.equal(true);
            } else {
              await call;
              balances[o.member]! -= amount;
            }
          } else {
            const call = points.connect(member).transfer(holders[o.to]!.address, amount);
            if (amount > balances[o.member]!) {
              expect(await revertsWith(call, points, "ERC20InsufficientBalance")).to.equal(true);
            } else {
              await call;
              balances[o.member]! -= amount;
              balances[o.to]! += amount;
            }
          }
          const onChain = await Promise.all(holders.map((h) => points.balanceOf(h.address)));
          expect(onChain).to.deep.equal(balances);
          expect(onChain.reduce((a, b) => a + b, 0n)).to.equal(await points.totalSupply());
        }
        for (let r = 0; r <= 5; r++) expect(await points.isCredited(ethers.id(`receipt-${r}`))).to.equal(credited.has(r));
      }),
      RUNS,
    );
  });

  it("soulbound stamps never change owner, whatever the policy, operator or caller", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("policy" as const), marketOnly: fc.boolean(), gifts: fc.boolean() }),
      fc.record({ kind: fc.constant("operator" as const), who: fc.nat(4), allowed: fc.boolean() }),
      fc.record({ kind: fc.constant("approve" as const), holder: fc.nat(2), who: fc.nat(4) }),
      fc.record({ kind: fc.constant("move" as const), edition: fc.integer({ min: 1, max: 3 }), by: fc.nat(4), to: fc.nat(4) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        const { stamps, admin, minter, members, soulboundSeries } = await loadFixture(deployTokensWithSeries);
        const people = members.slice(0, 5);
        await stamps.connect(minter).mintBatch(
          people.slice(0, 3).map((p) => p.address),
          soulboundSeries,
        );
        for (const o of ops) {
          if (o.kind === "policy") {
            await stamps.connect(admin).setTransferPolicy(o.marketOnly ? Policy.MarketOnly : Policy.Open);
            await stamps.connect(admin).setGiftsAllowed(o.gifts);
          } else if (o.kind === "operator") {
            await stamps.connect(admin).setOperator(people[o.who]!.address, o.allowed);
          } else if (o.kind === "approve") {
            await stamps.connect(people[o.holder]!).setApprovalForAll(people[o.who]!.address, true);
          } else {
            const id = stampId(soulboundSeries, BigInt(o.edition));
            const owner = people[o.edition - 1]!.address;
            const call = stamps.connect(people[o.by]!).transferFrom(owner, people[o.to]!.address, id);
            // Either ERC-721 refuses the caller first, or the soulbound rule does: never a move.
            await expect(call).to.be.reverted;
          }
        }
        for (let edition = 1; edition <= 3; edition++) {
          expect(await stamps.ownerOf(stampId(soulboundSeries, BigInt(edition)))).to.equal(people[edition - 1]!.address);
          expect(await stamps.transferCount(stampId(soulboundSeries, BigInt(edition)))).to.equal(0n);
        }
      }),
      RUNS,
    );
  });

  it("no sequence of what the roles can do moves a member's stamp, before, during or after the end", async () => {
    // What admin, minter and pauser can do to the rules, and time passing; then each tries to take the stamps.
    const op = fc.oneof(
      fc.record({ kind: fc.constant("policy" as const), marketOnly: fc.boolean() }),
      fc.record({ kind: fc.constant("gifts" as const), allowed: fc.boolean() }),
      fc.record({ kind: fc.constant("operator" as const), who: fc.nat(2), allowed: fc.boolean() }),
      fc.record({ kind: fc.constant("pause" as const) }),
      fc.record({ kind: fc.constant("announce" as const) }),
      fc.record({ kind: fc.constant("cancel" as const) }),
      fc.record({ kind: fc.constant("wait" as const), days: fc.integer({ min: 1, max: 120 }) }),
      // The holder trusts a role with all their stamps (as they trust the Market): it may then move them, the
      // holder's choice, and approve one (EIP-721), but still never burn one, nor make any role able to.
      fc.record({ kind: fc.constant("approveAll" as const), who: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 8 }), async (ops) => {
        const { stamps, admin, minter, pauser, members } = await loadFixture(deployTokensWithSeries);
        const holder = members[0]!;
        await stamps.connect(minter).mint(holder.address, 1n);
        await stamps.connect(minter).mint(holder.address, 2n);
        const ids = [stampId(1n, 1n), stampId(2n, 1n)];
        const roles = [admin, minter, pauser];
        const trusted = new Set<string>();
        const attempt = async () => {
          for (const role of roles) {
            for (const id of ids) {
              if (!trusted.has(role.address))
                await stamps
                  .connect(role)
                  .transferFrom(holder.address, role.address, id)
                  .then(
                    () => expect.fail("a role moved a member's stamp"),
                    () => undefined,
                  );
              // A role the holder trusted with all their stamps may approve one (EIP-721), to itself or to another
              // role; an untrusted one may not. Neither approval lets anyone burn it: a burn is the holder's own act.
              for (const approved of roles) {
                const approvedIt = await stamps
                  .connect(role)
                  .approve(approved.address, id)
                  .then(
                    () => true,
                    () => false,
                  );
                if (approvedIt && !trusted.has(role.address)) expect.fail("a role approved a member's stamp untrusted");
                await stamps
                  .connect(approved)
                  .burn(id)
                  .then(
                    () => expect.fail("a role burned a member's stamp"),
                    () => undefined,
                  );
                // The trusted role takes its delegation back, so the next check of moves sees only the holder's grants.
                if (approvedIt) await stamps.connect(role).approve(ethers.ZeroAddress, id);
              }
              await stamps
                .connect(role)
                .burn(id)
                .then(
                  () => expect.fail("a role burned a member's stamp"),
                  () => undefined,
                );
            }
          }
        };
        for (const o of ops) {
          // Any of these may be refused (cool-down, nothing announced, ended): the rules decide, not the property.
          const ignore = () => undefined;
          if (o.kind === "policy")
            await stamps
              .connect(admin)
              .setTransferPolicy(o.marketOnly ? 1 : 0)
              .catch(ignore);
          if (o.kind === "gifts") await stamps.connect(admin).setGiftsAllowed(o.allowed).catch(ignore);
          if (o.kind === "operator") await stamps.connect(admin).setOperator(roles[o.who]!.address, o.allowed).catch(ignore);
          if (o.kind === "pause") await stamps.connect(pauser).pause(Scope.Stamps).catch(ignore);
          if (o.kind === "announce") {
            const endsAt = BigInt(await time.latest()) + BigInt(NOTICE_PERIOD) + 10n;
            await stamps.connect(admin).announceEnd(endsAt).catch(ignore);
          }
          if (o.kind === "cancel") await stamps.connect(admin).cancelEnd().catch(ignore);
          if (o.kind === "wait") await time.increase(o.days * 86_400);
          if (o.kind === "approveAll") {
            await stamps.connect(holder).setApprovalForAll(roles[o.who]!.address, true);
            trusted.add(roles[o.who]!.address);
          }
          await attempt();
        }
        // Every stamp still exists (none burned) and is still the holder's (trusted roles were not asked to move it).
        for (const id of ids) expect(await stamps.ownerOf(id)).to.equal(holder.address);
      }),
      { numRuns: 15 },
    );
  });
});
