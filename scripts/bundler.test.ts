// A real ERC-4337 bundler (Alto, from npm) in front of the in-process Hardhat chain: a member's UserOp, sponsored by
// `POST /userops/sponsor` of a program server with a paymaster, is sent with `eth_sendUserOperation` and mined; the
// member holds no coin. With the bundler down, sending fails with an error naming it and nothing happens on-chain.
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeFunctionData, http, type Address, type Hex } from "viem";
import {
  createBundlerClient,
  entryPoint08Address,
  formatUserOperationRequest,
  type UserOperation,
} from "viem/account-abstraction";
import { hardhat } from "viem/chains";
import { createProgramServerClient, pointsAbi, prepareSponsoredUserOperation } from "@punchcard/sdk";
import { startProgramServer, type StartProgramServerReturnType } from "@punchcard/sdk/server";
import { accountFixtureProgram, deployAccountFixture } from "../test/account/fixture";
import { startTestBundler } from "../test/helpers/bundler";

const REDEEM = encodeFunctionData({
  abi: pointsAbi,
  functionName: "redeem",
  args: [5n, ethers.encodeBytes32String("coffee") as Hex],
});

async function fixture() {
  const f = await deployAccountFixture();
  const program = await accountFixtureProgram(f);
  // Rewarded at sign-up: a holder, whom the default policy sponsors.
  await f.points.connect(f.minter).reward(f.member.address, 50n, ethers.encodeBytes32String("sign-up"));
  return { ...f, program };
}

describe("bundler: Alto in front of the Hardhat chain (startBundler)", function () {
  this.timeout(240_000);
  let f: Awaited<ReturnType<typeof fixture>>;
  let running: Awaited<ReturnType<typeof startTestBundler>>;
  let server: StartProgramServerReturnType;
  let dir: string;

  before(async () => {
    f = await loadFixture(fixture);
    running = await startTestBundler();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-bundler-"));
    server = await startProgramServer({
      program: f.program,
      client: f.client,
      db: path.join(dir, "server.sqlite"),
      port: 0,
      pollingInterval: 250,
      userOps: {
        sponsor: f.sponsorKey,
        paymaster: f.paymasterAddress,
        factory: (await f.factory.getAddress()) as Address,
        bundler: running.bundler.url,
      },
    });
  });
  after(async () => {
    await server?.close();
    await running?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The member's UserOp, sponsored by the program server, at the bundler's own gas price. */
  const prepare = async (bundlerUrl: string) => {
    const api = createProgramServerClient(server.url);
    const bundler = createBundlerClient({ chain: hardhat, transport: http(bundlerUrl) });
    const prices = (await bundler.request({ method: "pimlico_getUserOperationGasPrice" as never })) as {
      fast: { maxFeePerGas: Hex; maxPriorityFeePerGas: Hex };
    };
    const fees = {
      maxFeePerGas: BigInt(prices.fast.maxFeePerGas),
      maxPriorityFeePerGas: BigInt(prices.fast.maxPriorityFeePerGas),
    };
    return prepareSponsoredUserOperation(f.client, {
      account: f.member,
      calls: [{ to: f.program.points, data: REDEEM }],
      sponsor: (op) => api.sponsorUserOperation(op),
      fees,
    });
  };
  const send = (bundlerUrl: string, userOperation: UserOperation<"0.8">) =>
    createBundlerClient({ chain: hardhat, transport: http(bundlerUrl, { retryCount: 0 }) }).request({
      method: "eth_sendUserOperation",
      params: [formatUserOperationRequest(userOperation), entryPoint08Address],
    });

  it("abuse: Alto listens on 127.0.0.1 only, not on the machine's network (0.0.0.0 or ::)", async function () {
    const port = Number(new URL(running.bundler.url).port);
    const listening = listeningAddresses(port);
    if (listening === undefined) this.skip(); // not Linux: no /proc/net/tcp to read the bound address from
    expect(listening).to.deep.equal(["127.0.0.1"]);
    // And it answers there.
    const response = await fetch(running.bundler.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    expect(((await response.json()) as { result: Hex }).result).to.equal("0x7a69");
  });

  it("abuse: the bundler down gives an error naming it, and nothing happens on-chain; the same UserOp goes through once it is back", async () => {
    const userOperation = await prepare(running.bundler.url);
    const down = running.bundler.url;
    await running.bundler.stop();
    const error = (await send(down, userOperation).catch((e: Error) => e)) as Error;
    expect(error).to.be.instanceOf(Error);
    expect(error.message).to.contain("HTTP request failed").and.contain(down);
    expect(await f.points.balanceOf(f.member.address)).to.equal(50n);
    expect(await ethers.provider.getCode(f.member.address)).to.equal("0x");
    // Back up (a new bundler): the member's UserOp, still within its sponsorship's window, is mined as it was signed.
    await running.close();
    running = await startTestBundler();
    const hash = await send(running.bundler.url, userOperation);
    const bundler = createBundlerClient({ chain: hardhat, transport: http(running.bundler.url), pollingInterval: 100 });
    const receipt = await bundler.waitForUserOperationReceipt({ hash, timeout: 60_000 });
    expect(receipt.success).to.equal(true);
    expect(await f.points.balanceOf(f.member.address)).to.equal(45n);
  });

  it("use: a sponsored UserOp sent with eth_sendUserOperation is mined by the bundler; the member holds 0 coin", async () => {
    const userOperation = await prepare(running.bundler.url);
    expect(userOperation.paymaster).to.equal(f.paymasterAddress);
    const bundler = createBundlerClient({ chain: hardhat, transport: http(running.bundler.url), pollingInterval: 100 });
    const hash = await send(running.bundler.url, userOperation);
    const receipt = await bundler.waitForUserOperationReceipt({ hash, timeout: 60_000 });
    expect(receipt.success).to.equal(true);
    expect(receipt.sender.toLowerCase()).to.equal(f.member.address.toLowerCase());
    expect(receipt.paymaster?.toLowerCase()).to.equal(f.paymasterAddress.toLowerCase());
    // The bundler's executor sent the transaction, not the member; the paymaster's deposit paid.
    expect(receipt.receipt.from.toLowerCase()).to.not.equal(f.member.address.toLowerCase());
    expect(await f.points.balanceOf(f.member.address)).to.equal(40n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });
});

/**
 * The local addresses TCP sockets listen on at `port` (Linux's /proc/net/tcp and tcp6; undefined elsewhere):
 * "127.0.0.1", "0.0.0.0", "::", "::1" or another address in hex.
 */
function listeningAddresses(port: number): string[] | undefined {
  if (!fs.existsSync("/proc/net/tcp")) return undefined;
  const LISTEN = "0A";
  const named: Record<string, string> = {
    "0100007F": "127.0.0.1",
    "00000000": "0.0.0.0",
    "00000000000000000000000000000000": "::",
    "00000000000000000000000001000000": "::1",
  };
  const addresses: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, "utf8").split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== LISTEN) continue;
      const [address = "", hexPort = ""] = local.split(":");
      if (parseInt(hexPort, 16) === port) addresses.push(named[address] ?? address);
    }
  }
  return addresses.sort();
}
