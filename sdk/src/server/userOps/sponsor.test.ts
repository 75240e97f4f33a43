import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import {
  createPublicClient,
  custom,
  encodeErrorResult,
  encodeFunctionData,
  parseGwei,
  slice,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { entryPoint08Abi, entryPoint08Address, toPackedUserOperation, type UserOperation } from "viem/account-abstraction";
import { accountFixtureProgram, deployAccountFixture, type AccountFixture } from "../../../../test/account/fixture.js";
import { TestPasskey } from "../../../../test/account/passkey.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import {
  createProgramServerClient,
  encodeMemberAccountCalls,
  pointsAbi,
  prepareSponsoredUserOperation,
  ProgramServerError,
  redeemVoucherCalls,
  stampsAbi,
  toWire,
  type MemberAccountCall,
  type ToMemberAccountReturnType,
  type UnsponsoredUserOperation,
} from "../../index.js";
import { openDatabase } from "../../node/database.js";
import { createProgramServer } from "../app.js";
import type { OrderBookTables } from "../orderBook/schema.js";
import { toGwei } from "../relay/budget.js";
import { defaultRelayPolicy, type RelayPolicy } from "../relay/policy.js";
import type { UserOpSponsorTables } from "./sponsor.js";

// POST /userops/sponsor: the program server signs a UserOp's paymaster data only after the relay policy allowed it.
// Every abuse below is refused before anything is charged or signed; what is signed goes through the real
// EntryPoint v0.8 (a test account sends handleOps, as a bundler would).

const FEES = { maxFeePerGas: parseGwei("3"), maxPriorityFeePerGas: parseGwei("1") };
const REDEEM = encodeFunctionData({
  abi: pointsAbi,
  functionName: "redeem",
  args: [5n, ethers.encodeBytes32String("coffee") as Hex],
});

async function fixture() {
  const f = await deployAccountFixture();
  const program = await accountFixtureProgram(f);
  // The brand rewards the member at sign-up: a holder, whom the default policy sponsors.
  await f.points.connect(f.minter).reward(f.member.address, 50n, ethers.encodeBytes32String("sign-up"));
  return { ...f, program };
}

/**
 * The fixture's client, but the simulation's `eth_call` (from the EntryPoint) answers a revert carrying `revertData`,
 * as a hostile or broken node could: what the server makes of revert data no ABI of the program decodes.
 */
function forgingSimulation(client: AccountFixture["client"], revertData: Hex) {
  return createPublicClient({
    chain: client.chain,
    transport: custom({
      request: async ({ method, params }: { method: string; params: unknown }) => {
        const [request] = params as [{ from?: string }];
        if (method === "eth_call" && request.from?.toLowerCase() === entryPoint08Address.toLowerCase())
          throw Object.assign(new Error("execution reverted"), { code: 3, data: revertData });
        return client.request({ method, params } as Parameters<typeof client.request>[0]);
      },
    }),
  });
}

async function setup(
  policy: Partial<RelayPolicy> = {},
  options: { db?: Kysely<OrderBookTables>; sponsorKey?: "none"; forgeSimulation?: Hex } = {},
) {
  const f = await loadFixture(fixture);
  const db = options.db ?? openDatabase<OrderBookTables>(":memory:");
  const server = createProgramServer({
    program: f.program,
    client: options.forgeSimulation === undefined ? f.client : forgingSimulation(f.client, options.forgeSimulation),
    db,
    relayPolicy: { ...defaultRelayPolicy, ...policy },
    ...(options.sponsorKey === "none"
      ? {}
      : {
          userOps: { sponsor: f.sponsorKey, paymaster: f.paymasterAddress, factory: (await f.factory.getAddress()) as Address },
        }),
  });
  await server.book.init();
  const api = createProgramServerClient("http://server.test", {
    fetch: async (input, init) => server.app.request(input as string, init),
  });
  const post = async (body: unknown) => {
    const response = await server.app.request("/userops/sponsor", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(toWire(body)),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      json: (await response.json()) as {
        error?: { code: string; message: string; revert?: { errorName: string; args: string[] } };
        paymasterData?: Hex;
      },
    };
  };
  /** The member's UserOp asked of the server, signed by the passkey. */
  const prepare = (account: ToMemberAccountReturnType, calls: MemberAccountCall[]) =>
    prepareSponsoredUserOperation(f.client, { account, calls, sponsor: (op) => api.sponsorUserOperation(op), fees: FEES });
  /** What the SDK would send for sponsorship, without sending it. */
  const unsponsored = async (account: ToMemberAccountReturnType, calls: MemberAccountCall[]) => {
    let captured: UnsponsoredUserOperation | undefined;
    await prepareSponsoredUserOperation(f.client, {
      account,
      calls,
      fees: FEES,
      sponsor: async (op) => {
        captured = op;
        throw new Error("captured");
      },
    }).catch(() => undefined);
    const { paymasterVerificationGasLimit = 0n, paymasterPostOpGasLimit = 0n, ...rest } = captured!;
    return { ...rest, paymasterVerificationGasLimit, paymasterPostOpGasLimit };
  };
  const handleOps = async (userOperation: UserOperation<"0.8">) => {
    const hash = await f.client.writeContract({
      address: entryPoint08Address,
      abi: entryPoint08Abi,
      functionName: "handleOps",
      args: [[toPackedUserOperation(userOperation)], f.bundler.address as Address],
    });
    return f.client.waitForTransactionReceipt({ hash });
  };
  const budgetRows = async () =>
    (await db.selectFrom("relay_budget").selectAll().execute()).filter((r) => Number(r.actions) !== 0 || Number(r.gas) !== 0);
  return { ...f, db, server, api, post, prepare, unsponsored, handleOps, budgetRows };
}

describe("server: POST /userops/sponsor, the relay policy for UserOps", () => {
  it("use: a member's first UserOp (deploys the account, redeems points) is sponsored, mined, and charged at its most possible cost", async () => {
    const s = await setup();
    const userOperation = await s.prepare(s.member, [{ to: s.program.points, data: REDEEM }]);
    expect(userOperation.paymaster).to.equal(s.paymasterAddress);
    const receipt = await s.handleOps(userOperation);
    expect(receipt.status).to.equal("success");
    expect(await s.points.balanceOf(s.member.address)).to.equal(45n);
    expect(await ethers.provider.getBalance(s.member.address)).to.equal(0n);
    const gas =
      userOperation.callGasLimit +
      userOperation.verificationGasLimit +
      userOperation.preVerificationGas +
      userOperation.paymasterVerificationGasLimit! +
      userOperation.paymasterPostOpGasLimit!;
    const rows = await s.budgetRows();
    expect(rows.map((r) => [r.scope, Number(r.actions), BigInt(r.gas)])).to.have.deep.members([
      [s.member.address, 1, gas],
      ["*", 1, gas],
    ]);
    // The coin at the most fee per gas, counted in gwei, rounded up.
    expect(BigInt(rows[0]!.coin_gwei)).to.equal((gas * FEES.maxFeePerGas + 999_999_999n) / 1_000_000_000n);
  });

  it("use: the member's next UserOp (no initCode) is sponsored too; the answer says what is left today", async () => {
    const s = await setup();
    await s.handleOps(await s.prepare(s.member, [{ to: s.program.points, data: REDEEM }]));
    const answer = await s.api.sponsorUserOperation(await s.unsponsored(s.member, [{ to: s.program.points, data: REDEEM }]));
    expect(answer.member).to.equal(s.member.address);
    expect(answer.remainingToday).to.equal(defaultRelayPolicy.member.actionsPerDay - 2);
    expect(answer.validUntil).to.equal((await time.latest()) + 120);
    // The first UserOp was settled to what the EntryPoint charged (its UserOperationEvent) before the second was
    // charged at its most possible cost: the member's day is spent by what UserOps cost, not by their gas limits.
    const [event] = await s.client.getContractEvents({
      address: entryPoint08Address,
      abi: entryPoint08Abi,
      eventName: "UserOperationEvent",
    });
    const member = (await s.budgetRows()).find((r) => r.scope === s.member.address)!;
    expect(BigInt(member.gas)).to.equal(event!.args.actualGasUsed! + 1_320_000n);
    expect(Number(member.actions)).to.equal(2);
  });

  it("abuse: an account of another factory, or a UserOp deploying with another factory, is refused (not_member_account)", async () => {
    const s = await setup();
    // The same code behind another factory: not this program's member account.
    const foreignFactory = await ethers.deployContract("MemberAccountFactory");
    const thief = new TestPasskey("foreign");
    const foreign = await s.memberAccount(thief);
    const other = await (
      await import("../../account/toMemberAccount.js")
    ).toMemberAccount({
      client: s.client,
      credential: thief.credential,
      factory: (await foreignFactory.getAddress()) as Address,
      getFn: thief.getFn,
      rpId: "wallet.punchcard.test",
    });
    await s.points.connect(s.minter).reward(other.address, 50n, ethers.encodeBytes32String("x"));
    const deploying = await s.post(await s.unsponsored(other, [{ to: s.program.points, data: REDEEM }]));
    expect(deploying.status).to.equal(422);
    expect(deploying.json.error?.code).to.equal("not_member_account");
    expect(deploying.json.error?.message).to.contain("not this program's factory");
    // Deployed by its own factory, then asking without initCode: its code is another implementation's clone.
    await foreignFactory.createAccount(...(await factoryArgs(thief)), ethers.ZeroHash);
    const deployed = await s.post(await s.unsponsored(other, [{ to: s.program.points, data: REDEEM }]));
    expect(deployed.status).to.equal(422);
    expect(deployed.json.error?.message).to.contain("not a member account of this program");
    // A plain address (an EOA holding points) is no member account either.
    const eoa = await s.post({
      ...(await s.unsponsored(foreign, [{ to: s.program.points, data: REDEEM }])),
      factory: undefined,
      factoryData: undefined,
      sender: s.alice.address,
    });
    expect(eoa.status).to.equal(422);
    expect(eoa.json.error?.code).to.equal("not_member_account");
    // A sender the factory would not put there with this data.
    const wrongSender = await s.post({
      ...(await s.unsponsored(foreign, [{ to: s.program.points, data: REDEEM }])),
      sender: s.member.address,
    });
    expect(wrongSender.json.error?.code).to.equal("not_member_account");
    expect(await s.budgetRows()).to.deep.equal([]);
  });

  it("abuse: a call outside the program, an admin function, coin sent or a nested batch is refused (outside_program)", async () => {
    const s = await setup();
    const outside = await s.post(await s.unsponsored(s.member, [{ to: s.stranger.address as Address, data: "0x" }]));
    expect(outside.status).to.equal(422);
    expect(outside.json.error?.code).to.equal("outside_program");
    expect(outside.json.error?.message).to.contain("not a contract of this program");
    const token = await s.post(await s.unsponsored(s.member, [{ to: (await s.usd.getAddress()) as Address, data: REDEEM }]));
    expect(token.json.error?.code).to.equal("outside_program");
    // Hidden behind a program call in the same batch.
    const mixed = await s.post(
      await s.unsponsored(s.member, [
        { to: s.program.points, data: REDEEM },
        { to: s.stranger.address as Address, data: "0x12345678" },
      ]),
    );
    expect(mixed.json.error?.message).to.contain("Call 2 of the batch");
    const admin = encodeFunctionData({
      abi: pointsAbi,
      functionName: "reward",
      args: [s.member.address, 1n, ethers.ZeroHash as Hex],
    });
    const adminCall = await s.post(await s.unsponsored(s.member, [{ to: s.program.points, data: admin }]));
    expect(adminCall.json.error?.code).to.equal("outside_program");
    expect(adminCall.json.error?.message).to.contain("reward on the program's points, which is not a member's action");
    const nested = await s.post(
      await s.unsponsored(s.member, [
        { to: s.member.address, data: encodeMemberAccountCalls([{ to: s.stranger.address as Address }]) },
      ]),
    );
    expect(nested.json.error?.message).to.contain("calls the account itself");
    const coin = await s.post(await s.unsponsored(s.member, [{ to: s.program.points, data: REDEEM, value: 1n }]));
    expect(coin.json.error?.message).to.contain("sends coin");
    expect(await s.budgetRows()).to.deep.equal([]);
  });

  it("abuse: a UserOp that would revert is refused with the contract's reason (would_revert); nothing charged", async () => {
    const s = await setup();
    const tooMuch = encodeFunctionData({
      abi: pointsAbi,
      functionName: "redeem",
      args: [51n, ethers.encodeBytes32String("x") as Hex],
    });
    const answer = await s.post(await s.unsponsored(s.member, [{ to: s.program.points, data: tooMuch }]));
    expect(answer.status).to.equal(422);
    expect(answer.json.error?.code).to.equal("would_revert");
    expect(answer.json.error?.message).to.match(/would revert: .*(balance|points)/i);
    // Approving a stamp the account does not hold reverts too.
    const approve = encodeFunctionData({ abi: stampsAbi, functionName: "approve", args: [s.program.market, 1_000_000_001n] });
    expect((await s.post(await s.unsponsored(s.member, [{ to: s.program.stamps, data: approve }]))).json.error?.code).to.equal(
      "would_revert",
    );
    expect(await s.budgetRows()).to.deep.equal([]);
  });

  it("use: a voucher for a sold-out series is refused 422 would_revert naming StampsSeriesSoldOut and its arguments; the client's error carries it", async () => {
    const s = await setup();
    // A series of one edition, minted already, and a journey that pays one stamp of it.
    const soldOut = 4n;
    await s.stamps.createSeries("Opening Night", 1, false, "ipfs://punchcard/opening.png", "");
    await s.stamps.connect(s.minter).mintBatch([s.stranger.address], soldOut);
    const journeyId = ethers.encodeBytes32String("opening-night") as Hex;
    await s.rewards.connect(s.admin).setJourney(journeyId, {
      seriesId: soldOut,
      maxStamps: 1,
      maxPoints: 0n,
      start: 0n,
      end: 0n,
      limitPerMember: 1,
      referral: false,
      active: true,
    });
    const { voucher, signature } = await s.welcomeVoucher(s.member.address, { journeyId, stamps: 1n, points: 0n });
    const calls = redeemVoucherCalls({
      program: s.program,
      voucher: { order: voucher, signature: signature as Hex, orderHash: "0x" },
    });
    const answer = await s.post(await s.unsponsored(s.member, calls));
    expect(answer.status).to.equal(422);
    expect(answer.json.error).to.deep.equal({
      code: "would_revert",
      message: "The UserOp would revert: Series 4 has minted all 1 editions: create another series for more stamps.",
      revert: { errorName: "StampsSeriesSoldOut", args: ["4", "1"] },
    });
    const refusal = await s.prepare(s.member, calls).catch((error: unknown) => error);
    expect(refusal).to.be.instanceOf(ProgramServerError);
    expect((refusal as ProgramServerError).revert).to.deep.equal({ errorName: "StampsSeriesSoldOut", args: ["4", "1"] });
    expect(await s.budgetRows()).to.deep.equal([]);
  });

  it("abuse: a simulation's revert data the program's ABIs do not decode (forged, cut short) is would_revert without a name, never a 500", async () => {
    const soldOut = encodeErrorResult({ abi: stampsAbi, errorName: "StampsSeriesSoldOut", args: [4n, 1n] });
    for (const forged of ["0xdeadbeef", slice(soldOut, 0, 36), "0x"] as Hex[]) {
      const s = await setup({}, { forgeSimulation: forged });
      const answer = await s.post(await s.unsponsored(s.member, [{ to: s.program.points, data: REDEEM }]));
      expect(answer.status, forged).to.equal(422);
      expect(answer.json.error?.code, forged).to.equal("would_revert");
      expect(answer.json.error, forged).to.not.have.property("revert");
      expect(await s.budgetRows()).to.deep.equal([]);
    }
  });

  for (const engine of databaseEngines()) {
    it(`abuse: over budget, 429 with Retry-After; 8 concurrent asks against room for 2 get exactly 2 signatures (${engine})`, async () => {
      const db = openDatabase<OrderBookTables>(await freshDatabase(engine));
      const perOp = 1_320_000n; // MEMBER_USER_OPERATION_GAS: the UserOp's gas limits, summed
      const s = await setup({ member: { ...defaultRelayPolicy.member, gasPerDay: perOp * 3n, coinPerDay: 10n ** 18n } }, { db });
      await s.handleOps(await s.prepare(s.member, [{ to: s.program.points, data: REDEEM }]));
      const op = await s.unsponsored(s.member, [{ to: s.program.points, data: REDEEM }]);
      const answers = await Promise.all(Array.from({ length: 8 }, () => s.post(op)));
      expect(answers.filter((a) => a.status === 200)).to.have.length(2);
      const refused = answers.filter((a) => a.status !== 200);
      expect(refused).to.have.length(6);
      for (const a of refused) {
        expect(a.status).to.equal(429);
        expect(a.json.error?.code).to.equal("budget_exceeded");
        expect(Number(a.retryAfter)).to.be.greaterThan(0);
      }
      const member = (await s.budgetRows()).find((r) => r.scope === s.member.address)!;
      // The first UserOp settled to what it cost, the two sponsored since at their most possible cost.
      expect(BigInt(member.gas)).to.be.lessThan(perOp * 3n);
      expect(Number(member.actions)).to.equal(3);
      await db.destroy();
    });
  }

  for (const engine of databaseEngines()) {
    describe(`sponsorships outlive a restart (${engine})`, () => {
      /** A program server of the fixture on `db`, as a new run of `punchcard serve` would start it. */
      const restart = async (s: Awaited<ReturnType<typeof setup>>, db: Kysely<OrderBookTables>) => {
        const server = createProgramServer({
          program: s.program,
          client: s.client,
          db,
          userOps: { sponsor: s.sponsorKey, paymaster: s.paymasterAddress, factory: (await s.factory.getAddress()) as Address },
        });
        await server.book.init();
        return server.userOpSponsor!;
      };
      const budgets = async (db: Kysely<OrderBookTables>) =>
        (await db.selectFrom("relay_budget").selectAll().execute())
          .filter((r) => Number(r.actions) !== 0)
          .map((r) => [r.scope, Number(r.actions), BigInt(r.gas), BigInt(r.coin_gwei)]);
      const pendingRows = (db: Kysely<OrderBookTables>) =>
        (db as unknown as Kysely<UserOpSponsorTables>).selectFrom("userop_sponsorships").selectAll().execute();

      it("use: sponsored, the server stops, the UserOp is mined, the next run settles the member's day to what the EntryPoint charged", async () => {
        const location = await freshDatabase(engine);
        const db = openDatabase<OrderBookTables>(location);
        const s = await setup({}, { db });
        const userOperation = await s.prepare(s.member, [{ to: s.program.points, data: REDEEM }]);
        const gas =
          userOperation.callGasLimit +
          userOperation.verificationGasLimit +
          userOperation.preVerificationGas +
          userOperation.paymasterVerificationGasLimit! +
          userOperation.paymasterPostOpGasLimit!;
        const most = { gas, coin: gas * userOperation.maxFeePerGas };
        await db.destroy();
        // While no server runs, the bundler sends it.
        expect((await s.handleOps(userOperation)).status).to.equal("success");
        const next = openDatabase<OrderBookTables>(location);
        const sponsor = await restart(s, next);
        const atMost = [most.gas, toGwei(most.coin)];
        expect(await budgets(next)).to.have.deep.members([
          [s.member.address, 1, ...atMost],
          ["*", 1, ...atMost],
        ]);
        await sponsor.settle();
        const [event] = await s.client.getContractEvents({
          address: entryPoint08Address,
          abi: entryPoint08Abi,
          eventName: "UserOperationEvent",
        });
        const charged = [event!.args.actualGasUsed!, toGwei(event!.args.actualGasCost!)];
        expect(charged[0]).to.be.lessThan(most.gas);
        expect(await budgets(next)).to.have.deep.members([
          [s.member.address, 1, ...charged],
          ["*", 1, ...charged],
        ]);
        expect(await pendingRows(next)).to.deep.equal([]);
        await next.destroy();
      });

      it("abuse: two runs settling one sponsorship at once settle it once; one unused past its window gives everything back, once", async () => {
        const location = await freshDatabase(engine);
        const db = openDatabase<OrderBookTables>(location);
        const s = await setup({}, { db });
        await s.handleOps(await s.prepare(s.member, [{ to: s.program.points, data: REDEEM }]));
        const [a, b] = [openDatabase<OrderBookTables>(location), openDatabase<OrderBookTables>(location)];
        const [first, second] = [await restart(s, a), await restart(s, b)];
        await Promise.all([first.settle(), second.settle(), first.settle(s.member.address), second.settle()]);
        const [event] = await s.client.getContractEvents({
          address: entryPoint08Address,
          abi: entryPoint08Abi,
          eventName: "UserOperationEvent",
        });
        const charged = [event!.args.actualGasUsed!, toGwei(event!.args.actualGasCost!)];
        expect(await budgets(db)).to.have.deep.members([
          [s.member.address, 1, ...charged],
          ["*", 1, ...charged],
        ]);
        // A sponsorship never sent: charged at its most while its window is open (a settlement then leaves it be),
        // then given back whole, action included, by exactly one of the two runs settling it at once.
        await s.api.sponsorUserOperation(await s.unsponsored(s.member, [{ to: s.program.points, data: REDEEM }]));
        expect(await pendingRows(db)).to.have.length(1);
        await Promise.all([first.settle(), second.settle()]);
        expect((await budgets(db)).find((r) => r[0] === s.member.address)?.[1]).to.equal(2);
        await time.increase(121);
        await Promise.all([first.settle(), second.settle(s.member.address), second.settle(), first.settle()]);
        expect(await budgets(db)).to.have.deep.members([
          [s.member.address, 1, ...charged],
          ["*", 1, ...charged],
        ]);
        expect(await pendingRows(db)).to.deep.equal([]);
        await Promise.all([db.destroy(), a.destroy(), b.destroy()]);
      });

      it("abuse: the program's day held by another member's sponsorship never sent is free once its window passes", async () => {
        const db = openDatabase<OrderBookTables>(await freshDatabase(engine));
        const perOp = 1_320_000n; // MEMBER_USER_OPERATION_GAS: the UserOp's gas limits, summed
        const s = await setup({ program: { ...defaultRelayPolicy.program, gasPerDay: perOp, coinPerDay: 10n ** 18n } }, { db });
        const other = await s.memberAccount(new TestPasskey("second member"));
        await s.points.connect(s.minter).reward(other.address, 50n, ethers.encodeBytes32String("sign-up"));
        // The member takes the program's whole day and never sends it.
        await s.api.sponsorUserOperation(await s.unsponsored(s.member, [{ to: s.program.points, data: REDEEM }]));
        const op = await s.unsponsored(other, [{ to: s.program.points, data: REDEEM }]);
        const held = await s.post(op);
        expect(held.status).to.equal(503);
        expect(held.json.error?.code).to.equal("program_budget_spent");
        // The window passes: the other member is sponsored, the first one's charge is gone, the second's stands.
        await time.increase(121);
        const freed = await s.post(op);
        expect(freed.status).to.equal(200);
        expect((await budgets(db)).map((r) => [r[0], r[1]])).to.have.deep.members([
          [other.address, 1],
          ["*", 1],
        ]);
        expect(await pendingRows(db)).to.have.length(1);
        await db.destroy();
      });
    });
  }

  it("abuse: a sponsorship replayed after its window pays nothing (AA32), nor for another UserOp (AA34)", async () => {
    const s = await setup();
    const userOperation = await s.prepare(s.member, [{ to: s.program.points, data: REDEEM }]);
    // The same sponsorship on a UserOp that does something else: the sponsor signed the other one.
    const more = encodeFunctionData({
      abi: pointsAbi,
      functionName: "redeem",
      args: [50n, ethers.encodeBytes32String("x") as Hex],
    });
    const swapped = { ...userOperation, callData: encodeMemberAccountCalls([{ to: s.program.points, data: more }]) };
    await expect(s.handleOps({ ...swapped, signature: await s.member.signUserOperation(swapped) })).to.be.rejectedWith("AA34");
    await time.increase(121);
    await expect(s.handleOps(userOperation)).to.be.rejectedWith("AA32 paymaster expired or not due");
    expect(await s.points.balanceOf(s.member.address)).to.equal(50n);
  });

  it("abuse: a flood of 20 fresh accounts holding nothing: nothing signed, nothing charged (not_eligible)", async () => {
    const s = await setup();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const account = await s.memberAccount(new TestPasskey(`fresh ${i}`));
        return s.post(await s.unsponsored(account, [{ to: s.program.points, data: REDEEM }]));
      }),
    );
    for (const a of answers) {
      expect(a.status).to.equal(422);
      expect(a.json.error?.code).to.equal("not_eligible");
      expect(a.json.paymasterData).to.equal(undefined);
    }
    expect(await s.budgetRows()).to.deep.equal([]);
  });

  it("abuse: a stale nonce, a fee above the cap, an action the policy does not list; without a sponsor key, 503", async () => {
    const s = await setup({ actions: defaultRelayPolicy.actions.filter((a) => a !== "redeem"), maxGasPrice: parseGwei("5") });
    const op = await s.unsponsored(s.member, [{ to: s.program.points, data: REDEEM }]);
    const notListed = await s.post(op);
    expect(notListed.json.error?.code).to.equal("not_sponsored");
    const approve = encodeFunctionData({ abi: pointsAbi, functionName: "approve", args: [s.program.market, 5n] });
    const base = await s.unsponsored(s.member, [{ to: s.program.points, data: approve }]);
    expect((await s.post({ ...base, nonce: 1n })).json.error?.code).to.equal("stale_nonce");
    expect((await s.post({ ...base, maxFeePerGas: parseGwei("6") })).json.error?.code).to.equal("fee_too_high");
    expect((await s.post(base)).status).to.equal(200);
    const off = await setup({}, { sponsorKey: "none" });
    const answer = await off.post(base);
    expect(answer.status).to.equal(503);
    expect(answer.json.error?.code).to.equal("sponsor_off");
    await expect(off.api.sponsorUserOperation(base)).to.be.rejectedWith(ProgramServerError, /no paymaster sponsor key/);
  });

  it("abuse: a sponsorship signed by another key is refused by the paymaster (AA34)", async () => {
    const s = await setup();
    const rogue = privateKeyToAccount(ethers.hexlify(ethers.randomBytes(32)) as Hex);
    const userOperation = await prepareSponsoredUserOperation(s.client, {
      account: s.member,
      calls: [{ to: s.program.points, data: REDEEM }],
      fees: FEES,
      sponsor: async (op) => {
        const { signSponsorship } = await import("../../account/signSponsorship.js");
        const validUntil = (await time.latest()) + 100;
        return {
          paymaster: s.paymasterAddress,
          paymasterData: await signSponsorship({
            sponsor: rogue,
            paymaster: s.paymasterAddress,
            chainId: 31337,
            userOperation: op,
            validUntil,
          }),
        };
      },
    });
    await expect(s.handleOps(userOperation)).to.be.rejectedWith("AA34");
  });
});

async function factoryArgs(passkey: TestPasskey): Promise<[Hex, Hex, Address]> {
  const { passkeyCoordinates } = await import("../../account/passkeySignature.js");
  const { x, y } = passkeyCoordinates(passkey.publicKey);
  return [x, y, "0x0000000000000000000000000000000000000000"];
}
