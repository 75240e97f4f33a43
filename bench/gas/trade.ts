/**
 * A trade of one stamp with a 5 % royalty and a 2.5 % fee, for the native coin and for an ERC-20: our Market (under
 * the market-only and the open policy) beside Seaport 1.6's cheapest fill, `fulfillBasicOrder`, with the base cost
 * included; and the same trades measured the way Limit Break's Payment Processor benchmark does: call gas (no base
 * cost, no calldata), warm (buyer and seller have traded before) and cold (each one's first trade).
 */
import hre from "hardhat";
import { Wallet, type Signer } from "ethers";
import {
  createWalletClient,
  custom,
  keccak256,
  numberToHex,
  parseEther,
  stringToHex,
  zeroAddress,
  type Account,
  type AccessList,
  type Address,
  type Chain,
  type Hash,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import {
  EDITIONS_PER_SERIES,
  listingTypes,
  marketAbi,
  marketDomain,
  stampsAbi,
  transferPolicyValue,
  type Listing,
} from "@punchcard/sdk";
import {
  ERC20_TRANSFER_LOG,
  ERC721_TRANSFER_LOG,
  SELECTOR,
  concatBytes,
  floorOf,
  hexBytes,
  minimalBytes,
  type Floor,
} from "../lib/floor";
import { accessListOf, callGasOf, deployPeer, gasOf, profileOf, sentBy, type Peer } from "../lib/gasRun";
import { FEE_BPS, ROYALTY_BPS, type GasBench } from "./program";

/** Published by Limit Break for their method (warm, a marketplace fee and a royalty): the anchors of the target. */
export const PAYMENT_PROCESSOR_ANCHORS = { "Payment Processor v1": 48_697, "Seaport 1.5": 55_929 } as const;

/** One trader, as each venue drives it: viem for our Market, ethers for Seaport. */
interface Party {
  address: Address;
  wallet: WalletClient<Transport, Chain, Account>;
  signer: Signer;
}

const ERC721_ITEM = 2;
// Seaport's EIP-712 types, from seaport-types/src/lib/ConsiderationStructs.sol and ConsiderationBase.sol.
const seaportOrderTypes = {
  OrderComponents: [
    { name: "offerer", type: "address" },
    { name: "zone", type: "address" },
    { name: "offer", type: "OfferItem[]" },
    { name: "consideration", type: "ConsiderationItem[]" },
    { name: "orderType", type: "uint8" },
    { name: "startTime", type: "uint256" },
    { name: "endTime", type: "uint256" },
    { name: "zoneHash", type: "bytes32" },
    { name: "salt", type: "uint256" },
    { name: "conduitKey", type: "bytes32" },
    { name: "counter", type: "uint256" },
  ],
  OfferItem: [
    { name: "itemType", type: "uint8" },
    { name: "token", type: "address" },
    { name: "identifierOrCriteria", type: "uint256" },
    { name: "startAmount", type: "uint256" },
    { name: "endAmount", type: "uint256" },
  ],
  ConsiderationItem: [
    { name: "itemType", type: "uint8" },
    { name: "token", type: "address" },
    { name: "identifierOrCriteria", type: "uint256" },
    { name: "startAmount", type: "uint256" },
    { name: "endAmount", type: "uint256" },
    { name: "recipient", type: "address" },
  ],
};

/** Fills a signed order; `accessList` pre-warms what it touches (EIP-2930). */
type Fill = (accessList?: AccessList) => Promise<Hash>;

const split = (price: bigint) => {
  const royalty = (price * ROYALTY_BPS) / 10_000n;
  const fee = (price * FEE_BPS) / 10_000n;
  return { royalty, fee, seller: price - royalty - fee };
};

export async function benchTrade(
  { chain, cast, program, add, log }: GasBench,
  usd: Peer,
): Promise<{ seaportRuntimeBytes: number }> {
  log("deploying Seaport 1.6 and its ConduitController");
  const conduitController = await deployPeer("ConduitController", [], cast.admin);
  const seaport = await deployPeer("Seaport", [await conduitController.getAddress()], cast.admin);
  const seaportAddress = (await seaport.getAddress()) as Address;
  const seaportRuntimeBytes = ((await hre.ethers.provider.getCode(seaportAddress)).length - 2) / 2;
  log(`Seaport runtime: ${seaportRuntimeBytes} bytes`);
  const usdAddress = (await usd.getAddress()) as Address;
  const admin = chain.wallet(cast.admin);
  const minter = chain.wallet(cast.minter);
  const stamps = { address: program.stamps, abi: stampsAbi } as const;
  const market = { address: program.market, abi: marketAbi } as const;

  const unlocked = async (address: Address): Promise<Party> => ({
    address,
    wallet: chain.wallet(address),
    signer: await hre.ethers.getSigner(address),
  });
  // Fresh traders need keys (they sign orders): derived from a counter, so every run uses the same ones.
  let keyCounter = 0;
  const freshParty = async (): Promise<Party> => {
    const key = keccak256(stringToHex(`punchcard bench trader ${++keyCounter}`));
    const account = privateKeyToAccount(key);
    await hre.network.provider.send("hardhat_setBalance", [account.address, numberToHex(parseEther("100"))]);
    return {
      address: account.address,
      wallet: createWalletClient({ chain: hardhat, transport: custom(hre.network.provider), account }),
      signer: new Wallet(key, hre.ethers.provider),
    };
  };
  /** A trader who can pay and sell on both venues: dollars, and both markets approved for stamps and dollars. */
  const equip = async (party: Party) => {
    await usd.mint(party.address, 1_000_000n * 10n ** 6n);
    await gasOf(
      chain,
      () => party.wallet.writeContract({ ...stamps, functionName: "setApprovalForAll", args: [program.market, true] }),
      sentBy(() => usd.connect(party.signer).approve(program.market, 2n ** 256n - 1n)),
    );
    await gasOf(
      chain,
      () => party.wallet.writeContract({ ...stamps, functionName: "setApprovalForAll", args: [seaportAddress, true] }),
      sentBy(() => usd.connect(party.signer).approve(seaportAddress, 2n ** 256n - 1n)),
    );
  };

  const [alice, bob, carol] = (await Promise.all([cast.alice, cast.bob, cast.carol].map(unlocked))) as [Party, Party, Party];
  // Everyone already holds a stamp and dollars (a running market), and has approved both markets.
  for (const payee of [cast.treasury, cast.feeRecipient]) await usd.mint(payee, 1_000_000n * 10n ** 6n);
  for (const trader of [alice, bob, carol]) {
    await minter.writeContract({ ...stamps, functionName: "mint", args: [trader.address, 1n] });
    await equip(trader);
  }

  // Salts from a counter, not random bytes: calldata (and so gas) is the same in every run.
  let orderCounter = 0;
  const expiry = async () => (await chain.publicClient.getBlock()).timestamp + 86_400n;

  /** Signs the seller's order now; the returned send fills it (the same transaction each time it is called). */
  type Prepare = (seller: Party, buyer: Party, tokenId: bigint, currency: Address, price: bigint) => Promise<Fill>;
  const marketSell: Prepare = async (seller, buyer, tokenId, currency, price) => {
    const listing: Listing = {
      seller: seller.address,
      tokenId,
      price,
      minSellerAmount: split(price).seller,
      currency,
      expiry: await expiry(),
      nonce: await chain.publicClient.readContract({ ...market, functionName: "nonces", args: [seller.address] }),
      tokenNonce: await chain.publicClient.readContract({ ...stamps, functionName: "transferCount", args: [tokenId] }),
      salt: keccak256(stringToHex(`listing ${++orderCounter}`)),
    };
    const signature = await seller.wallet.signTypedData({
      domain: marketDomain(program),
      types: listingTypes,
      primaryType: "Listing",
      message: listing,
    });
    return (accessList) =>
      buyer.wallet.writeContract({
        ...market,
        functionName: "buy",
        args: [listing, signature, zeroAddress],
        value: currency === zeroAddress ? price : 0n,
        accessList,
      });
  };

  const { chainId } = await hre.ethers.provider.getNetwork();
  const seaportDomain = { name: "Seaport", version: "1.6", chainId, verifyingContract: seaportAddress };
  const seaportSell: Prepare = async (seller, buyer, tokenId, currency, price) => {
    const native = currency === zeroAddress;
    const itemType = native ? 0 : 1; // NATIVE, ERC20
    const s = split(price);
    const endTime = await expiry();
    const salt = BigInt(keccak256(stringToHex(`seaport order ${++orderCounter}`)));
    const item = (amount: bigint, recipient: Address) => ({
      itemType,
      token: currency,
      identifierOrCriteria: 0n,
      startAmount: amount,
      endAmount: amount,
      recipient,
    });
    const components = {
      offerer: seller.address,
      zone: zeroAddress,
      offer: [{ itemType: ERC721_ITEM, token: program.stamps, identifierOrCriteria: tokenId, startAmount: 1n, endAmount: 1n }],
      consideration: [item(s.seller, seller.address), item(s.royalty, cast.treasury), item(s.fee, cast.feeRecipient)],
      orderType: 0, // FULL_OPEN
      startTime: 0n,
      endTime,
      zoneHash: `0x${"00".repeat(32)}`,
      salt,
      conduitKey: `0x${"00".repeat(32)}`,
      counter: await seaport.getCounter(seller.address),
    };
    // Our typed data must hash as Seaport does, or the fill below would fail for the wrong reason.
    const ours = hre.ethers.TypedDataEncoder.from(seaportOrderTypes).hash(components);
    const theirs = await seaport.getOrderHash(components);
    if (ours !== theirs) throw new Error(`Seaport order hash mismatch: ${ours} != ${theirs}`);
    const signature = await seller.signer.signTypedData(seaportDomain, seaportOrderTypes, components);
    const parameters = {
      considerationToken: currency,
      considerationIdentifier: 0n,
      considerationAmount: s.seller,
      offerer: seller.address,
      zone: zeroAddress,
      offerToken: program.stamps,
      offerIdentifier: tokenId,
      offerAmount: 1n,
      basicOrderType: native ? 0 : 8, // ETH_TO_ERC721_FULL_OPEN, ERC20_TO_ERC721_FULL_OPEN
      startTime: 0n,
      endTime,
      zoneHash: components.zoneHash,
      salt,
      offererConduitKey: components.conduitKey,
      fulfillerConduitKey: components.conduitKey,
      totalOriginalAdditionalRecipients: 2n,
      additionalRecipients: [
        { amount: s.royalty, recipient: cast.treasury },
        { amount: s.fee, recipient: cast.feeRecipient },
      ],
      signature,
    };
    // The `_efficient_6GL6yc` entry point is fulfillBasicOrder with a zero selector: Seaport's cheapest fill.
    return async (accessList) => {
      const overrides = { value: native ? price : 0n, ...(accessList ? { accessList } : {}) };
      const tx = await seaport.connect(buyer.signer).fulfillBasicOrder_efficient_6GL6yc(parameters, overrides);
      return tx.hash as Hash;
    };
  };

  /** What a trade cannot avoid; `cold`: the buyer's first stamp and (ERC-20) the seller's first dollars. */
  const tradeFloor = (native: boolean, cold: boolean, price: bigint, seller: string, currency: string, tokenId: bigint): Floor =>
    floorOf({
      transactions: 1,
      calldata: concatBytes(
        SELECTOR,
        hexBytes(seller),
        minimalBytes(tokenId),
        minimalBytes(price),
        Uint8Array.from([1, 1, 1, 1]),
        native ? new Uint8Array() : hexBytes(currency),
        new Uint8Array(65).fill(1),
      ),
      // the stamp's owner, the seller's and the buyer's stamp balances, and one replay-protection slot; with an
      // ERC-20 also the buyer's, seller's, treasury's and fee recipient's balances. Cold: one (native) or two
      // (ERC-20) of them are written from zero.
      newSlots: cold ? (native ? 1 : 2) : 0,
      changedColdSlots: 4 + (native ? 0 : 4) - (cold ? (native ? 1 : 2) : 0),
      warmWrites: native ? 0 : 2, // the buyer's balance, debited twice more
      logGas: ERC721_TRANSFER_LOG + (native ? 0 : 3 * ERC20_TRANSFER_LOG),
      // the stamp contract; with ETH the three payees; with an ERC-20 its contract
      coldAccounts: 1 + (native ? 3 : 1),
      valueTransfers: native ? 3 : 0,
      ecrecovers: 1,
    });
  const callFloor = (floor: Floor) => floor.gas - floor.parts.base! - floor.parts.calldata!;
  /** What a floor's cold accesses cost beyond warm ones (2,100 per slot changed, 2,500 per account), for the warm rows. */
  const warmDiscount = (native: boolean) => (4 + (native ? 0 : 4)) * 2_100 + (1 + (native ? 3 : 1)) * 2_500;

  const treasuryHolds = async (currency: Address): Promise<bigint> =>
    currency === zeroAddress
      ? chain.publicClient.getBalance({ address: cast.treasury })
      : ((await usd.balanceOf(cast.treasury)) as bigint);
  const nextTokenId = async () =>
    EDITIONS_PER_SERIES + (await chain.publicClient.readContract({ ...stamps, functionName: "series", args: [1n] })).minted + 1n;
  const setPolicy = async (policy: "open" | "market-only") => {
    const now = await chain.publicClient.readContract({ ...stamps, functionName: "transferPolicy" });
    if (now !== transferPolicyValue[policy]) {
      await gasOf(chain, () =>
        admin.writeContract({ ...stamps, functionName: "setTransferPolicy", args: [transferPolicyValue[policy]] }),
      );
    }
  };
  /**
   * One measured sale, checked: the royalty arrived and the stamp reached the buyer. `warm`: sent with the access list
   * of everything it touches, as inside a Foundry test that has just traded.
   */
  const measuredSale = async (
    venue: { subject: string; sell: Prepare },
    seller: Party,
    buyer: Party,
    tokenId: bigint,
    currency: Address,
    price: bigint,
    warm = false,
  ) => {
    const fill = await venue.sell(seller, buyer, tokenId, currency, price);
    const accessList = warm ? await accessListOf(chain, () => fill()) : undefined;
    const before = await treasuryHolds(currency);
    const g = await gasOf(chain, () => fill(accessList));
    if ((await treasuryHolds(currency)) - before !== split(price).royalty) throw new Error(`${venue.subject}: royalty not paid`);
    const owner = await chain.publicClient.readContract({ ...stamps, functionName: "ownerOf", args: [tokenId] });
    if (owner !== buyer.address) throw new Error(`${venue.subject}: stamp not delivered`);
    return g;
  };

  log("trading: ours and Seaport, warm and cold");
  const tradeCases = [
    { currency: "native coin", address: zeroAddress as Address, price: parseEther("0.05") },
    { currency: "ERC-20 (stablecoin)", address: usdAddress, price: 5_000_000n },
  ];
  const venues: Array<{ subject: string; policy: "open" | "market-only"; sell: Prepare }> = [
    { subject: "Punchcard Market (market-only policy)", policy: "market-only", sell: marketSell },
    { subject: "Punchcard Market (open policy)", policy: "open", sell: marketSell },
    { subject: "Seaport 1.6 fulfillBasicOrder", policy: "open", sell: seaportSell },
  ];
  for (const trade of tradeCases) {
    const operation = `one stamp for the ${trade.currency}, 5 % royalty + 2.5 % fee`;
    const native = trade.address === zeroAddress;
    for (const venue of venues) {
      await setPolicy(venue.policy);
      // Warm: a stamp that has traded before, sold again by a member to a member who already holds a stamp; the
      // seller, treasury and fee recipient already hold coin and dollars.
      const tokenId = await nextTokenId();
      await minter.writeContract({ ...stamps, functionName: "mint", args: [alice.address, 1n] });
      const first = await venue.sell(alice, bob, tokenId, trade.address, trade.price);
      await gasOf(chain, () => first());
      const warm = await measuredSale(venue, bob, carol, tokenId, trade.address, trade.price);
      add({
        group: "trade",
        operation,
        subject: venue.subject,
        gas: warm.total,
        transactions: 1,
        maxTxGas: warm.max,
        floor: tradeFloor(native, false, trade.price, bob.address, trade.address, tokenId).gas,
        profile: await profileOf(chain, warm.hash, warm.total),
      });
      if (venue.policy === "open" && venue.sell === marketSell) continue; // the method compares one Punchcard policy
      // Warm, the Payment Processor way: the two who just traded trade back, every slot and account already warm.
      const back = await measuredSale(venue, carol, bob, tokenId, trade.address, trade.price, true);
      add({
        group: "trade-call",
        operation: `${trade.currency}, warm`,
        subject: venue.subject,
        gas: await callGasOf(chain, back),
        transactions: 1,
        maxTxGas: back.max,
        floor: callFloor(tradeFloor(native, false, trade.price, carol.address, trade.address, tokenId)) - warmDiscount(native),
      });
      // Cold: each one's first trade. The seller's first stamp (just minted) to a buyer who holds no stamp yet; with
      // the ERC-20, a seller who held no dollars (the buyer has some: it pays).
      const [seller, buyer] = [await freshParty(), await freshParty()];
      await equip(seller);
      await equip(buyer);
      if (!native) await usd.connect(seller.signer).transfer(cast.brand, 1_000_000n * 10n ** 6n);
      const coldToken = await nextTokenId();
      await minter.writeContract({ ...stamps, functionName: "mint", args: [seller.address, 1n] });
      const cold = await measuredSale(venue, seller, buyer, coldToken, trade.address, trade.price);
      add({
        group: "trade-call",
        operation: `${trade.currency}, cold`,
        subject: venue.subject,
        gas: await callGasOf(chain, cold),
        transactions: 1,
        maxTxGas: cold.max,
        floor: callFloor(tradeFloor(native, true, trade.price, seller.address, trade.address, coldToken)),
      });
    }
  }
  return { seaportRuntimeBytes };
}
