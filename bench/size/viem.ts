// SDK size benchmark, the yardstick: the same member session as ./ours.ts written against plain viem. It imports
// the same generated ABIs (sdk/src/generated/abis.ts) as our SDK does, so the two bundles differ by logic, not by ABI.
import {
  createWalletClient,
  custom,
  hashTypedData,
  isAddressEqual,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Address,
  type EIP1193Provider,
  type Hex,
} from "viem";
import {
  getBlock,
  getChainId,
  getContractEvents,
  readContract,
  signTypedData,
  waitForTransactionReceipt,
  writeContract,
} from "viem/actions";
import { marketAbi, stampsAbi } from "@punchcard/sdk";

interface Program {
  stamps: Address;
  market: Address;
  deployBlock: bigint;
}

const listingTypes = {
  Listing: [
    { name: "seller", type: "address" },
    { name: "tokenId", type: "uint256" },
    { name: "price", type: "uint256" },
    { name: "minSellerAmount", type: "uint256" },
    { name: "currency", type: "address" },
    { name: "expiry", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "tokenNonce", type: "uint256" },
    { name: "salt", type: "bytes32" },
  ],
} as const;

interface Listing {
  seller: Address;
  tokenId: bigint;
  price: bigint;
  minSellerAmount: bigint;
  currency: Address;
  expiry: bigint;
  nonce: bigint;
  tokenNonce: bigint;
  salt: Hex;
}

export async function memberSession(ethereum: EIP1193Provider, program: Program, listed: { order: Listing; signature: Hex }) {
  const [account] = (await ethereum.request({ method: "eth_requestAccounts" })) as Address[];
  const client = createWalletClient({ account: account!, transport: custom(ethereum) });
  const me = client.account.address;

  // Read the collection: Transfer events into the wallet, still owned, with their metadata.
  const received = await getContractEvents(client, {
    address: program.stamps,
    abi: stampsAbi,
    eventName: "Transfer",
    args: { to: me },
    fromBlock: program.deployBlock,
  });
  const stamps: Array<{ tokenId: bigint; tokenURI: string }> = [];
  for (const tokenId of new Set(received.map((l) => l.args.tokenId!))) {
    const owner = await readContract(client, {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "ownerOf",
      args: [tokenId],
    }).catch(() => undefined);
    if (!owner || !isAddressEqual(owner, me)) continue;
    stamps.push({
      tokenId,
      tokenURI: await readContract(client, {
        address: program.stamps,
        abi: stampsAbi,
        functionName: "tokenURI",
        args: [tokenId],
      }),
    });
  }

  // Approve the Market once.
  const approved = await readContract(client, {
    address: program.stamps,
    abi: stampsAbi,
    functionName: "isApprovedForAll",
    args: [me, program.market],
  });
  if (!approved) {
    const hash = await writeContract(client, {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "setApprovalForAll",
      args: [program.market, true],
      chain: null,
    });
    await waitForTransactionReceipt(client, { hash });
  }

  // Sign a listing of the first stamp.
  const tokenId = stamps[0]!.tokenId;
  const block = await getBlock(client);
  const order: Listing = {
    seller: me,
    tokenId,
    price: 10n ** 16n,
    minSellerAmount: (
      await readContract(client, {
        address: program.market,
        abi: marketAbi,
        functionName: "quoteSale",
        args: [tokenId, zeroAddress, 10n ** 16n],
      })
    )[0],
    currency: zeroAddress,
    expiry: block.timestamp + 7n * 86_400n,
    nonce: await readContract(client, { address: program.market, abi: marketAbi, functionName: "nonces", args: [me] }),
    tokenNonce: await readContract(client, {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "transferCount",
      args: [tokenId],
    }),
    salt: toHex(crypto.getRandomValues(new Uint8Array(32))),
  };
  const domain = {
    name: "Punchcard Market",
    version: "1",
    chainId: await getChainId(client),
    verifyingContract: program.market,
  } as const;
  const typedData = { domain, types: listingTypes, primaryType: "Listing", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  const listing = { order, signature, orderHash: hashTypedData(typedData) };

  // Fill someone's listing in the native coin and read the sale.
  const hash = await writeContract(client, {
    address: program.market,
    abi: marketAbi,
    functionName: "buy",
    args: [listed.order, listed.signature, zeroAddress],
    value: listed.order.price,
    chain: null,
  });
  const receipt = await waitForTransactionReceipt(client, { hash });
  const [sale] = parseEventLogs({ abi: marketAbi, eventName: "Sale", logs: receipt.logs });
  return { stamps, listing, sale: sale?.args };
}
