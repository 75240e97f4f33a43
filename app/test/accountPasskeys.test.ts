// Signing in with a passkey on another device finds its card by the accounts' events (issue #24): they are read from
// the program's deployment block in bounded ranges, never from block 0, so a chain with a long history before the
// program and a provider that refuses wide ranges still opens the card; and a passkey the card removed opens nothing.
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import { passkeyId, type MemberAccountCall } from "@punchcard/sdk";
import { createPublicClient, custom, LimitExceededRpcError, type Address, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { deployAccountFixture } from "../../test/account/fixture";
import { TestPasskey } from "../../test/account/passkey";
import { handleOps, sponsoredUserOp } from "../../test/account/userOps";
import type { ToMemberAccountReturnType } from "../../sdk/src/account/toMemberAccount";
import {
  accountPasskeys,
  addPasskeyCalls,
  findAccountOfAddedPasskey,
  PasskeyRemovedError,
  removePasskeyCalls,
  requirePasskeyHeld,
} from "../src/passkey/accountPasskeys";

/** Blocks of the chain's history before the program: three times what the provider below searches in one request. */
const HISTORY = 30_000;
/** The widest `eth_getLogs` range the provider answers (a common limit of public RPC providers). */
const RANGE_LIMIT = 10_000n;

async function fixture() {
  await mine(HISTORY);
  const fromBlock = BigInt(await ethers.provider.getBlockNumber()) + 1n;
  const f = await deployAccountFixture();
  const send = async (account: ToMemberAccountReturnType, calls: MemberAccountCall[]) => {
    const userOp = await sponsoredUserOp(account, calls, { sponsor: f.sponsorKey, paymaster: f.paymasterAddress });
    await (await handleOps(f.bundler, [userOp])).wait();
  };
  const laptop = new TestPasskey("laptop");
  // The card's first UserOp deploys its account and adds the laptop's passkey.
  await send(f.member, addPasskeyCalls(f.member.address, laptop.publicKey));
  /** The card's account, signed by another of its passkeys. */
  const signedBy = (passkey: TestPasskey) => f.memberAccount(passkey, { firstPublicKey: f.passkey.publicKey });
  return { ...f, fromBlock, laptop, send, signedBy, factoryAddress: (await f.factory.getAddress()) as Address };
}

/** A client of the chain through a provider that refuses log ranges wider than RANGE_LIMIT; it notes each range asked. */
function limitedClient(base: Awaited<ReturnType<typeof fixture>>["client"]) {
  const ranges: { from: bigint; to: bigint }[] = [];
  const client = createPublicClient({
    chain: hardhat,
    transport: custom({
      request: async ({ method, params }: { method: string; params: unknown }) => {
        if (method === "eth_getLogs") {
          const [filter] = params as [{ fromBlock?: Hex; toBlock?: Hex }];
          const head = await base.getBlockNumber();
          const from = filter.fromBlock?.startsWith("0x") ? BigInt(filter.fromBlock) : 0n;
          const to = filter.toBlock?.startsWith("0x") ? BigInt(filter.toBlock) : head;
          ranges.push({ from, to });
          if (to - from + 1n > RANGE_LIMIT)
            throw Object.assign(new Error(`query exceeds max block range ${RANGE_LIMIT}`), {
              code: LimitExceededRpcError.code,
            });
        }
        return base.request({ method, params } as Parameters<typeof base.request>[0]);
      },
    }),
  });
  return { client, ranges };
}

describe("wallet: a card's passkeys from its account's events", () => {
  it("use: signing in on another device finds the card of an added passkey and the card's passkeys, reading only from the program's deployment block, under a provider's range limit", async () => {
    const f = await loadFixture(fixture);
    const { client, ranges } = limitedClient(f.client);
    const program = { factory: f.factoryAddress, fromBlock: f.fromBlock };
    const card = { address: f.member.address, firstPublicKey: f.passkey.publicKey };

    expect(await findAccountOfAddedPasskey(client, program, f.laptop.publicKey)).to.deep.equal(card);
    // The card's first passkey finds the same card, by its own first event.
    expect(await findAccountOfAddedPasskey(client, program, f.passkey.publicKey)).to.deep.equal(card);
    await requirePasskeyHeld(client, { address: f.member.address, publicKey: f.laptop.publicKey });
    const keys = await accountPasskeys(client, f.member.address, f.passkey.publicKey, f.fromBlock);
    expect(keys).to.deep.equal([
      { keyId: passkeyId(f.passkey.publicKey), publicKey: f.passkey.publicKey },
      { keyId: passkeyId(f.laptop.publicKey), publicKey: f.laptop.publicKey },
    ]);
    // Every search began at the program's deployment block, not at block 0, and fitted the provider's limit.
    expect(ranges).to.not.deep.equal([]);
    for (const range of ranges) {
      expect(range.from >= f.fromBlock, `a search from block ${range.from}`).to.equal(true);
      expect(range.to - range.from < RANGE_LIMIT).to.equal(true);
    }
    // A passkey of no card finds none: it is a new card's (its predicted account), not someone else's.
    expect(await findAccountOfAddedPasskey(client, program, new TestPasskey("stranger").publicKey)).to.equal(undefined);
  });

  it("abuse: a passkey the card removed opens nothing (PasskeyRemovedError), whether it was added later or was the card's first", async () => {
    const f = await loadFixture(fixture);
    const { client } = limitedClient(f.client);
    const program = { factory: f.factoryAddress, fromBlock: f.fromBlock };

    // The phone removes the lost laptop's passkey.
    await f.send(f.member, removePasskeyCalls(f.member.address, passkeyId(f.laptop.publicKey)));
    const removed = await findAccountOfAddedPasskey(client, program, f.laptop.publicKey).catch((e: unknown) => e);
    expect(removed).to.be.instanceOf(PasskeyRemovedError);
    expect((removed as PasskeyRemovedError).account).to.equal(f.member.address);
    const remembered = await requirePasskeyHeld(client, { address: f.member.address, publicKey: f.laptop.publicKey }).catch(
      (e: unknown) => e,
    );
    expect(remembered).to.be.instanceOf(PasskeyRemovedError);

    // A tablet is added, and it removes the phone's passkey, the card's first (the card's address came from it).
    const tablet = new TestPasskey("tablet");
    await f.send(f.member, addPasskeyCalls(f.member.address, tablet.publicKey));
    await f.send(await f.signedBy(tablet), removePasskeyCalls(f.member.address, passkeyId(f.passkey.publicKey)));
    expect(await findAccountOfAddedPasskey(client, program, f.passkey.publicKey).catch((e: unknown) => e)).to.be.instanceOf(
      PasskeyRemovedError,
    );
    expect(
      await requirePasskeyHeld(client, { address: f.member.address, publicKey: f.passkey.publicKey }).catch((e: unknown) => e),
    ).to.be.instanceOf(PasskeyRemovedError);
    // The tablet still opens the card, and the card lists it alone.
    expect(await findAccountOfAddedPasskey(client, program, tablet.publicKey)).to.deep.equal({
      address: f.member.address,
      firstPublicKey: f.passkey.publicKey,
    });
    expect(await accountPasskeys(client, f.member.address, f.passkey.publicKey, f.fromBlock)).to.deep.equal([
      { keyId: passkeyId(tablet.publicKey), publicKey: tablet.publicKey },
    ]);
  });
});
