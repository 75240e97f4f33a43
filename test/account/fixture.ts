import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { TypedDataField } from "ethers";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { zeroAddress, type Address, type Hex } from "viem";
import { voucherTypes, type Program, type VoucherMessage } from "@punchcard/sdk";
import { toMemberAccount } from "../../sdk/src/account/toMemberAccount";
import { deployMarketFixture } from "../fixtures/market";
import { ADMIN_DELAY } from "../fixtures/tokens";
import { clientFor } from "../helpers/viem";
import { installEntryPoint } from "./entryPoint";
import { TestPasskey, TEST_RP_ID } from "./passkey";

/** What the brand puts in its paymaster's EntryPoint deposit in the fixture. */
export const PAYMASTER_DEPOSIT = ethers.parseEther("10");
export const WELCOME = ethers.encodeBytes32String("welcome");

/**
 * The Market fixture's program, plus: the EntryPoint v0.8 at its canonical address, the MemberAccountFactory, the
 * brand's BrandPaymaster (its sponsor a fresh key the program server holds, 10 ETH deposited), Rewards with a
 * "welcome" journey (one Coffee Club stamp and 100 points, once per member), and a member with one passkey whose
 * account is predicted but not deployed. `bundler` sends `handleOps`; `recoverer` is the brand's recovery key.
 */
export async function deployAccountFixture() {
  const program = await deployMarketFixture();
  const { admin, minter, stamps, points, series, others } = program;
  const [bundler, recoverer, stranger] = others;
  if (!bundler || !recoverer || !stranger) throw new Error("the Hardhat network needs at least 12 accounts");
  await installEntryPoint();

  const factory = await ethers.deployContract("MemberAccountFactory");
  const sponsorKey = privateKeyToAccount(generatePrivateKey());
  const paymaster = await ethers.deployContract("BrandPaymaster", [sponsorKey.address, admin.address, 0]);
  await paymaster.deposit({ value: PAYMASTER_DEPOSIT });

  const consent = await ethers.deployContract("ConsentRegistry", [admin.address, ADMIN_DELAY]);
  const rewards = await ethers.deployContract("Rewards", [
    await stamps.getAddress(),
    await points.getAddress(),
    await consent.getAddress(),
    admin.address,
    ADMIN_DELAY,
  ]);
  const rewardsAddress = await rewards.getAddress();
  await stamps.connect(admin).grantRole(await stamps.MINTER_ROLE(), rewardsAddress);
  await points.connect(admin).grantRole(await points.MINTER_ROLE(), rewardsAddress);
  await points.connect(admin).setOperator(rewardsAddress, true);
  await rewards.connect(admin).grantRole(await rewards.ISSUER_ROLE(), minter.address);
  await rewards.connect(admin).setJourney(WELCOME, {
    seriesId: series.coffeeClub,
    maxStamps: 1,
    maxPoints: 100n,
    start: 0n,
    end: 0n,
    limitPerMember: 1,
    referral: false,
    active: true,
  });
  const rewardsDomain = {
    name: "Punchcard Rewards",
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: rewardsAddress,
  };
  let vouchers = 0;
  /** The brand's voucher for the welcome journey, for `member`. */
  const welcomeVoucher = async (member: string, fields: Partial<VoucherMessage> = {}) => {
    const voucher: VoucherMessage = {
      member: member as Hex,
      journeyId: WELCOME as Hex,
      stamps: 1n,
      points: 100n,
      expiry: BigInt(await time.latest()) + 3_600n,
      voucherId: ethers.zeroPadValue(ethers.toBeHex(++vouchers), 32) as Hex,
      referee: zeroAddress,
      ...fields,
    };
    const types: Record<string, TypedDataField[]> = { Voucher: [...voucherTypes.Voucher] };
    return { voucher, signature: await minter.signTypedData(rewardsDomain, types, voucher) };
  };

  const factoryAddress = (await factory.getAddress()) as Address;
  const client = clientFor(bundler.address as Address);
  /** The smart account of `passkey` (the SDK's `toMemberAccount`), with the fixture's recoverer. */
  const memberAccount = (passkey: TestPasskey, options: { firstPublicKey?: Hex; recoverer?: Address } = {}) =>
    toMemberAccount({
      client,
      credential: passkey.credential,
      factory: factoryAddress,
      recoverer: options.recoverer ?? (recoverer.address as Address),
      firstPublicKey: options.firstPublicKey,
      getFn: passkey.getFn,
      rpId: TEST_RP_ID,
    });
  const passkey = new TestPasskey("phone");
  const member = await memberAccount(passkey);

  return {
    ...program,
    bundler,
    recoverer,
    stranger,
    factory,
    paymaster,
    paymasterAddress: (await paymaster.getAddress()) as Address,
    sponsorKey,
    consent,
    rewards,
    welcomeVoucher,
    client,
    memberAccount,
    passkey,
    member,
  };
}

export type AccountFixture = Awaited<ReturnType<typeof deployAccountFixture>>;

/**
 * The SDK's `Program` of an account fixture's contracts (what a program server or a wallet is configured with), for
 * the tests that run members' UserOps through the SDK and the program server.
 */
export async function accountFixtureProgram(f: AccountFixture): Promise<Program> {
  const address = async (contract: { getAddress(): Promise<string> }) => (await contract.getAddress()) as Address;
  return {
    chainId: Number((await ethers.provider.getNetwork()).chainId),
    deployBlock: 0n,
    stamps: await address(f.stamps),
    points: await address(f.points),
    market: await address(f.market),
    consent: await address(f.consent),
    rewards: await address(f.rewards),
  };
}
