import { expect } from "chai";
import { ethers } from "hardhat";
import type { Address } from "viem";
import * as rootViem from "viem";
import { BaseError, ContractFunctionRevertedError, encodeErrorResult, encodeFunctionData } from "viem";
import { hardhat } from "viem/chains";
import { PROGRAM_ABIS, PROGRAM_ERROR_NAMES } from "../../test/helpers/programAbis.js";
import { serveInProcessChain } from "../../test/helpers/rpcServer.js";
import { inProcessTransport } from "./cli/inProcess.js";
import { explainError } from "./errors.js";
import { consentRegistryErrorCatalog } from "./errors/consentRegistry.js";
import { marketErrorCatalog } from "./errors/market.js";
import { programErrorCatalogs } from "./errors/sentences.js";
import { stampsErrorCatalog } from "./errors/stamps.js";
import {
  consentRegistryAbi,
  ContractRevertError,
  hasExplanation,
  marketAbi,
  pointsAbi,
  PunchcardError,
  stampsAbi,
  toPunchcardError,
} from "./index.js";

const MEMBER = "0x00000000000000000000000000000000000000A1";

/** A value of an error parameter's type, to encode a revert with. */
function sampleOf(type: string): unknown {
  if (/^u?int\d*$/.test(type)) return 7n;
  if (type === "address") return "0x00000000000000000000000000000000000000A1";
  if (type === "bool") return true;
  if (type === "string") return "a name";
  const bytes = /^bytes(\d+)$/.exec(type);
  if (bytes) return `0x${"ab".repeat(Number(bytes[1]))}`;
  throw new Error(`No sample for ${type}: add one.`);
}

// OpenZeppelin errors that need a programming mistake in the SDK itself to reach; the generic
// sentence ("refused the call with X") is enough for them.
const internalErrors = new Set([
  "AccessControlBadConfirmation",
  "AccessControlEnforcedDefaultAdminDelay",
  "AccessControlEnforcedDefaultAdminRules",
  "AccessControlInvalidDefaultAdmin",
  "ECDSAInvalidSignature",
  "ECDSAInvalidSignatureLength",
  "ECDSAInvalidSignatureS",
  "ERC20InvalidApprover",
  "ERC20InvalidSender",
  "ERC20InvalidSpender",
  "ERC2612ExpiredSignature",
  "ERC2612InvalidSigner",
  "ERC721IncorrectOwner",
  "ERC721InvalidApprover",
  "ERC721InvalidOperator",
  "ERC721InvalidOwner",
  "ERC721InvalidSender",
  "ERC20InvalidReceiver",
  "ExpectedPause",
  "InvalidAccountNonce",
  "InvalidShortString",
  "ReentrancyGuardReentrantCall",
  "SafeCastOverflowedUintDowncast",
  "SafeERC20FailedOperation",
  "StringTooLong",
  "StringsInsufficientHexLength",
  "MarketZeroAddress",
  "RoyaltySplitFeeTooHigh",
]);

describe("sdk: errors", () => {
  it("has a sentence a person can act on for every custom error a member or brand can meet", () => {
    const missing = [...PROGRAM_ERROR_NAMES].filter((name) => !internalErrors.has(name) && !hasExplanation(name));
    expect(missing).to.deep.equal([]);
  });

  it("decodes a revert into ContractRevertError with its name, arguments and sentence", () => {
    const data = encodeErrorResult({ abi: stampsAbi, errorName: "StampsSeriesSoldOut", args: [4n, 10n] });
    const revert = new ContractFunctionRevertedError({ abi: stampsAbi, data, functionName: "mint" });
    const decoded = toPunchcardError(new BaseError("call failed", { cause: revert }));
    expect(decoded).to.be.instanceOf(ContractRevertError);
    expect((decoded as ContractRevertError).errorName).to.equal("StampsSeriesSoldOut");
    expect((decoded as ContractRevertError).args).to.deep.equal([4n, 10n]);
    expect(decoded.shortMessage).to.equal("Series 4 has minted all 10 editions: create another series for more stamps.");
    expect(decoded.details).to.equal("StampsSeriesSoldOut(4, 10)");
  });

  it("decodes the raw revert data of every custom error of every contract, whichever contract it bubbled up through", () => {
    // A revert from a contract the call did not name (Points refusing a Market payment) reaches viem as raw data its
    // ABI cannot decode; toPunchcardError decodes it with the error tables of every contract (generated/errorAbi.ts),
    // which hold each contract's errors and nothing else, so a page that calls two contracts need not carry seven ABIs.
    const undecoded: string[] = [];
    let checked = 0;
    for (const abi of PROGRAM_ABIS) {
      for (const item of abi) {
        if (item.type !== "error") continue;
        const args = item.inputs.map((input) => sampleOf(input.type));
        const data = encodeErrorResult({ abi: [item], errorName: item.name, args });
        const decoded = toPunchcardError(
          new BaseError("call failed", { cause: Object.assign(new Error("execution reverted"), { data }) }),
        );
        checked++;
        if (!(decoded instanceof ContractRevertError) || decoded.errorName !== item.name) undecoded.push(item.name);
        else expect(decoded.args.map(String)).to.deep.equal(args.map(String), item.name);
      }
    }
    expect(undecoded).to.deep.equal([]);
    expect(checked).to.be.greaterThan(programErrorCatalogs.flatMap((catalog) => catalog.abi).length);
  });

  it("holds in the error tables only errors, each signature once over all of them, each with its sentence beside it", () => {
    const items = programErrorCatalogs.flatMap((catalog) => catalog.abi);
    expect(items.every((item) => item.type === "error")).to.equal(true);
    const signatures = items.map((item) =>
      item.type === "error" ? `${item.name}(${item.inputs.map((input) => input.type).join(",")})` : "",
    );
    expect(new Set(signatures).size).to.equal(signatures.length);
    // The sentences of a catalog are those of its own errors: an error explained in another file is a decode that
    // finds no sentence when only that catalog is carried.
    for (const catalog of programErrorCatalogs) {
      const own = new Set(catalog.abi.map((item) => (item.type === "error" ? item.name : "")));
      expect(Object.keys(catalog.sentences).filter((name) => !own.has(name))).to.deep.equal([]);
    }
  });

  it("decodes with the catalog an action names a revert of a contract it calls, bubbled up through it, with its sentence", () => {
    // The Market paying in points: Points refuses the transfer, the revert reaches viem as raw data the Market's ABI
    // cannot decode. The Market's catalog reaches Points' (and Stamps').
    const data = encodeErrorResult({ abi: pointsAbi, errorName: "ERC20InsufficientBalance", args: [MEMBER, 5n, 9n] });
    const raw = new BaseError("call failed", { cause: Object.assign(new Error("execution reverted"), { data }) });
    const decoded = explainError(raw, [marketErrorCatalog]);
    expect(decoded).to.be.instanceOf(ContractRevertError);
    expect(decoded.shortMessage).to.equal(toPunchcardError(raw).shortMessage);
    expect(decoded.details).to.equal(`ERC20InsufficientBalance(${MEMBER}, 5, 9)`);
    // The errors several contracts raise are read with any catalog.
    const shared = encodeErrorResult({ abi: marketAbi, errorName: "EnforcedPause" });
    const paused = explainError(Object.assign(new Error("execution reverted"), { data: shared }), [stampsErrorCatalog]);
    expect((paused as ContractRevertError).errorName).to.equal("EnforcedPause");
    expect(paused.shortMessage).to.equal(toPunchcardError(paused.cause).shortMessage);
  });

  it("does not decode with an action's catalog the errors of a contract it never calls (a page carries no other table)", () => {
    // A ConsentRegistry error reaching a Stamps action: no table the Stamps catalog reaches holds it, so it is not
    // taken for one of Stamps' errors; the whole program's catalogs (toPunchcardError) still decode it.
    const data = encodeErrorResult({ abi: consentRegistryAbi, errorName: "ConsentNotLinked", args: [MEMBER] });
    const raw = Object.assign(new Error("execution reverted"), { data });
    expect(explainError(raw, [stampsErrorCatalog])).not.to.be.instanceOf(ContractRevertError);
    expect((explainError(raw, [consentRegistryErrorCatalog]) as ContractRevertError).errorName).to.equal("ConsentNotLinked");
    expect((toPunchcardError(raw) as ContractRevertError).errorName).to.equal("ConsentNotLinked");
  });

  it("leaves out of a page the sentences and errors of the contracts its actions do not call", async () => {
    // A page that approves the Market calls Stamps only: a bundler keeps Stamps' catalog and the shared one.
    const { build } = await import("esbuild");
    const result = await build({
      stdin: { contents: 'export { approveMarket } from "./index.js";', resolveDir: __dirname, loader: "ts" },
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(code).to.contain("StampsSoulbound").and.to.contain("AccessControlUnauthorizedAccount");
    for (const other of ["ConsentNotLinked", "MarketOrderExpired", "PointsReceiptAlreadyCredited", "RewardsUnknownJourney"])
      expect(code, other).not.to.contain(other);
  });

  it("keeps SDK errors as they are and wraps anything else with its message", () => {
    const own = new PunchcardError("x", { hint: "y" });
    expect(toPunchcardError(own)).to.equal(own);
    const wrapped = toPunchcardError(new Error("socket closed"));
    expect(wrapped.shortMessage).to.equal("socket closed");
    expect(wrapped.message).to.equal("socket closed");
  });

  describe("decoding whatever viem build made the error", () => {
    type Viem = typeof rootViem;
    /** viem's ES module build, loaded by Node's own import (ts-node would turn `import()` into `require`): a second
     * build whose error classes are not the SDK's, as a consumer mixing module systems or copies of viem has. */
    const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Viem>;

    it("loads a second build whose classes instanceof does not recognise", async () => {
      const esm = await importEsm("viem");
      expect(esm.BaseError).not.to.equal(BaseError);
      expect(new esm.BaseError("x")).not.to.be.instanceOf(BaseError);
    });

    it("gives every revert the same sentence and class: reads, simulations, raw calls, gas estimates, sends; both builds; both transports", async () => {
      const [admin] = await ethers.getSigners();
      const registry = await ethers.deployContract("ConsentRegistry", [admin!.address, 0]);
      const address = (await registry.getAddress()) as Address;
      const account = admin!.address as Address;
      const expected = new ContractRevertError(
        "ConsentNotLinked",
        [account],
        undefined,
        consentRegistryErrorCatalog.sentences.ConsentNotLinked,
      );
      const rpc = await serveInProcessChain();
      try {
        const builds: Array<[string, Viem]> = [
          ["root (CommonJS)", rootViem],
          ["ES module", await importEsm("viem")],
        ];
        for (const [build, v] of builds) {
          const transports = [
            ["HTTP to a Hardhat node", v.http(rpc.url)],
            ["in-process", inProcessTransport()],
          ] as const;
          for (const [transportName, transport] of transports) {
            const client = v.createWalletClient({ account, chain: hardhat, transport }).extend(v.publicActions);
            const data = encodeFunctionData({ abi: consentRegistryAbi, functionName: "unlink" });
            const calls: Array<[string, () => Promise<unknown>]> = [
              [
                "readContract",
                () => client.readContract({ address, abi: consentRegistryAbi, functionName: "linkOf", args: [account] }),
              ],
              ["simulateContract", () => client.simulateContract({ address, abi: consentRegistryAbi, functionName: "unlink" })],
              ["call", () => client.call({ to: address, data })],
              ["estimateGas", () => client.estimateGas({ to: address, data })],
              ["sendTransaction", () => client.sendTransaction({ to: address, data, gas: 100_000n })],
            ];
            for (const [action, run] of calls) {
              const where = `${build} viem, ${transportName}, ${action}`;
              const thrown = await run().then(
                () => expect.fail(`${where}: expected a revert`),
                (error: unknown) => error,
              );
              const decoded = toPunchcardError(thrown);
              expect(decoded, `${where}: ${decoded.shortMessage}`).to.be.instanceOf(ContractRevertError);
              expect((decoded as ContractRevertError).errorName, where).to.equal("ConsentNotLinked");
              expect((decoded as ContractRevertError).args, where).to.deep.equal([account]);
              expect(decoded.shortMessage, where).to.equal(expected.shortMessage);
            }
          }
        }
      } finally {
        await rpc.close();
      }
    });

    it("reads a viem error of another build by its shape: short message, details, out of gas", async () => {
      const esm = await importEsm("viem");
      const plain = toPunchcardError(new esm.BaseError("The node is not reachable.", { details: "connect ECONNREFUSED" }));
      expect(plain.shortMessage).to.equal("The node is not reachable.");
      expect(plain.details).to.equal("connect ECONNREFUSED");
      const gas = toPunchcardError(new esm.BaseError("Transaction failed.", { details: "out of gas" }));
      expect(gas.shortMessage).to.equal("The transaction ran out of gas.");
    });
  });
});
