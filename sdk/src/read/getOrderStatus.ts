import {
  concatHex,
  createClient,
  custom,
  erc20Abi,
  getAddress,
  hashTypedData,
  isAddressEqual,
  padHex,
  recoverAddress,
  sliceHex,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { call, getBlock, readContract, verifyTypedData } from "viem/actions";
import { marketAbi, stampsAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";
import { fromSignedOrder, orderSigner, orderTypedData, type SignedOrder } from "../types/orders.js";
import { faultOf } from "../utils/faults.js";
import { InvalidArgumentError } from "../errors.js";

export type { SignedOrder };

/**
 * Where an order stands. `open`: it can be filled now. Otherwise why not, for good (`filled`, `cancelled`,
 * `expired`, `stale`: the stamp moved or the signer bumped their nonce; `invalid`: not signed by its signer on
 * this chain and Market) or for now (`unfunded`: the offer's buyer lacks the balance or allowance).
 */
export type OrderState = "open" | "filled" | "cancelled" | "expired" | "stale" | "invalid" | "unfunded";

export interface GetOrderStatusParameters {
  program: Program;
  order: SignedOrder;
  /**
   * The order's EIP-712 hash as `hashOrder(program, order)` computed it, when the caller has it already (a server
   * that looked the order up by it): not computed again. It is checked against the Market's hash of the order (read
   * with the rest), and where they differ against the order's own: one that is neither rejects with an
   * {@link InvalidArgumentError} before any answer is given.
   */
  orderHash?: Hex;
}

export interface GetOrderStatusReturnType {
  state: OrderState;
  /** The order's EIP-712 hash, as the Market computes it. */
  orderHash: Hex;
  /** A sentence a person can act on, for any state but `open`. */
  reason?: string;
}

/**
 * Whether a signed order can be filled now, and if not why, from the chain's state and the chain's clock: the
 * signature (EIP-712 for this chain and Market; ERC-1271 wallets too), expiry, the signer's nonce, the Market's
 * record (filled, cancelled), the stamp's holder and transfer count, and an offer's funding. What an order book
 * checks before it shows an order, and after every block. The reads go out together (one round trip on a client
 * with `batch: { multicall: true }`, where an EOA's signature is recovered by the chain's ecrecover in that same
 * call; on a client without it, the signature is recovered here).
 *
 * A read the chain could not answer (the RPC down, timed out or overloaded: what `faultOf` in `utils/faults.ts`
 * calls a fault) is no verdict: it is thrown, never answered as `stale` or `invalid`. Ask again later.
 *
 * @example
 * const { state, reason } = await getOrderStatus(client, { program, order: { listing } });
 * if (state !== "open") console.log(`not for sale: ${reason}`);
 */
export async function getOrderStatus(
  client: ReadClient,
  { program, order, orderHash: knownHash }: GetOrderStatusParameters,
): Promise<GetOrderStatusReturnType> {
  const market = { address: program.market, abi: marketAbi } as const;
  const stamps = { address: program.stamps, abi: stampsAbi } as const;
  const { order: target, signature } = fromSignedOrder(order);
  const signer = orderSigner(target);
  const typedData = orderTypedData(program, target);
  // A listing or a swap offers a stamp: it must still be the signer's, unmoved since signing.
  const offered: { tokenId: bigint; tokenNonce: bigint } | undefined =
    target.kind === "listing"
      ? { tokenId: target.order.tokenId, tokenNonce: target.order.tokenNonce }
      : target.kind === "swap"
        ? { tokenId: target.order.makerTokenId, tokenNonce: target.order.makerTokenNonce }
        : undefined;
  const offer = target.kind === "offer" ? target.order : undefined;

  // An EOA's signature is checked with the other reads (see recoverSigner); any other (ERC-1271 wallets, ERC-6492)
  // by the chain.
  const localHash = knownHash ?? hashTypedData(typedData);

  // Every read at once, so a client with `batch: { multicall: true }` sends them in one call. A read that fails
  // (a stamp that does not exist, a currency that is not an ERC-20) fails only when its check is reached, so the
  // order's first problem is the one answered, as when they were read one by one.
  // viem's signature check answers any failed call "not valid", an RPC that did not answer too: it reads through a
  // client of its own that keeps the first fault it met, thrown instead of that answer.
  let verifyFault: unknown;
  const verifying = createClient({
    chain: client.chain,
    transport: custom(
      {
        request: (args: Parameters<typeof client.request>[0]) =>
          client.request(args).catch((error: unknown) => {
            if (faultOf(error)) verifyFault ??= error;
            throw error;
          }),
      },
      { retryCount: 0 },
    ),
  });
  const [hash, valid, status, block, nonce, holder, moves, balance, allowance] = await Promise.all([
    settle(
      target.kind === "listing"
        ? readContract(client, { ...market, functionName: "hashListing", args: [target.order] })
        : target.kind === "offer"
          ? readContract(client, { ...market, functionName: "hashOffer", args: [target.order] })
          : readContract(client, { ...market, functionName: "hashSwapOrder", args: [target.order] }),
    ),
    settle(
      recoverSigner(client, localHash, signature).then((recovered) =>
        recovered !== undefined && isAddressEqual(recovered, signer)
          ? true
          : verifyTypedData(verifying, { address: signer, ...typedData, signature }),
      ),
    ),
    settle(readContract(client, { ...market, functionName: "orderStatus", args: [localHash] })),
    settle(getBlock(client, { blockTag: "latest" })),
    settle(readContract(client, { ...market, functionName: "nonces", args: [signer] })),
    settle(
      offered
        ? // A stamp burned or never minted reverts: no holder. An RPC that did not answer is no answer.
          readContract(client, { ...stamps, functionName: "ownerOf", args: [offered.tokenId] }).catch((error: unknown) => {
            if (faultOf(error)) throw error;
            return zeroAddress as Address;
          })
        : Promise.resolve(zeroAddress as Address),
    ),
    settle(
      offered ? readContract(client, { ...stamps, functionName: "transferCount", args: [offered.tokenId] }) : Promise.resolve(0n),
    ),
    settle(
      offer
        ? readContract(client, { address: offer.currency, abi: erc20Abi, functionName: "balanceOf", args: [offer.buyer] })
        : Promise.resolve(0n),
    ),
    settle(
      offer
        ? readContract(client, {
            address: offer.currency,
            abi: erc20Abi,
            functionName: "allowance",
            args: [offer.buyer, program.market],
          })
        : Promise.resolve(0n),
    ),
  ]);

  const orderHash = take(hash);
  // The signature was checked against the hash the caller gave: it must be this order's.
  if (
    knownHash !== undefined &&
    knownHash.toLowerCase() !== orderHash.toLowerCase() &&
    knownHash.toLowerCase() !== hashTypedData(typedData).toLowerCase()
  )
    throw new InvalidArgumentError(
      "orderHash",
      `${knownHash} is not the hash of this order (${orderHash}).`,
      "Leave orderHash out, or pass hashOrder(program, order).",
    );
  const answer = (state: OrderState, reason?: string): GetOrderStatusReturnType =>
    reason === undefined ? { state, orderHash } : { state, orderHash, reason };

  if (!take(valid)) {
    if (verifyFault !== undefined) throw verifyFault;
    return answer("invalid", `The signature is not ${signer}'s over this order, on chain ${program.chainId} and this Market.`);
  }

  // The Market's own hash is the one it records; it equals ours unless the program's domain is not the Market's.
  const recorded =
    orderHash.toLowerCase() === localHash.toLowerCase()
      ? take(status)
      : await readContract(client, { ...market, functionName: "orderStatus", args: [orderHash] });
  if (recorded === 1) return answer("filled", "The offer was already accepted.");
  if (recorded === 2) return answer("cancelled", "Its signer cancelled it.");

  const now = take(block).timestamp;
  if (target.order.expiry <= now)
    return answer("expired", `It expired at ${new Date(Number(target.order.expiry) * 1000).toISOString()}.`);

  if (take(nonce) !== target.order.nonce) return answer("stale", `${signer} cancelled all their orders since signing it.`);

  if (offered) {
    if (!isAddressEqual(take(holder), signer)) return answer("stale", `Stamp ${offered.tokenId} is no longer ${signer}'s.`);
    if (take(moves) !== offered.tokenNonce)
      return answer("stale", `Stamp ${offered.tokenId} has moved since the order was signed.`);
  }

  // An offer pays from the buyer's balance through the Market's allowance.
  if (offer) {
    const { currency, price, buyer } = offer;
    const [funds, allowed] = [take(balance), take(allowance)];
    if (funds < price) return answer("unfunded", `${buyer} holds ${funds} of ${currency}, less than the ${price} offered.`);
    if (allowed < price)
      return answer("unfunded", `${buyer} lets the Market spend ${allowed} of ${currency}, less than the ${price} offered.`);
  }
  return answer("open");
}

/** The ecrecover precompile: given (hash, v, r, s), the address that signed the hash; nothing for a bad signature. */
const ECRECOVER: Address = "0x0000000000000000000000000000000000000001";

/**
 * The address an ECDSA signature of `hash` recovers to (undefined: none). On a client that folds reads into
 * Multicall3 the chain's ecrecover precompile answers, inside the order's one eth_call (and beside every other order
 * checked at that moment): recovering a key in JavaScript is most of what checking an order costs a server, and the
 * node does it natively for a few thousand gas. Elsewhere (a development node, one request per read) it is recovered
 * here. Either way a 65-byte signature whose last byte is 0, 1, 27 or 28; anything else recovers to nothing here and
 * is left to the chain's ERC-1271 / ERC-6492 check. Rejects only when the chain does not answer (a fault).
 */
async function recoverSigner(client: ReadClient, hash: Hex, signature: Hex): Promise<Address | undefined> {
  if (!client.batch?.multicall) return recoverAddress({ hash, signature }).catch(() => undefined);
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return undefined;
  const v = Number.parseInt(signature.slice(130), 16);
  if (![0, 1, 27, 28].includes(v)) return undefined;
  const data = concatHex([
    hash,
    padHex(`0x${(v < 27 ? v + 27 : v).toString(16)}`, { size: 32 }),
    sliceHex(signature, 0, 32),
    sliceHex(signature, 32, 64),
  ]);
  try {
    const { data: recovered } = await call(client, { to: ECRECOVER, data });
    // 32 bytes, the address in the last 20; nothing when the signature does not recover.
    return recovered !== undefined && recovered.length === 66 ? getAddress(sliceHex(recovered, 12)) : undefined;
  } catch (error) {
    if (faultOf(error)) throw error;
    return undefined;
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
function take<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}
