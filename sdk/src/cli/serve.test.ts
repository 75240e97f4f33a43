import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { network } from "hardhat";
import { toHex, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import {
  createProgramServerClient,
  listStamp,
  makeOffer,
  recordFromProgram,
  signConsentLink,
  signForgetRequest,
  type Program,
  type Signed,
} from "../index.js";
import { LinkStore } from "../node/linkStore/linkStore.js";
import { marketProgram, sdkProgram, stampIds } from "../../../test/helpers/sdkProgram.js";
import { serveInProcessChain } from "../../../test/helpers/rpcServer.js";
import { runCommand } from "./command.js";
import { serveCommand } from "./serve.js";

const { CUP, cup } = stampIds;
const repo = path.resolve(__dirname, "..", "..", "..");

/** `punchcard serve` from source, as `npm run punchcard` runs it; resolves with its URL once it prints it. */
function startServe(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE") && k !== "NODE_OPTIONS"));
  const child = spawn(
    process.execPath,
    [path.join(repo, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", "sdk/src/cli/bin.ts", "serve", ...args],
    {
      cwd: repo,
      env: { ...env, PUNCHCARD_RELAYER_KEY: "", PUNCHCARD_BRAND_KEY: "", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

/** The program's deployment record in a fresh temporary folder, as `punchcard deploy` writes it, for `--program`. */
function writeRecord(program: Program, deployer: Address): { dir: string; record: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-serve-"));
  const record = path.join(dir, "record.json");
  const fields = { brand: "Test Coffee", network: "localhost", configHash: `0x${"11".repeat(32)}` as const, deployer };
  fs.writeFileSync(record, JSON.stringify(recordFromProgram(program, fields)));
  return { dir, record };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 2_400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
}

// A child killed by a signal exits with a null code and its signal set: both mean it has already exited.
const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code)),
  );

describe("cli: punchcard serve", function () {
  this.timeout(10 * 60_000);

  it("keeps every order it answered 2xx through a SIGKILL and a restart on the same SQLite file, and stops cleanly on SIGTERM", async () => {
    const { program, ada, ben, cleo, brand } = await loadFixture(marketProgram);
    const rpc = await serveInProcessChain();
    const { dir, record } = writeRecord(program, brand.account.address);
    const db = path.join(dir, "server.sqlite");
    const args = ["--program", record, "--rpc", rpc.url, "--db", db, "--port", "0", "--poll-ms", "100"];
    try {
      // 12 listings (each member lists their stamp at 4 prices), posted while the process is killed.
      const listings: Signed<unknown>[] = [];
      for (const price of [100n, 200n, 300n, 400n])
        for (const [member, edition] of [
          [ada, 1n],
          [ben, 2n],
          [cleo, 3n],
        ] as const)
          listings.push(await listStamp(member, { program, tokenId: cup(edition), price, currency: program.points }));
      const offer = await makeOffer(cleo, { program, seriesId: CUP, price: 120n, currency: program.points });
      const first = await startServe(args);
      const client = createProgramServerClient(first.url);
      const accepted: string[] = [];
      const posting = (async () => {
        for (const listing of listings) {
          const entry = await client.postOrder({ listing: listing as never }).catch(() => undefined);
          if (!entry) return;
          accepted.push(entry.signed.orderHash);
        }
      })();
      await until(() => accepted.length >= 3);
      first.child.kill("SIGKILL");
      await posting;
      await exited(first.child);
      expect(accepted.length).to.be.within(3, listings.length);

      const second = await startServe(args);
      try {
        const again = createProgramServerClient(second.url);
        for (const hash of accepted) expect((await again.order(hash as `0x${string}`)).status).to.equal("open");
        // The rest can be posted now (the accepted ones again, harmlessly), and every order is found.
        for (const listing of listings) await again.postOrder({ listing: listing as never });
        await again.postOrder({ offer });
        const { orders: listed } = await again.listings({ seriesId: CUP, currency: program.points, limit: 100 });
        expect(listed).to.have.length(listings.length);
        expect((await again.health()).openOrders).to.equal(listings.length + 1);
      } finally {
        second.child.kill("SIGTERM");
        expect(await exited(second.child)).to.equal(0);
        expect(second.output()).to.contain("Stopped.");
      }
    } finally {
      await rpc.close();
    }
  });

  it("reads a posted order's chain state through the chain's Multicall3 where it is deployed, with the same answers", async () => {
    const { program, ada, ben, brand } = await loadFixture(marketProgram);
    // Multicall3 at its canonical address, as on public chains: its runtime code, from viem's creation code.
    const viemConstants = fs.readFileSync(path.join(repo, "node_modules", "viem", "_cjs", "constants", "contracts.js"), "utf8");
    const multicall3Bytecode = /multicall3Bytecode = '(0x[0-9a-f]+)'/.exec(viemConstants)![1] as `0x${string}`;
    const deployed = await brand.waitForTransactionReceipt({
      hash: await brand.sendTransaction({ data: multicall3Bytecode }),
    });
    const code = await brand.getCode({ address: deployed.contractAddress! });
    await network.provider.send("hardhat_setCode", ["0xcA11bde05977b3631167028862bE2a173976CA11", code]);
    const rpc = await serveInProcessChain();
    const { dir, record } = writeRecord(program, brand.account.address);
    const serving = await startServe(["--program", record, "--rpc", rpc.url, "--db", path.join(dir, "s.sqlite"), "--port", "0"]);
    try {
      await until(() => serving.output().includes("Multicall3"));
      expect(serving.output()).to.contain("Reading the chain through Multicall3 (0xcA11bde05977b3631167028862bE2a173976CA11)");
      const client = createProgramServerClient(serving.url);
      const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
      expect((await client.postOrder({ listing })).status).to.equal("open");
      // A refusal reads through it too: Ben's listing with Ada's signature.
      const benListing = await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points });
      const forged = await client
        .postOrder({ listing: { ...benListing, signature: listing.signature } })
        .catch((error: unknown) => error);
      expect(forged).to.deep.include({ status: 422, code: "bad_signature" });
      expect((await client.health()).openOrders).to.equal(1);
    } finally {
      serving.child.kill("SIGTERM");
      expect(await exited(serving.child)).to.equal(0);
      await rpc.close();
    }
  });

  it("with --link-store and the brand's key, erases a member's link record on their signed forget request", async () => {
    const { program, brand, backend, members } = await loadFixture(sdkProgram);
    const ada = members[0]!;
    const rpc = await serveInProcessChain();
    const { dir, record } = writeRecord(program, brand.account.address);
    const links = path.join(dir, "links.sqlite");
    let store = await LinkStore.open(links, { program, brand: backend });
    const { commitment } = await store.prepareLink({ customerId: "cust-0042", wallet: ada.account.address });
    await store.link({
      customerId: "cust-0042",
      consent: await signConsentLink(ada, { program, commitment, purposes: ["rewards"] }),
    });
    await store.close();
    // Hardhat's accounts come from its default mnemonic; the backend (account 1) holds the consent registry's brand role.
    const backendKey = toHex(
      mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 1 }).getHdKey()
        .privateKey!,
    );
    const args = [
      "--program",
      record,
      "--rpc",
      rpc.url,
      "--db",
      path.join(dir, "s.sqlite"),
      "--port",
      "0",
      "--link-store",
      links,
    ];
    const serving = await startServe(args, { PUNCHCARD_BRAND_KEY: backendKey });
    try {
      await until(() => serving.output().includes("POST /links/forget"));
      expect(serving.output()).to.contain("Forget requests erase records of the link store (POST /links/forget)");
      const answer = await createProgramServerClient(serving.url).forgetLink(await signForgetRequest(ada, { program }));
      expect(answer).to.deep.include({ status: "forgotten", unlinkedOnChain: true });
      store = await LinkStore.open(links, { program, brand: backend });
      expect(await store.db.selectFrom("member_links").selectAll().execute()).to.deep.equal([]);
      await store.close();
    } finally {
      serving.child.kill("SIGTERM");
      expect(await exited(serving.child)).to.equal(0);
      await rpc.close();
    }
  });

  it("a relay looks for its receipt at the pace of the chain's blocks (250 ms on 1-second blocks), not at --poll-ms", async () => {
    const { program, brand } = await loadFixture(marketProgram);
    // The chain's last 20 blocks 1 s apart (21 mined: the first one's step is from the block before), as a development node run with a block time makes them.
    await network.provider.send("hardhat_mine", ["0x15", "0x1"]);
    const rpc = await serveInProcessChain();
    const { dir, record } = writeRecord(program, brand.account.address);
    const args = ["--program", record, "--rpc", rpc.url, "--db", path.join(dir, "server.sqlite"), "--port", "0"];
    try {
      const served = await startServe([...args, "--poll-ms", "1000"], { PUNCHCARD_RELAYER_KEY: `0x${"5e".repeat(32)}` });
      try {
        await until(() => served.output().includes("Relaying from"));
        expect(served.output()).to.contain("each receipt looked for every 250 ms");
      } finally {
        served.child.kill("SIGTERM");
        expect(await exited(served.child)).to.equal(0);
      }
    } finally {
      await rpc.close();
    }
  });

  it("refuses --link-store without the brand's key, before it opens anything", async () => {
    let err = "";
    const io = { out: () => {}, err: (t: string) => (err += t) };
    const saved = process.env.PUNCHCARD_BRAND_KEY;
    delete process.env.PUNCHCARD_BRAND_KEY;
    try {
      expect(await runCommand(serveCommand as never, ["--program", "x.json", "--link-store", "links.sqlite"], io)).to.equal(2);
      expect(err).to.contain("--link-store needs the brand's key in PUNCHCARD_BRAND_KEY");
      err = "";
      expect(await runCommand(serveCommand as never, ["--program", "x.json", "--link-store", " "], io)).to.equal(2);
      expect(err).to.contain("--link-store must be an SQLite file path or a postgres:// URL.");
    } finally {
      if (saved !== undefined) process.env.PUNCHCARD_BRAND_KEY = saved;
    }
  });

  it("refuses --paymaster without the factory or the sponsor key, and --bundler alone, before it opens anything", async () => {
    let err = "";
    const io = { out: () => {}, err: (t: string) => (err += t) };
    const saved = process.env.PUNCHCARD_SPONSOR_KEY;
    delete process.env.PUNCHCARD_SPONSOR_KEY;
    const paymaster = `0x${"12".repeat(20)}`;
    try {
      expect(await runCommand(serveCommand as never, ["--program", "x.json", "--paymaster", paymaster], io)).to.equal(2);
      expect(err).to.contain("--paymaster needs --account-factory");
      err = "";
      const both = ["--program", "x.json", "--paymaster", paymaster, "--account-factory", paymaster];
      expect(await runCommand(serveCommand as never, both, io)).to.equal(2);
      expect(err).to.contain("--paymaster needs the sponsor key in PUNCHCARD_SPONSOR_KEY");
      err = "";
      expect(await runCommand(serveCommand as never, ["--program", "x.json", "--bundler", "http://b.test"], io)).to.equal(2);
      expect(err).to.contain("--account-factory and --bundler need --paymaster.");
    } finally {
      if (saved !== undefined) process.env.PUNCHCARD_SPONSOR_KEY = saved;
    }
  });

  it("refuses a bad configuration naming the field, and prints its help", async () => {
    let err = "";
    const io = { out: () => {}, err: (t: string) => (err += t) };
    expect(await runCommand(serveCommand as never, ["--program", "x.json", "--port", "99999"], io)).to.equal(2);
    expect(err).to.contain("--port must be from 0 to 65535.");
    err = "";
    const key = `0x${"ab".repeat(32)}`;
    expect(await runCommand(serveCommand as never, ["--program", "x.json", "--relayer-key", key], io)).to.equal(2);
    expect(err).to.contain("--relayer-key is refused");
    expect(err).to.contain("PUNCHCARD_RELAYER_KEY, or in a file only you can read and pass --relayer-key-file");
    expect(err, "never prints a key").to.not.contain(key);
    err = "";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-keys-"));
    const keyFile = path.join(dir, "keys");
    const secret = `0x${"cd".repeat(31)}`;
    fs.writeFileSync(keyFile, `# relayer keys\n${key}\n${secret}\n`, { mode: 0o600 });
    expect(await runCommand(serveCommand as never, ["--program", "x.json", "--relayer-key-file", keyFile], io)).to.equal(2);
    expect(err).to.contain(`Each of the keys of ${keyFile} must be a 0x hex private key of 32 bytes (key 2).`);
    expect(err, "never prints a key").to.not.contain(secret);
    err = "";
    const policyFile = path.join(dir, "policy.json");
    fs.writeFileSync(policyFile, JSON.stringify({ member: { actionsPerDay: -1 } }));
    expect(await runCommand(serveCommand as never, ["--program", "x.json", "--relay-policy", policyFile], io)).to.equal(2);
    expect(err).to.contain("member.actionsPerDay");
    err = "";
    expect(await runCommand(serveCommand as never, ["--program", "x.json", "--rpc", "ftp://x"], io)).to.equal(2);
    expect(err).to.contain("--rpc must be an http(s) URL");
    let out = "";
    expect(await runCommand(serveCommand as never, ["--help"], { out: (t) => (out += t), err: () => {} })).to.equal(0);
    expect(out).to.contain("PUNCHCARD_RELAYER_KEY");
  });
});
