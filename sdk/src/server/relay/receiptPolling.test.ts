import { expect } from "chai";
import { network } from "hardhat";
import { createPublicClient } from "viem";
import { hardhat } from "viem/chains";
import { inProcessTransport } from "../../cli/inProcess.js";
import { flakyChain } from "../../../../test/helpers/flakyChain.js";
import { receiptPollingInterval } from "./receiptPolling.js";

describe("relayer: how often a relay looks for its receipt", () => {
  const client = createPublicClient({ chain: hardhat, transport: inProcessTransport() });

  it("a quarter of the chain's block time: 250 ms on a chain of 1-second blocks, 1 s (the ceiling) on 12-second blocks", async () => {
    await network.provider.send("hardhat_mine", ["0x15", "0x1"]);
    expect(await receiptPollingInterval(client)).to.equal(250);
    expect(await receiptPollingInterval(client, { ceiling: 200 })).to.equal(200);
    await network.provider.send("hardhat_mine", ["0x15", "0xc"]);
    expect(await receiptPollingInterval(client)).to.equal(1_000);
    expect(await receiptPollingInterval(client, { ceiling: 4_000 })).to.equal(3_000);
  });

  it("never below the floor, however fast the blocks (a development node mining one per second or faster)", async () => {
    await network.provider.send("hardhat_mine", ["0x15", "0x0"]);
    expect(await receiptPollingInterval(client)).to.equal(100);
    expect(await receiptPollingInterval(client, { floor: 50 })).to.equal(50);
  });

  it("a chain that cannot be read gets the ceiling: no faster polling of a node in trouble", async () => {
    const { client: flaky, chain } = flakyChain();
    chain.down = true;
    expect(await receiptPollingInterval(flaky, { ceiling: 700 })).to.equal(700);
  });
});
