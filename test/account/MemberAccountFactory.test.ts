import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { zeroHash } from "viem";
import { passkeyCoordinates, passkeyId } from "../../sdk/src/account/passkeySignature";
import { deployAccountFixture } from "./fixture";
import { TestPasskey } from "./passkey";

describe("MemberAccountFactory", () => {
  it("creates the account at the address it predicted, once, with its event", async () => {
    const f = await loadFixture(deployAccountFixture);
    const { x, y } = passkeyCoordinates(f.passkey.publicKey);
    const predicted = await f.factory.predict(x, y, f.recoverer.address, zeroHash);
    expect(predicted).to.equal(f.member.address);
    expect(await ethers.provider.getCode(predicted)).to.equal("0x");
    expect(await f.factory.createAccount.staticCall(x, y, f.recoverer.address, zeroHash)).to.equal(predicted);
    await expect(f.factory.connect(f.stranger).createAccount(x, y, f.recoverer.address, zeroHash))
      .to.emit(f.factory, "MemberAccountCreated")
      .withArgs(predicted, passkeyId(f.passkey.publicKey), f.recoverer.address);
    const account = await ethers.getContractAt("MemberAccount", predicted);
    expect(await account.isPasskey(passkeyId(f.passkey.publicKey))).to.equal(true);

    // Again (a UserOp whose initCode raced another's): the same address, nothing created, no event.
    expect(await f.factory.createAccount.staticCall(x, y, f.recoverer.address, zeroHash)).to.equal(predicted);
    await expect(f.factory.createAccount(x, y, f.recoverer.address, zeroHash)).not.to.emit(f.factory, "MemberAccountCreated");
  });

  it("abuse: nobody can deploy, at a member's predicted address, an account with another key or recoverer", async () => {
    const f = await loadFixture(deployAccountFixture);
    const { x, y } = passkeyCoordinates(f.passkey.publicKey);
    const other = passkeyCoordinates(new TestPasskey("thief").publicKey);
    expect(await f.factory.predict(x, y, f.stranger.address, zeroHash)).not.to.equal(f.member.address);
    expect(await f.factory.predict(x, y, f.recoverer.address, ethers.toBeHex(1, 32))).not.to.equal(f.member.address);
    expect(await f.factory.predict(y, x, f.recoverer.address, zeroHash)).not.to.equal(f.member.address);
    // The stranger's own account lands elsewhere; the member's address stays theirs to deploy.
    await f.factory.connect(f.stranger).createAccount(other.x, other.y, f.stranger.address, zeroHash);
    expect(await ethers.provider.getCode(f.member.address)).to.equal("0x");
  });

  it("refuses a first key off the P-256 curve (no account anybody could sign for)", async () => {
    const f = await loadFixture(deployAccountFixture);
    const implementation = await ethers.getContractAt("MemberAccount", await f.factory.implementation());
    const one = ethers.toBeHex(1, 32);
    await expect(f.factory.createAccount(one, one, f.recoverer.address, zeroHash))
      .to.be.revertedWithCustomError(implementation, "MemberAccountInvalidPasskey")
      .withArgs(one, one);
  });
});
