import { expect } from "chai";
import type { Abi } from "viem";
import { BaseError, ContractFunctionRevertedError, encodeErrorResult } from "viem";
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
    const missing: string[] = [];
    for (const abi of [stampsAbi, pointsAbi, marketAbi, consentRegistryAbi] as readonly Abi[]) {
      for (const item of abi) {
        if (item.type === "error" && !internalErrors.has(item.name) && !hasExplanation(item.name)) missing.push(item.name);
      }
    }
    expect([...new Set(missing)]).to.deep.equal([]);
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

  it("keeps SDK errors as they are and wraps anything else with its message", () => {
    const own = new PunchcardError("x", { hint: "y" });
    expect(toPunchcardError(own)).to.equal(own);
    const wrapped = toPunchcardError(new Error("socket closed"));
    expect(wrapped.shortMessage).to.equal("socket closed");
    expect(wrapped.message).to.equal("socket closed");
  });
});
