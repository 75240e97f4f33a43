import { expect } from "chai";
import { network } from "hardhat";
import { parseEther, toHex, type Address } from "viem";
import { flakyChain } from "../../../../test/helpers/flakyChain.js";
import { belowFloor, RelayerFunds } from "./funds.js";

const relayer: Address = "0x00000000000000000000000000000000000f0a57";

/** Funds over the flaky chain's client, on a clock the test moves, and the relayer key holding 1 of the coin. */
async function fundsOnChain() {
  const { client, chain } = flakyChain();
  await network.provider.send("hardhat_setBalance", [relayer, toHex(parseEther("1"))]);
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const reads = (method: string) => chain.calls.get(method) ?? 0;
  return { funds: new RelayerFunds(client, { clock: () => now }), chain, clock, reads };
}

describe("relayer: its balances and the gas price, read once a second, not twice per relay", () => {
  it("answers 20 relays at once from one read of each, and reads again once the second is over", async () => {
    const { funds, clock, reads } = await fundsOnChain();
    const answers = await Promise.all(Array.from({ length: 20 }, () => Promise.all([funds.balance(relayer), funds.gasPrice()])));
    expect(new Set(answers.map(([b]) => b))).to.deep.equal(new Set([parseEther("1")]));
    expect([reads("eth_getBalance"), reads("eth_gasPrice")]).to.deep.equal([1, 1]);
    clock.advance(999);
    await funds.balance(relayer);
    expect(reads("eth_getBalance")).to.equal(1);
    clock.advance(1);
    await network.provider.send("hardhat_setBalance", [relayer, toHex(parseEther("2"))]);
    expect(await funds.balance(relayer)).to.equal(parseEther("2"));
    await funds.gasPrice();
    expect([reads("eth_getBalance"), reads("eth_gasPrice")]).to.deep.equal([2, 2]);
  });

  it("abuse: relays in the second after a read cannot spend past the floor: each send's most cost comes off at once", async () => {
    const { funds, reads } = await fundsOnChain();
    const floor = parseEther("0.7");
    // Each relay may cost up to 0.2: the balance read before them says 1, yet the third is judged on 0.6.
    const judged: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      const balance = await funds.balance(relayer);
      judged.push(balance);
      if (balance < floor) break;
      funds.spent(relayer, parseEther("0.2"));
    }
    expect(judged).to.deep.equal([parseEther("1"), parseEther("0.8"), parseEther("0.6")]);
    expect(reads("eth_getBalance")).to.equal(1);
    expect(belowFloor(judged[2]!, floor)).to.equal(
      "The relayer's balance (0.6) is below its floor of 0.7: sponsorship is paused until the brand tops it up; send it yourself meanwhile.",
    );
  });

  it("keeps no failed read: the chain down is thrown, and the next read once it is back answers", async () => {
    const { funds, chain } = await fundsOnChain();
    chain.down = true;
    try {
      const failed = await funds.balance(relayer).then(
        () => "answered",
        (error: Error) => error.name,
      );
      expect(failed).to.equal("HttpRequestError");
    } finally {
      chain.down = false;
    }
    expect(await funds.balance(relayer)).to.equal(parseEther("1"));
  });
});
