import { hashTypedData, type Address } from "viem";
import { getBlock } from "viem/actions";
import type { Kysely } from "kysely";
import { WalletNotLinkedError, type LinkStore } from "../../node/linkStore/linkStore.js";
import type { Program, ReadClient } from "../../program.js";
import type { ForgetLinkAnswer } from "../../serverApi/links.js";
import { forgetLinkRoute } from "../../serverApi/routes.js";
import { consentDomain } from "../../types/consent.js";
import { forgetLinkTypes, MAX_FORGET_REQUEST_LIFETIME_SECONDS } from "../../types/forgetLink.js";
import { ServerRefusal } from "../errors.js";
import { signedBy } from "../signedBy.js";
import { requireJson } from "../middleware/errors.js";
import { routeGroup, serverRoute } from "../routes/route.js";

/** The requests carried out, by the EIP-712 hash of each (never the wallet), until their deadline. Made by 0008. */
export interface LinkForgetsTable {
  request_hash: string;
  deadline: number | string;
  forgotten_at: string;
}

/** The tables `POST /links/forget` uses in the server's database. */
export interface LinkForgetTables {
  link_forgets: LinkForgetsTable;
}

export interface ForgetRoutesOptions {
  program: Program;
  /** Reads the chain's clock, and checks an ERC-1271 wallet's signature. */
  client: ReadClient;
  /** The server's database (the order book's), where carried-out requests are remembered until their deadline. */
  db: Kysely<LinkForgetTables>;
  /** The brand's link store; without one, the route answers 503 `link_store_off`. */
  linkStore: LinkStore | undefined;
  /**
   * Erases what other parts of the server hold of the wallet (the card payments' ids and wallet,
   * `Payments.forgetWallet`) and answers how many records it erased.
   */
  forgetPayments?: ((wallet: Address) => Promise<number>) | undefined;
}

/** What stays on the chain after the brand forgets, and why: the same for every member. */
const REMAINS_ON_CHAIN = [
  "The consent registry's history of this wallet (when it was linked, the purposes it allowed, when it was unlinked) stays public: a blockchain keeps everything it recorded. It holds a salted commitment, not your customer id, and the salt that tied the two is erased, so nobody can connect that history to you through the brand.",
  "What this wallet did in the program (stamps, points, trades) stays public under the wallet's address, for the same reason. To leave it behind, stop using this wallet or move to a new one.",
];

/** What the brand's link store erases of a member. */
const ERASED = [
  "Your customer id and the wallet address it was tied to.",
  "The secret salt that made your on-chain commitment stand for that customer id.",
];

const time = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/**
 * `POST /links/forget` ("forget me"): on the wallet's signed ForgetLink request, the brand's link store erases the
 * customer id, wallet and salt (and unlinks the wallet on-chain if it still is, `LinkStore.forget`), and the answer
 * says what was erased and what stays public on the chain. The signature is checked before the store is read, so
 * only the wallet learns whether the brand held a record of it. The same request sent again is answered
 * `already_forgotten` and changes nothing, even after the wallet is linked anew. Forgets run one at a time in a
 * process, so two requests for one wallet never both unlink it on-chain.
 */
export function forgetRoutes({ program, client, db, linkStore, forgetPayments }: ForgetRoutesOptions) {
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  return routeGroup().openapi(serverRoute(forgetLinkRoute, [requireJson]), async (c) => {
    if (!linkStore)
      throw new ServerRefusal(
        503,
        "link_store_off",
        "This server keeps no link store: ask the brand to erase your record through its own contact.",
      );
    const { message, signature, chainId } = c.req.valid("json");
    if (chainId !== program.chainId)
      throw new ServerRefusal(
        422,
        "wrong_chain",
        `This request was signed for chain ${chainId}, but this program is on chain ${program.chainId}: sign it again on the program's chain.`,
      );
    const { timestamp: now } = await getBlock(client, { blockTag: "latest" });
    if (message.deadline <= now)
      throw new ServerRefusal(
        422,
        "expired",
        `This request expired at ${time(message.deadline)} (the chain's clock reads ${time(now)}): sign a new one.`,
      );
    if (message.deadline > now + MAX_FORGET_REQUEST_LIFETIME_SECONDS)
      throw new ServerRefusal(
        422,
        "deadline_too_far",
        `This request lasts until ${time(message.deadline)}, more than a day ahead of the chain's clock (${time(now)}): sign one that expires within a day.`,
      );
    const typedData = { domain: consentDomain(program), types: forgetLinkTypes, primaryType: "ForgetLink", message } as const;
    if (!(await signedBy(client, message.wallet, typedData, signature)))
      throw new ServerRefusal(
        422,
        "bad_signature",
        `The signature is not wallet ${message.wallet}'s on this request for this program: nothing was erased.`,
      );

    const wallet: Address = message.wallet;
    const requestHash = hashTypedData(typedData);
    const answer = await oneAtATime(async (): Promise<ForgetLinkAnswer> => {
      await db.deleteFrom("link_forgets").where("deadline", "<", now.toString()).execute();
      // Claimed before the store is touched: of two copies of one request, exactly one erases.
      const claimed = await db
        .insertInto("link_forgets")
        .values({ request_hash: requestHash, deadline: message.deadline.toString(), forgotten_at: new Date().toISOString() })
        .onConflict((oc) => oc.column("request_hash").doNothing())
        .executeTakeFirst();
      if ((claimed.numInsertedOrUpdatedRows ?? 0n) === 0n)
        return {
          status: "already_forgotten",
          wallet,
          erased: [],
          erasedRecords: { link: false, cardPayments: 0 },
          unlinkedOnChain: false,
          remainsOnChain: REMAINS_ON_CHAIN,
          message: `This request was carried out before: the brand holds no record tying wallet ${wallet} to you, and nothing changed now. ${REMAINS_ON_CHAIN.join(" ")}`,
        };
      let linked = true;
      let unlinkedOnChain = false;
      let payments: number;
      try {
        try {
          ({ unlinkedOnChain } = await linkStore.forget({ wallet }));
        } catch (error) {
          if (!(error instanceof WalletNotLinkedError)) throw error;
          linked = false;
        }
        payments = (await forgetPayments?.(wallet)) ?? 0;
      } catch (error) {
        await db.deleteFrom("link_forgets").where("request_hash", "=", requestHash).execute();
        throw error;
      }
      if (!linked && payments === 0) {
        await db.deleteFrom("link_forgets").where("request_hash", "=", requestHash).execute();
        throw new ServerRefusal(
          404,
          "not_linked",
          `The brand's link store holds no record of wallet ${wallet}: there was nothing to erase. ${REMAINS_ON_CHAIN[1]}`,
        );
      }
      const paymentsErased = `The ids of your ${payments} card payment${payments === 1 ? "" : "s"} and the wallet they credited (the points stay yours).`;
      return {
        status: "forgotten",
        wallet,
        erased: [...(linked ? ERASED : []), ...(payments > 0 ? [paymentsErased] : [])],
        erasedRecords: { link: linked, cardPayments: payments },
        unlinkedOnChain,
        remainsOnChain: REMAINS_ON_CHAIN,
        message: [
          ...(linked
            ? [
                `The brand erased its record of wallet ${wallet}: your customer id, the wallet address tied to it and the secret salt behind your on-chain commitment.`,
              ]
            : []),
          ...(payments > 0 ? [`The brand erased, for wallet ${wallet}: ${paymentsErased}`] : []),
          ...(unlinkedOnChain ? ["It also unlinked the wallet in the consent registry, at its own cost."] : []),
          ...REMAINS_ON_CHAIN,
        ].join(" "),
      };
    });
    return c.json(answer, 200);
  });
}
