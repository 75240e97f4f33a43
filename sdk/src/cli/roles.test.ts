import { expect } from "chai";
import fs from "node:fs";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, type Address, type Hex } from "viem";
import { execSafeTransaction, recordedSafeProgram } from "../../../test/helpers/safe.js";
import { serveInProcessChain } from "../../../test/helpers/rpcServer.js";
import { runCommand } from "./command.js";
import { rolesCommand } from "./roles.js";

describe("cli: punchcard roles", () => {
  let rpc: { url: string; close: () => Promise<void> };
  before(async () => {
    rpc = await serveInProcessChain();
  });
  after(async () => {
    await rpc.close();
  });

  async function roles(args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runCommand(rolesCommand, [...args, "--rpc", rpc.url], {
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
  }

  it("lists every role of every contract by name, holders labelled; --json for machines", async () => {
    const { recordPath, program } = await loadFixture(recordedSafeProgram);
    const text = await roles(["--program", recordPath]);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.contain("Roles of Test Coffee on localhost (chain 31337)");
    expect(text.stdout).to.match(/stamps 0x[0-9a-fA-F]{40}/);
    expect(text.stdout).to.match(/ {2}pauser {2}0x[0-9a-fA-F]{40} \(deployer\)/);
    expect(text.stdout).to.contain(`${getAddress(program.rewards)} (rewards contract)`);
    expect(text.stdout).to.contain("may: sets the royalty");
    const json = await roles(["list", "--program", recordPath, "--json"]);
    const parsed = JSON.parse(json.stdout) as { contracts: { contract: string; roles: { role: string }[] }[] };
    expect(parsed.contracts.map((c) => c.contract)).to.deep.equal(["stamps", "points", "market", "consent", "rewards"]);
    expect(parsed.contracts[4]!.roles.map((r) => r.role)).to.have.members(["admin", "issuer"]);
  });

  it("refuses a handover to an address without code or to a contract that is no Safe, sending nothing", async () => {
    const { recordPath, brand, members, program } = await loadFixture(recordedSafeProgram);
    const nonce = await brand.getTransactionCount({ address: brand.account.address });
    const eoa = await roles(["handover", "--program", recordPath, "--to", members[3]!.account.address]);
    expect(eoa.code).to.equal(1);
    expect(eoa.stderr).to.contain("has no code on chain 31337: it is not a Safe");
    const token = await roles(["handover", "--program", recordPath, "--to", program.points]);
    expect(token.code).to.equal(1);
    expect(token.stderr).to.contain("is a contract but not a Safe");
    const noTo = await roles(["handover", "--program", recordPath]);
    expect(noTo.code).to.equal(2);
    expect(noTo.stderr).to.contain("needs --to <safe>");
    const listWithTo = await roles(["--program", recordPath, "--to", members[3]!.account.address]);
    expect(listWithTo.code).to.equal(2);
    expect(await brand.getTransactionCount({ address: brand.account.address })).to.equal(nonce);
  });

  it("hands over to the Safe, writes the Safe's batch and the known accounts; the Safe accepts from the batch", async () => {
    const { recordPath, backend, safe, owners } = await loadFixture(recordedSafeProgram);
    const done = await roles(["handover", "--program", recordPath, "--to", safe, "--backend", backend.account.address]);
    expect(done.code, done.stderr).to.equal(0);
    expect(done.stdout).to.contain("(2 of 3 owners)");
    expect(done.stdout).to.match(/stamps {3}pauser {2}-> 0x/);
    const batchFile = recordPath.replace(/\.json$/, ".safe-accept.json");
    const batch = JSON.parse(fs.readFileSync(batchFile, "utf8")) as {
      chainId: string;
      meta: { createdFromSafeAddress: string };
      transactions: { to: Address; value: string; data: Hex }[];
    };
    expect(batch.chainId).to.equal("31337");
    expect(batch.meta.createdFromSafeAddress).to.equal(safe);
    expect(batch.transactions).to.have.length(5);
    const accounts = JSON.parse(fs.readFileSync(recordPath.replace(/\.json$/, ".accounts.json"), "utf8"));
    expect(accounts).to.deep.equal({ safe, backend: [getAddress(backend.account.address)] });

    const accept = await roles(["accept", "--program", recordPath, "--json"]);
    expect(JSON.parse(accept.stdout).calls).to.have.length(5);
    await time.increase(24 * 60 * 60 + 1);
    for (const call of batch.transactions) {
      await execSafeTransaction(owners[0]!, [owners[0]!, owners[2]!], safe, { to: call.to, data: call.data });
    }
    const after = await roles(["--program", recordPath]);
    expect(after.stdout).to.match(/ {2}admin {3}0x[0-9a-fA-F]{40} \(Safe\)/);
    expect(after.stdout).to.match(/ {2}minter {2}.*\(backend\)/);
    expect(after.stdout).to.not.contain("(deployer)");
    const nothing = await roles(["accept", "--program", recordPath]);
    expect(nothing.code).to.equal(1);
    expect(nothing.stdout).to.contain("nothing to accept");
  });
});
