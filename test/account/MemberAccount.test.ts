import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { entryPoint08Address } from "viem/account-abstraction";
import { encodeFunctionData, hashTypedData, zeroHash, type Address, type Hex } from "viem";
import { listingTypes } from "@punchcard/sdk";
import { memberAccountAbi } from "../../sdk/src/generated/abis";
import { encodePasskeySignature, passkeyCoordinates, passkeyId } from "../../sdk/src/account/passkeySignature";
import { deployAccountFixture, type AccountFixture } from "./fixture";
import { TestPasskey } from "./passkey";
import { handleOps, sponsoredUserOp } from "./userOps";

const THREE_DAYS = 3n * 24n * 60n * 60n;
const OFF_CURVE = { x: ethers.toBeHex(1, 32), y: ethers.toBeHex(1, 32) };
const ERC1271_MAGIC = "0x1626ba7e";
const ERC1271_REFUSED = "0xffffffff";

/** The fixture with the member's account deployed by the factory (no UserOp), and the EntryPoint as a signer. */
async function deployedFixture() {
  const f = await deployAccountFixture();
  const { x, y } = passkeyCoordinates(f.passkey.publicKey);
  await f.factory.createAccount(x, y, f.recoverer.address, zeroHash);
  const account = await ethers.getContractAt("MemberAccount", f.member.address);
  await setBalance(entryPoint08Address, ethers.parseEther("1"));
  const entryPoint = await ethers.getImpersonatedSigner(entryPoint08Address);
  const second = new TestPasskey("laptop");
  return { ...f, account, entryPoint, second };
}

type Deployed = Awaited<ReturnType<typeof deployedFixture>>;

const coords = (passkey: TestPasskey) => passkeyCoordinates(passkey.publicKey);

/** Runs `calls` as one sponsored UserOp of the fixture's member (signed by `signer`'s account view). */
async function asMember(f: AccountFixture, calls: { to: Address; data: Hex }[], signer = f.member) {
  const userOp = await sponsoredUserOp(signer, calls, { sponsor: f.sponsorKey, paymaster: f.paymasterAddress });
  return handleOps(f.bundler, [userOp]);
}

describe("MemberAccount", () => {
  describe("initialize", () => {
    it("sets the first passkey and the recoverer, with their events, in the factory's transaction", async () => {
      const f = await loadFixture(deployAccountFixture);
      const { x, y } = coords(f.passkey);
      const keyId = passkeyId(f.passkey.publicKey);
      const tx = f.factory.createAccount(x, y, f.recoverer.address, zeroHash);
      const account = await ethers.getContractAt("MemberAccount", f.member.address);
      await expect(tx).to.emit(account, "PasskeyAdded").withArgs(keyId, x, y);
      await expect(tx).to.emit(account, "RecovererSet").withArgs(f.recoverer.address);
      expect(await account.isPasskey(keyId)).to.equal(true);
      expect(await account.passkeyCount()).to.equal(1n);
      expect(await account.recoverer()).to.equal(f.recoverer.address);
      expect(await account.entryPoint()).to.equal(entryPoint08Address);
      expect(await account.RECOVERY_DELAY()).to.equal(THREE_DAYS);
    });

    it("abuse: nobody initializes a deployed account again (to swap in their own key)", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      await expect(f.account.connect(f.stranger).initialize(x, y, f.stranger.address)).to.be.revertedWithCustomError(
        f.account,
        "MemberAccountAlreadyInitialized",
      );
    });

    it("abuse: the implementation itself can never be initialized", async () => {
      const f = await loadFixture(deployAccountFixture);
      const implementation = await ethers.getContractAt("MemberAccount", await f.factory.implementation());
      const { x, y } = coords(f.passkey);
      await expect(implementation.initialize(x, y, f.stranger.address)).to.be.revertedWithCustomError(
        implementation,
        "MemberAccountAlreadyInitialized",
      );
    });
  });

  describe("the first passkey, kept in the clone's code", () => {
    it("is removed like any other (it signs nothing from then on), and can be added again", async () => {
      const f = await loadFixture(deployedFixture);
      const first = passkeyId(f.passkey.publicKey);
      const { x, y } = coords(f.second);
      await f.account.connect(f.entryPoint).addPasskey(x, y);
      await expect(f.account.connect(f.entryPoint).removePasskey(first)).to.emit(f.account, "PasskeyRemoved").withArgs(first);
      expect(await f.account.isPasskey(first)).to.equal(false);
      expect(await f.account.passkeyCount()).to.equal(1n);
      await expect(f.account.connect(f.entryPoint).removePasskey(first))
        .to.be.revertedWithCustomError(f.account, "MemberAccountUnknownPasskey")
        .withArgs(first);
      // Abuse: the removed first passkey signs a UserOp.
      const entryPoint = await ethers.getContractAt("IEntryPoint", entryPoint08Address);
      await expect(asMember(f, [{ to: f.member.address, data: "0x" }]))
        .to.be.revertedWithCustomError(entryPoint, "FailedOp")
        .withArgs(0, "AA24 signature error");
      const back = coords(f.passkey);
      await expect(f.account.connect(f.entryPoint).addPasskey(back.x, back.y))
        .to.emit(f.account, "PasskeyAdded")
        .withArgs(first, back.x, back.y);
      expect(await f.account.isPasskey(first)).to.equal(true);
      expect(await f.account.passkeyCount()).to.equal(2n);
      await expect(f.account.connect(f.entryPoint).addPasskey(back.x, back.y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountPasskeyExists")
        .withArgs(first);
    });

    it("abuse: a clone made by hand for one key cannot be initialized with another", async () => {
      const f = await loadFixture(deployAccountFixture);
      const implementation = (await f.factory.implementation()).slice(2).toLowerCase();
      const args = passkeyId(f.passkey.publicKey).slice(2);
      // OpenZeppelin's creation code of an EIP-1167 clone with immutable arguments (45 + 32 bytes of code).
      const creation = `0x61004d3d81600a3d39f3363d3d373d3d3d363d73${implementation}5af43d82803e903d91602b57fd5bf3${args}`;
      const receipt = await (await f.stranger.sendTransaction({ data: creation })).wait();
      const clone = await ethers.getContractAt("MemberAccount", receipt!.contractAddress!);
      const other = coords(new TestPasskey("thief"));
      await expect(clone.initialize(other.x, other.y, f.stranger.address))
        .to.be.revertedWithCustomError(clone, "MemberAccountInvalidPasskey")
        .withArgs(other.x, other.y);
      const { x, y } = coords(f.passkey);
      await expect(clone.initialize(x, y, f.stranger.address)).to.emit(clone, "PasskeyAdded");
    });
  });

  describe("addPasskey", () => {
    it("adds the member's second device, which can then sign a UserOp", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      const keyId = passkeyId(f.second.publicKey);
      const data = encodeFunctionData({ abi: memberAccountAbi, functionName: "addPasskey", args: [x, y] });
      await expect(asMember(f, [{ to: f.member.address, data }]))
        .to.emit(f.account, "PasskeyAdded")
        .withArgs(keyId, x, y);
      expect(await f.account.isPasskey(keyId)).to.equal(true);
      expect(await f.account.passkeyCount()).to.equal(2n);

      const laptop = await f.memberAccount(f.second, { firstPublicKey: f.passkey.publicKey });
      expect(laptop.address).to.equal(f.member.address);
      const refill = encodeFunctionData({
        abi: memberAccountAbi,
        functionName: "setRecoverer",
        args: [f.stranger.address as Address],
      });
      await expect(asMember(f, [{ to: f.member.address, data: refill }], laptop))
        .to.emit(f.account, "RecovererSet")
        .withArgs(f.stranger.address);
    });

    it("is open to the EntryPoint and the account itself, no one else", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      await expect(f.account.connect(f.stranger).addPasskey(x, y))
        .to.be.revertedWithCustomError(f.account, "AccountUnauthorized")
        .withArgs(f.stranger.address);
      await expect(f.account.connect(f.recoverer).addPasskey(x, y))
        .to.be.revertedWithCustomError(f.account, "AccountUnauthorized")
        .withArgs(f.recoverer.address);
      await expect(f.account.connect(f.entryPoint).addPasskey(x, y)).to.emit(f.account, "PasskeyAdded");
    });

    it("refuses a key it already has and a point off the P-256 curve", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.passkey);
      await expect(f.account.connect(f.entryPoint).addPasskey(x, y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountPasskeyExists")
        .withArgs(passkeyId(f.passkey.publicKey));
      await expect(f.account.connect(f.entryPoint).addPasskey(OFF_CURVE.x, OFF_CURVE.y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountInvalidPasskey")
        .withArgs(OFF_CURVE.x, OFF_CURVE.y);
    });
  });

  describe("removePasskey", () => {
    it("removes a device; a UserOp its key signs is refused from then on", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      await f.account.connect(f.entryPoint).addPasskey(x, y);
      const laptop = await f.memberAccount(f.second, { firstPublicKey: f.passkey.publicKey });
      const keyId = passkeyId(f.second.publicKey);
      const data = encodeFunctionData({ abi: memberAccountAbi, functionName: "removePasskey", args: [keyId] });
      await expect(asMember(f, [{ to: f.member.address, data }]))
        .to.emit(f.account, "PasskeyRemoved")
        .withArgs(keyId);
      expect(await f.account.isPasskey(keyId)).to.equal(false);
      expect(await f.account.passkeyCount()).to.equal(1n);

      // Abuse: the lost laptop's key signs a UserOp after its removal.
      const setRecoverer = encodeFunctionData({
        abi: memberAccountAbi,
        functionName: "setRecoverer",
        args: [f.stranger.address as Address],
      });
      const stale = await sponsoredUserOp(laptop, [{ to: f.member.address, data: setRecoverer }], {
        sponsor: f.sponsorKey,
        paymaster: f.paymasterAddress,
      });
      const entryPoint = await ethers.getContractAt("IEntryPoint", entryPoint08Address);
      await expect(handleOps(f.bundler, [stale]))
        .to.be.revertedWithCustomError(entryPoint, "FailedOp")
        .withArgs(0, "AA24 signature error");
    });

    it("never removes the last passkey, nor one it does not have", async () => {
      const f = await loadFixture(deployedFixture);
      const only = passkeyId(f.passkey.publicKey);
      await expect(f.account.connect(f.entryPoint).removePasskey(only))
        .to.be.revertedWithCustomError(f.account, "MemberAccountLastPasskey")
        .withArgs(only);
      const unknown = passkeyId(f.second.publicKey);
      await expect(f.account.connect(f.entryPoint).removePasskey(unknown))
        .to.be.revertedWithCustomError(f.account, "MemberAccountUnknownPasskey")
        .withArgs(unknown);
    });

    it("is open to the EntryPoint and the account itself, no one else", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      await f.account.connect(f.entryPoint).addPasskey(x, y);
      await expect(f.account.connect(f.recoverer).removePasskey(passkeyId(f.passkey.publicKey)))
        .to.be.revertedWithCustomError(f.account, "AccountUnauthorized")
        .withArgs(f.recoverer.address);
    });
  });

  describe("recovery", () => {
    async function proposed() {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      await f.account.connect(f.recoverer).proposeRecovery(x, y);
      return f;
    }

    it("full path: the recoverer proposes a new passkey, it works only after 3 days, then it signs", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      const keyId = passkeyId(f.second.publicKey);
      const tx = f.account.connect(f.recoverer).proposeRecovery(x, y);
      const readyAt = BigInt(await time.latest()) + 1n + THREE_DAYS;
      await expect(tx).to.emit(f.account, "RecoveryProposed").withArgs(1n, keyId, x, y, readyAt);
      expect(await f.account.pendingRecovery()).to.deep.equal([1n, keyId, readyAt]);
      expect(await f.account.isPasskey(keyId)).to.equal(false);

      await time.increaseTo(readyAt);
      // Anyone may execute once the delay passed: here the member's new phone's page, through a stranger's key.
      await expect(f.account.connect(f.stranger).executeRecovery(1n))
        .to.emit(f.account, "RecoveryExecuted")
        .withArgs(1n, keyId)
        .and.to.emit(f.account, "PasskeyAdded")
        .withArgs(keyId, x, y);
      expect(await f.account.isPasskey(keyId)).to.equal(true);
      expect(await f.account.pendingRecovery()).to.deep.equal([0n, zeroHash, 0n]);

      const recovered = await f.memberAccount(f.second, { firstPublicKey: f.passkey.publicKey });
      const data = encodeFunctionData({
        abi: memberAccountAbi,
        functionName: "removePasskey",
        args: [passkeyId(f.passkey.publicKey)],
      });
      await expect(asMember(f, [{ to: f.member.address, data }], recovered)).to.emit(f.account, "PasskeyRemoved");
    });

    it("abuse: executing one second before the delay ends", async () => {
      const f = await proposed();
      const [, , readyAt] = await f.account.pendingRecovery();
      await time.setNextBlockTimestamp(readyAt - 1n);
      await expect(f.account.connect(f.recoverer).executeRecovery(1n))
        .to.be.revertedWithCustomError(f.account, "MemberAccountRecoveryNotReady")
        .withArgs(1n, readyAt);
    });

    it("any existing passkey cancels it (a UserOp), and a cancelled proposal never executes", async () => {
      const f = await proposed();
      const data = encodeFunctionData({ abi: memberAccountAbi, functionName: "cancelRecovery" });
      await expect(asMember(f, [{ to: f.member.address, data }]))
        .to.emit(f.account, "RecoveryCancelled")
        .withArgs(1n);
      await time.increase(THREE_DAYS + 1n);
      await expect(f.account.executeRecovery(1n))
        .to.be.revertedWithCustomError(f.account, "MemberAccountNoRecovery")
        .withArgs(1n);
    });

    it("abuse: a stranger or the recoverer itself cannot cancel (only the member's passkeys can)", async () => {
      const f = await proposed();
      for (const who of [f.stranger, f.recoverer]) {
        await expect(f.account.connect(who).cancelRecovery())
          .to.be.revertedWithCustomError(f.account, "AccountUnauthorized")
          .withArgs(who.address);
      }
    });

    it("cancelling with nothing pending says so", async () => {
      const f = await loadFixture(deployedFixture);
      await expect(f.account.connect(f.entryPoint).cancelRecovery())
        .to.be.revertedWithCustomError(f.account, "MemberAccountNoRecovery")
        .withArgs(0n);
    });

    it("abuse: recovery by someone who is not the recoverer, and by anyone when the member set none", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      await expect(f.account.connect(f.stranger).proposeRecovery(x, y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountNotRecoverer")
        .withArgs(f.stranger.address, f.recoverer.address);
      await f.account.connect(f.entryPoint).setRecoverer(ethers.ZeroAddress);
      await expect(f.account.connect(f.recoverer).proposeRecovery(x, y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountNotRecoverer")
        .withArgs(f.recoverer.address, ethers.ZeroAddress);
      const zero = await ethers.getImpersonatedSigner(ethers.ZeroAddress);
      await setBalance(ethers.ZeroAddress, ethers.parseEther("1"));
      await expect(f.account.connect(zero).proposeRecovery(x, y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountNotRecoverer")
        .withArgs(ethers.ZeroAddress, ethers.ZeroAddress);
    });

    it("abuse: a replayed proposal (executed, or an old number after a new proposal) does nothing", async () => {
      const f = await proposed();
      await time.increase(THREE_DAYS);
      await f.account.executeRecovery(1n);
      await expect(f.account.executeRecovery(1n))
        .to.be.revertedWithCustomError(f.account, "MemberAccountNoRecovery")
        .withArgs(1n);

      const third = new TestPasskey("tablet");
      const { x, y } = coords(third);
      await expect(f.account.connect(f.recoverer).proposeRecovery(x, y))
        .to.emit(f.account, "RecoveryProposed")
        .withArgs(2n, passkeyId(third.publicKey), x, y, anyValue);
      await time.increase(THREE_DAYS);
      await expect(f.account.executeRecovery(1n))
        .to.be.revertedWithCustomError(f.account, "MemberAccountNoRecovery")
        .withArgs(1n);
      await expect(f.account.executeRecovery(0n))
        .to.be.revertedWithCustomError(f.account, "MemberAccountNoRecovery")
        .withArgs(0n);
      await expect(f.account.executeRecovery(2n)).to.emit(f.account, "RecoveryExecuted").withArgs(2n, passkeyId(third.publicKey));
    });

    it("one proposal at a time; a key the account has or off the curve is refused", async () => {
      const f = await proposed();
      const third = coords(new TestPasskey("tablet"));
      await expect(f.account.connect(f.recoverer).proposeRecovery(third.x, third.y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountRecoveryPending")
        .withArgs(1n);
      await f.account.connect(f.entryPoint).cancelRecovery();
      const own = coords(f.passkey);
      await expect(f.account.connect(f.recoverer).proposeRecovery(own.x, own.y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountPasskeyExists")
        .withArgs(passkeyId(f.passkey.publicKey));
      await expect(f.account.connect(f.recoverer).proposeRecovery(OFF_CURVE.x, OFF_CURVE.y))
        .to.be.revertedWithCustomError(f.account, "MemberAccountInvalidPasskey")
        .withArgs(OFF_CURVE.x, OFF_CURVE.y);
    });

    it("a key the member added meanwhile makes the proposal fail at execution", async () => {
      const f = await proposed();
      const { x, y } = coords(f.second);
      await f.account.connect(f.entryPoint).addPasskey(x, y);
      await time.increase(THREE_DAYS);
      await expect(f.account.executeRecovery(1n))
        .to.be.revertedWithCustomError(f.account, "MemberAccountPasskeyExists")
        .withArgs(passkeyId(f.second.publicKey));
    });
  });

  describe("setRecoverer", () => {
    it("changes the recoverer and cancels a pending proposal of the old one", async () => {
      const f = await loadFixture(deployedFixture);
      const { x, y } = coords(f.second);
      await f.account.connect(f.recoverer).proposeRecovery(x, y);
      const tx = f.account.connect(f.entryPoint).setRecoverer(f.stranger.address);
      await expect(tx).to.emit(f.account, "RecoveryCancelled").withArgs(1n);
      await expect(tx).to.emit(f.account, "RecovererSet").withArgs(f.stranger.address);
      expect(await f.account.recoverer()).to.equal(f.stranger.address);
      expect((await f.account.pendingRecovery())[0]).to.equal(0n);
    });

    it("abuse: the recoverer cannot appoint itself or anyone (only the member's passkeys can)", async () => {
      const f = await loadFixture(deployedFixture);
      await expect(f.account.connect(f.recoverer).setRecoverer(f.stranger.address))
        .to.be.revertedWithCustomError(f.account, "AccountUnauthorized")
        .withArgs(f.recoverer.address);
    });
  });

  describe("execute (ERC-7821 batch)", () => {
    it("abuse: nobody but the EntryPoint and the account runs calls as the account", async () => {
      const f = await loadFixture(deployedFixture);
      const mode = "0x0100000000000000000000000000000000000000000000000000000000000000";
      await expect(
        f.account
          .connect(f.stranger)
          .execute(mode, ethers.AbiCoder.defaultAbiCoder().encode(["tuple(address,uint256,bytes)[]"], [[]])),
      )
        .to.be.revertedWithCustomError(f.account, "AccountUnauthorized")
        .withArgs(f.stranger.address);
    });
  });

  describe("isValidSignature (ERC-1271 through ERC-7739)", () => {
    async function listingSigned(f: Deployed) {
      const { chainId } = await ethers.provider.getNetwork();
      const domain = {
        name: "Punchcard Market",
        version: "1",
        chainId: Number(chainId),
        verifyingContract: (await f.market.getAddress()) as Address,
      };
      const message = {
        seller: f.member.address,
        tokenId: 1_000_000_001n,
        price: 100n,
        minSellerAmount: 0n,
        currency: (await f.points.getAddress()) as Address,
        expiry: 2n ** 40n,
        nonce: 0n,
        tokenNonce: 0n,
        salt: zeroHash,
      };
      const signature = await f.member.signTypedData({ domain, types: listingTypes, primaryType: "Listing", message });
      return { domain, message, signature };
    }

    it("answers the ERC-1271 magic value for the member's EIP-712 signature, in the app it was made for", async () => {
      const f = await loadFixture(deployedFixture);
      const { domain, message, signature } = await listingSigned(f);
      const digest = hashTypedData({ domain, types: listingTypes, primaryType: "Listing", message });
      expect(await f.account.isValidSignature(digest, signature)).to.equal(ERC1271_MAGIC);
    });

    it("abuse: the same signature replayed in another app, or for the passkey's other account, is refused", async () => {
      const f = await loadFixture(deployedFixture);
      const { domain, message, signature } = await listingSigned(f);
      const otherApp = hashTypedData({
        domain: { ...domain, verifyingContract: f.stranger.address as Address },
        types: listingTypes,
        primaryType: "Listing",
        message,
      });
      expect(await f.account.isValidSignature(otherApp, signature)).to.equal(ERC1271_REFUSED);

      const { x, y } = coords(f.passkey);
      const salt = ethers.toBeHex(1, 32);
      await f.factory.createAccount(x, y, f.recoverer.address, salt);
      const twin = await ethers.getContractAt("MemberAccount", await f.factory.predict(x, y, f.recoverer.address, salt));
      const digest = hashTypedData({ domain, types: listingTypes, primaryType: "Listing", message });
      expect(await twin.isValidSignature(digest, signature)).to.equal(ERC1271_REFUSED);
      // A raw passkey signature over the app's digest (no ERC-7739 wrapping) is refused too.
      const raw = encodePasskeySignature({
        publicKey: f.passkey.publicKey,
        assertion: await f.member.owner.sign({ hash: digest }),
      });
      expect(await f.account.isValidSignature(digest, raw)).to.equal(ERC1271_REFUSED);
    });
  });
});
