import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, type EIP1193RequestFn } from "viem";
import { getLogs } from "viem/actions";
import {
  fetchLogs,
  isRangeLimitError,
  isTransientError,
  mintStamps,
  programAddresses,
  PunchcardError,
  rewardPoints,
} from "../index.js";
import { inProcessTransport } from "../cli/inProcess.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";

/** A program with some history: 12 transactions across 12 blocks. */
async function history() {
  const f = await sdkProgram();
  for (let i = 0; i < 6; i++) {
    await mintStamps(f.backend, { program: f.program, seriesId: 2n, to: [f.members[i % 5]!.account.address] });
    await rewardPoints(f.backend, {
      program: f.program,
      reason: "visit",
      rewards: [{ member: f.members[i % 5]!.account.address, amount: 10n }],
    });
  }
  return f;
}

/** A client over the in-process chain whose eth_getLogs misbehaves as `fault` says. */
function faultyClient(fault: (range: { from: bigint; to: bigint }, call: number) => Error | undefined) {
  const inner = inProcessTransport()({ retryCount: 0 });
  let calls = 0;
  const request = (async (args: { method: string; params?: unknown }) => {
    if (args.method === "eth_getLogs") {
      const [filter] = args.params as [{ fromBlock: string; toBlock: string }];
      const error = fault({ from: BigInt(filter.fromBlock), to: BigInt(filter.toBlock) }, ++calls);
      if (error) throw error;
    }
    return inner.request(args as never);
  }) as EIP1193RequestFn;
  return { client: createPublicClient({ transport: custom({ request }, { retryCount: 0 }) }), calls: () => calls };
}

describe("sdk: fetchLogs", () => {
  it("splits a range the provider refuses and returns every log once, in order, with progress", async () => {
    const { program, brand } = await loadFixture(history);
    const toBlock = await brand.getBlockNumber();
    const addresses = programAddresses(program);
    const expected = await getLogs(brand, { address: addresses, fromBlock: program.deployBlock, toBlock });
    expect(expected.length).to.be.greaterThan(20);

    const refused: bigint[] = [];
    const { client } = faultyClient(({ from, to }) => {
      if (to - from + 1n > 4n) {
        refused.push(to - from + 1n);
        return Object.assign(new Error("query exceeds max block range 4"), { code: -32602 });
      }
      return undefined;
    });
    const progress: bigint[] = [];
    const logs = await fetchLogs(client, {
      addresses,
      fromBlock: program.deployBlock,
      toBlock,
      maxRange: 64n,
      onProgress: (p) => progress.push(p.doneBlocks),
    });
    expect(logs.map((l) => `${l.blockNumber}:${l.logIndex}`)).to.deep.equal(
      expected.map((l) => `${l.blockNumber}:${l.logIndex}`),
    );
    // The whole history (under 64 blocks) was asked first, then halves until the provider accepted.
    const total = toBlock - program.deployBlock + 1n;
    expect(refused.slice(0, 2)).to.deep.equal([total, total / 2n]);
    expect(progress.at(-1)).to.equal(toBlock - program.deployBlock + 1n);
  });

  it("retries transient failures with exponential backoff", async () => {
    const { program, brand } = await loadFixture(history);
    const toBlock = await brand.getBlockNumber();
    const { client, calls } = faultyClient((_range, call) =>
      call <= 2 ? Object.assign(new Error(call === 1 ? "429 Too Many Requests" : "socket hang up"), {}) : undefined,
    );
    const waits: number[] = [];
    const logs = await fetchLogs(client, {
      addresses: [program.points],
      fromBlock: program.deployBlock,
      toBlock,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(waits).to.deep.equal([250, 500]);
    expect(calls()).to.equal(3);
    expect(logs.length).to.be.greaterThan(0);
  });

  it("gives up after the last attempt, and at once on a permanent error", async () => {
    const { program, brand } = await loadFixture(history);
    const toBlock = await brand.getBlockNumber();
    const flaky = faultyClient(() => new Error("request timed out"));
    try {
      await fetchLogs(flaky.client, { addresses: [program.points], fromBlock: 0n, toBlock, attempts: 3, sleep: async () => {} });
      expect.fail("should throw");
    } catch (error) {
      expect(error).to.be.instanceOf(PunchcardError);
      expect((error as Error).message).to.contain("after 3 attempts");
    }
    expect(flaky.calls()).to.equal(3);

    const broken = faultyClient(() => new Error("invalid params: unknown address format"));
    try {
      await fetchLogs(broken.client, { addresses: [program.points], fromBlock: 0n, toBlock, sleep: async () => {} });
      expect.fail("should throw");
    } catch (error) {
      expect((error as PunchcardError).shortMessage).to.match(/^Reading logs of blocks 0-\d+ failed\.$/);
    }
    expect(broken.calls()).to.equal(1);
  });

  it("returns a range holding more logs than a call can take as arguments (300,000 in one block)", async () => {
    // A dense block (the scale bench's 100,000-member batches) once overflowed the stack: logs.push(...chunk).
    const log = {
      address: `0x${"11".repeat(20)}`,
      topics: [`0x${"22".repeat(32)}`],
      data: "0x",
      blockNumber: "0x1",
      blockHash: `0x${"33".repeat(32)}`,
      transactionHash: `0x${"44".repeat(32)}`,
      transactionIndex: "0x0",
      logIndex: "0x0",
      removed: false,
    };
    const many = Array.from({ length: 300_000 }, (_, i) => ({ ...log, logIndex: `0x${i.toString(16)}` }));
    const request = (async (args: { method: string }) => {
      if (args.method === "eth_getLogs") return many;
      throw new Error(`unexpected ${args.method}`);
    }) as EIP1193RequestFn;
    const client = createPublicClient({ transport: custom({ request }, { retryCount: 0 }) });
    const logs = await fetchLogs(client, { addresses: [log.address as `0x${string}`], fromBlock: 1n, toBlock: 1n });
    expect(logs).to.have.length(300_000);
    expect(logs[299_999]!.logIndex).to.equal(299_999);
  });

  it("tells range limits from rate limits", () => {
    expect(isRangeLimitError(new Error("query returned more than 10000 results"))).to.equal(true);
    expect(isRangeLimitError(Object.assign(new Error("whatever"), { code: -32005 }))).to.equal(true);
    expect(isRangeLimitError(new Error("rate limit exceeded"))).to.equal(false);
    expect(isTransientError(new Error("rate limit exceeded"))).to.equal(true);
    expect(isTransientError(Object.assign(new Error("Bad Gateway"), { status: 502 }))).to.equal(true);
    expect(isTransientError(new Error("execution reverted"))).to.equal(false);
    // A 429 or 502 inside an address or block number quoted in the message is no status code.
    const quoted =
      'query returned more than 10000 results. Request body: {"address":["0x1111111111111111111111111111111111429111"],"fromBlock":"0x5029"}';
    expect(isRangeLimitError(new Error(quoted))).to.equal(true);
    expect(isTransientError(new Error(quoted))).to.equal(false);
  });
});
