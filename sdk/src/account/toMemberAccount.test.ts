import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeFunctionData, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { entryPoint08Abi, entryPoint08Address, toPackedUserOperation, type UserOperation } from "viem/account-abstraction";
import { deployAccountFixture } from "../../../test/account/fixture.js";
import { TestPasskey } from "../../../test/account/passkey.js";
import { chainNow } from "../../../test/account/userOps.js";
import { clientFor } from "../../../test/helpers/viem.js";
import {
  decodeMemberAccountCalls,
  encodeMemberAccountCalls,
  listingTypes,
  passkeyCoordinates,
  passkeyId,
  pointsAbi,
  predictMemberAccount,
  prepareSponsoredUserOperation,
  sponsorWithKey,
  toMemberAccount,
} from "../index.js";

// The SDK's member account on the in-process Hardhat network, signed by a software passkey that answers
// navigator.credentials.get as a phone does. There is no bundler yet: a test account sends the UserOps with
// EntryPoint.handleOps, as a bundler would after its own checks.

async function fixture() {
  const f = await deployAccountFixture();
  const { chainId } = await ethers.provider.getNetwork();
  const chainClock = { now: () => chainSeconds };
  let chainSeconds = await chainNow();
  const sponsor = sponsorWithKey({
    sponsor: f.sponsorKey,
    paymaster: f.paymasterAddress,
    chainId: Number(chainId),
    now: () => chainClock.now(),
  });
  const tick = async () => {
    chainSeconds = await chainNow();
  };
  const bundler = clientFor(f.bundler.address as Address);
  /** What a bundler does last: EntryPoint.handleOps, the bundler collecting the fees. */
  const bundle = async (userOperation: UserOperation<"0.8">) => {
    const hash = await bundler.writeContract({
      address: entryPoint08Address,
      abi: entryPoint08Abi,
      functionName: "handleOps",
      args: [[toPackedUserOperation(userOperation)], bundler.account.address],
    });
    return bundler.waitForTransactionReceipt({ hash });
  };
  return { ...f, sponsor, tick, bundle };
}

describe("sdk: member passkey accounts", () => {
  it("predictMemberAccount gives the factory's address, and toMemberAccount the same one, before deployment", async () => {
    const f = await loadFixture(fixture);
    const predicted = await predictMemberAccount(f.client, {
      factory: (await f.factory.getAddress()) as Address,
      publicKey: f.passkey.publicKey,
      recoverer: f.recoverer.address as Address,
    });
    const { x, y } = passkeyCoordinates(f.passkey.publicKey);
    expect(predicted).to.equal(await f.factory.predict(x, y, f.recoverer.address, zeroHash));
    expect(f.member.address).to.equal(predicted);
    expect(await ethers.provider.getCode(predicted)).to.equal("0x");
    const other = await predictMemberAccount(f.client, {
      factory: (await f.factory.getAddress()) as Address,
      publicKey: f.passkey.publicKey,
      recoverer: zeroAddress,
    });
    expect(other).not.to.equal(predicted);
  });

  it("a sponsored first UserOp deploys the account and redeems points; the member holds no coin", async () => {
    const f = await loadFixture(fixture);
    await f.points.connect(f.minter).reward(f.member.address, 50n, ethers.encodeBytes32String("sign-up"));
    await f.tick();
    const redeem = encodeFunctionData({
      abi: pointsAbi,
      functionName: "redeem",
      args: [20n, ethers.encodeBytes32String("coffee") as Hex],
    });
    const userOperation = await prepareSponsoredUserOperation(f.client, {
      account: f.member,
      calls: [{ to: (await f.points.getAddress()) as Address, data: redeem }],
      sponsor: f.sponsor,
    });
    expect(userOperation.factory).to.equal(await f.factory.getAddress());
    expect(userOperation.paymaster).to.equal(f.paymasterAddress);
    const signCount = f.passkey.signCount;
    const receipt = await f.bundle(userOperation);
    expect(receipt.status).to.equal("success");
    expect(f.passkey.signCount).to.equal(signCount);
    expect(await f.points.balanceOf(f.member.address)).to.equal(30n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);

    // The second UserOp carries no initCode.
    await f.tick();
    const next = await prepareSponsoredUserOperation(f.client, {
      account: f.member,
      calls: [{ to: (await f.points.getAddress()) as Address, data: redeem }],
      sponsor: f.sponsor,
    });
    expect(next.factory).to.equal(undefined);
    expect(next.nonce).to.equal(1n);
    await f.bundle(next);
    expect(await f.points.balanceOf(f.member.address)).to.equal(10n);
  });

  it("abuse: a passkey that is not the account's signs, and the EntryPoint refuses the UserOp (AA24)", async () => {
    const f = await loadFixture(fixture);
    const thief = new TestPasskey("thief");
    // The thief claims the member's address but signs with their own key.
    const impostor = await toMemberAccount({
      client: f.client,
      credential: thief.credential,
      factory: (await f.factory.getAddress()) as Address,
      recoverer: f.recoverer.address as Address,
      firstPublicKey: f.passkey.publicKey,
      getFn: thief.getFn,
      rpId: "wallet.punchcard.test",
    });
    expect(impostor.address).to.equal(f.member.address);
    await f.tick();
    const userOperation = await prepareSponsoredUserOperation(f.client, {
      account: impostor,
      calls: [{ to: f.member.address, data: "0x" }],
      sponsor: f.sponsor,
    });
    await expect(f.bundle(userOperation)).to.be.rejectedWith("AA24 signature error");
  });

  it("signs typed data and messages the ERC-7739 way: valid for this app (ERC-1271), refused for another", async () => {
    const f = await loadFixture(fixture);
    await f.tick();
    await f.bundle(
      await prepareSponsoredUserOperation(f.client, {
        account: f.member,
        calls: [{ to: f.member.address, data: "0x" }],
        sponsor: f.sponsor,
      }),
    );
    const domain = {
      name: "Punchcard Market",
      version: "1",
      chainId: 31337,
      verifyingContract: (await f.market.getAddress()) as Address,
    };
    const message = {
      seller: f.member.address,
      tokenId: 1_000_000_001n,
      price: 10n,
      minSellerAmount: 0n,
      currency: (await f.points.getAddress()) as Address,
      expiry: 2n ** 40n,
      nonce: 0n,
      tokenNonce: 0n,
      salt: zeroHash,
    };
    const signature = await f.member.signTypedData({ domain, types: listingTypes, primaryType: "Listing", message });
    const typed = { address: f.member.address, domain, types: listingTypes, primaryType: "Listing", message, signature } as const;
    expect(await f.client.verifyTypedData(typed)).to.equal(true);
    expect(
      await f.client.verifyTypedData({ ...typed, domain: { ...domain, verifyingContract: f.stranger.address as Address } }),
    ).to.equal(false);

    const hello = await f.member.signMessage({ message: "hello" });
    expect(await f.client.verifyMessage({ address: f.member.address, message: "hello", signature: hello })).to.equal(true);
    expect(await f.client.verifyMessage({ address: f.member.address, message: "hell0", signature: hello })).to.equal(false);
  });

  it("encodes calls as one ERC-7821 batch and decodes them back", () => {
    const calls = [
      { to: "0x00000000000000000000000000000000000000aa" as Address, value: 0n, data: "0x1234" as Hex },
      { to: "0x00000000000000000000000000000000000000bb" as Address, value: 0n, data: "0x" as Hex },
    ];
    expect(decodeMemberAccountCalls(encodeMemberAccountCalls(calls))).to.deep.equal(calls);
    expect(() =>
      decodeMemberAccountCalls(encodeFunctionData({ abi: pointsAbi, functionName: "redeem", args: [1n, zeroHash] })),
    ).to.throw();
  });

  it("reads a passkey's public key with or without the 0x04 prefix, and refuses anything else", () => {
    const passkey = new TestPasskey("any");
    const prefixed = `0x04${passkey.publicKey.slice(2)}` as Hex;
    expect(passkeyCoordinates(prefixed)).to.deep.equal(passkeyCoordinates(passkey.publicKey));
    expect(passkeyId(prefixed)).to.equal(passkeyId(passkey.publicKey));
    expect(() => passkeyCoordinates("0x1234")).to.throw("64 or 65 bytes");
  });
});
