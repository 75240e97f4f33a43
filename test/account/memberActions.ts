import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createClient, type Address, type Hex } from "viem";
import { entryPoint08Abi, entryPoint08Address, toPackedUserOperation } from "viem/account-abstraction";
import { hardhat } from "viem/chains";
import { inProcessTransport } from "../../sdk/src/cli/inProcess";
import {
  approveMarketCalls,
  createProgramServerClient,
  prepareSponsoredUserOperation,
  ProgramServerError,
  redeemVoucherCalls,
  type MemberAccountCall,
  type WriteClient,
} from "../../sdk/src/index";
import { openDatabase } from "../../sdk/src/node/database";
import type { LinkStore } from "../../sdk/src/node/linkStore/linkStore";
import { createProgramServer } from "../../sdk/src/server/app";
import type { OrderBookTables } from "../../sdk/src/server/orderBook/schema";
import { stampId } from "../fixtures/tokens";
import { accountFixtureProgram, deployAccountFixture } from "./fixture";

// The member actions' tests (sdk/src/account/memberAction*.test.ts): a passkey account signed up through the
// program server's sponsorship and the real EntryPoint v0.8, the member holding no coin.

async function actionsFixture() {
  const f = await deployAccountFixture();
  const program = await accountFixtureProgram(f);
  return { ...f, program };
}

const USER_OPERATION_EVENT = ethers.id("UserOperationEvent(bytes32,address,address,uint256,bool,uint256,uint256)");

/**
 * The fixture's chain, a fresh program server (its budget and pending sponsorships start empty; `linkStore` turns on
 * `POST /links/forget`), the member signed up: the welcome voucher (a Coffee Club stamp, 100 points) deploys the
 * account, then a second UserOp approves the Market for its stamps.
 */
export async function memberActionsSetup({
  linkStore,
}: { linkStore?: (f: Awaited<ReturnType<typeof actionsFixture>>) => Promise<LinkStore> } = {}) {
  const f = await loadFixture(actionsFixture);
  const { program } = f;
  const store = linkStore ? await linkStore(f) : undefined;
  const db = openDatabase<OrderBookTables>(":memory:");
  const server = createProgramServer({
    program,
    client: f.client,
    db,
    ...(store ? { linkStore: store } : {}),
    userOps: { sponsor: f.sponsorKey, paymaster: f.paymasterAddress, factory: (await f.factory.getAddress()) as Address },
  });
  await server.book.init();
  const api = createProgramServerClient("http://server.test", {
    fetch: async (input, init) => server.app.request(input as string, init),
  });
  const prepare = (calls: MemberAccountCall[]) =>
    prepareSponsoredUserOperation(f.client, { account: f.member, calls, sponsor: (op) => api.sponsorUserOperation(op) });
  /** One sponsored UserOp of the member running `calls`, mined; its batch ran. */
  const run = async (calls: MemberAccountCall[]) => {
    const userOperation = await prepare(calls);
    const hash = await f.client.writeContract({
      address: entryPoint08Address,
      abi: entryPoint08Abi,
      functionName: "handleOps",
      args: [[toPackedUserOperation(userOperation)], f.bundler.address as Address],
    });
    const receipt = await f.client.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
    const [event] = receipt.logs.filter((l) => l.topics[0] === USER_OPERATION_EVENT);
    // UserOperationEvent's `success`: the batch ran (the EntryPoint does not revert when the calls do).
    expect(BigInt(`0x${event!.data.slice(2 + 64 * 1, 2 + 64 * 2)}`)).to.equal(1n);
    return receipt;
  };
  /** The program server's budget rows that hold anything (what sponsorships charged). */
  const budgetRows = async () =>
    (await db.selectFrom("relay_budget").selectAll().execute()).filter((r) => Number(r.actions) !== 0 || Number(r.gas) !== 0);
  /**
   * Asks for a sponsorship the policy must refuse: answers the server's error, and checks that the refusal charged
   * nothing and that the chain did not move.
   */
  const refused = async (calls: MemberAccountCall[]): Promise<ProgramServerError> => {
    const before = await budgetRows();
    const block = await ethers.provider.getBlockNumber();
    let error: unknown;
    try {
      await prepare(calls);
    } catch (thrown) {
      error = thrown;
    }
    expect(error, "the sponsorship was refused").to.be.instanceOf(ProgramServerError);
    expect(await budgetRows()).to.deep.equal(before);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    return error as ProgramServerError;
  };

  const { voucher, signature } = await f.welcomeVoucher(f.member.address);
  await run(redeemVoucherCalls({ program, voucher: { order: voucher, signature: signature as Hex, orderHash: "0x" } }));
  // A holder now: the policy sponsors more than vouchers (a fresh account batching anything else is refused).
  await run(approveMarketCalls({ program }));
  /** The existing SDK actions, run with the passkey account as the client's account (signatures go ERC-1271). */
  const memberClient = createClient({
    account: f.member,
    chain: hardhat,
    transport: inProcessTransport(),
  }) as unknown as WriteClient;
  const welcomeStamp = stampId(f.series.coffeeClub, 5n);
  return { ...f, db, server, api, store, prepare, run, refused, budgetRows, memberClient, welcomeStamp };
}

export type MemberActionsSetup = Awaited<ReturnType<typeof memberActionsSetup>>;
