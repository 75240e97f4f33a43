import type { Kysely } from "kysely";
import { getAddress, hashTypedData, isAddressEqual, type Address, type Hex } from "viem";
import { getBlock } from "viem/actions";
import { consentNonce } from "../../internal/consentNonce.js";
import type { Program, ReadClient } from "../../program.js";
import { getConsentLink } from "../../read/getConsentLink.js";
import type { GuardianRequest } from "../../serverApi/guardians.js";
import { askGuardianRoute, declineGuardianRequestRoute, guardianRequestsRoute } from "../../serverApi/routes.js";
import { consentDomain, GUARDIAN_PURPOSES, PURPOSES, purposesChangeTypes, type GuardianPurpose } from "../../types/consent.js";
import {
  guardianRequestDeclineTypes,
  guardianRequestsReadTypes,
  MAX_GUARDIAN_REQUEST_LIFETIME_SECONDS,
  MAX_GUARDIAN_REQUESTS_READ_LIFETIME_SECONDS,
} from "../../types/guardianRequest.js";
import { purposesToMask } from "../../utils/consent.js";
import { ServerRefusal } from "../errors.js";
import { requireJson } from "../middleware/errors.js";
import { routeGroup, serverRoute } from "../routes/route.js";
import { signedBy } from "../signedBy.js";

/** A minor's request to their guardian, as kept: the minor's signed PurposesChange and its state. Made by 0010. */
export interface GuardianRequestsTable {
  /** The EIP-712 hash of the PurposesChange. */
  id: string;
  wallet: string;
  /** The guardian the on-chain link named when the request came. */
  guardian: string;
  /** The whole mask the minor signed, and the part of it the guardian is asked for (decimal). */
  purposes: string;
  asked: string;
  nonce: string;
  deadline: number | string;
  signature: string;
  /** pending or declined: approval and closing are read from the chain (the wallet's nonce moved on). */
  status: string;
  created_at: string;
  answered_at: string | null;
}

export interface GuardianRequestTables {
  guardian_requests: GuardianRequestsTable;
}

export interface GuardianRoutesOptions {
  program: Program;
  /** Reads the chain's clock, the consent registry and an ERC-1271 wallet's signature. */
  client: ReadClient;
  /** The server's database (the order book's). */
  db: Kysely<GuardianRequestTables>;
}

/** Requests kept after their deadline, so that the minor still sees how theirs ended: 30 days. */
const KEEP_AFTER_DEADLINE_SECONDS = 30n * 24n * 60n * 60n;
/** The requests of a wallet listed to it, newest first. */
const SENT_LISTED = 20;

const GUARDIAN_MASK = purposesToMask(GUARDIAN_PURPOSES);
const time = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
const guardianPurposesOf = (mask: bigint): GuardianPurpose[] => GUARDIAN_PURPOSES.filter((p) => (mask & PURPOSES[p]) !== 0n);

/** The chain's facts about a wallet that decide a request's state, read once per wallet per answer. */
interface WalletNow {
  nonce: bigint;
  purposes: bigint;
  guardian: Address | undefined;
}

/**
 * `POST /guardians/requests` (a minor asks), `POST /guardians/requests/list` (a signed read of one's own requests)
 * and `POST /guardians/requests/decline` (the guardian says no). The request is the minor's signed PurposesChange
 * granting a purpose only the guardian may approve; it is kept only if the chain says the wallet is a minor's
 * in this program, the nonce is the wallet's current one and the signature is the wallet's. A guardian approves by
 * relaying the change with their GuardianApproval (`POST /relay/consentChange`), the registry's own flow: the
 * request then reads as approved, from the chain. Only the wallets involved can read a request, each by signing.
 */
export function guardianRoutes({ program, client, db }: GuardianRoutesOptions) {
  const domain = consentDomain(program);
  const chainNow = async () => (await getBlock(client, { blockTag: "latest" })).timestamp;
  const walletNow = async (wallet: Address): Promise<WalletNow> => {
    const [nonce, link] = await Promise.all([consentNonce(client, program, wallet), getConsentLink(client, { program, wallet })]);
    return {
      nonce,
      purposes: link ? purposesToMask(link.purposes) : 0n,
      guardian: link?.minor ? link.guardian : undefined,
    };
  };
  const statusOf = (row: GuardianRequestsTable, chain: WalletNow, now: bigint): GuardianRequest["status"] => {
    if (row.status === "declined") return "declined";
    if (chain.nonce !== BigInt(row.nonce)) {
      const asked = BigInt(row.asked);
      return (chain.purposes & asked) === asked ? "approved" : "closed";
    }
    return BigInt(row.deadline) <= now ? "expired" : "pending";
  };
  // The answer in the wire form (decimal strings), as the route's schema reads it.
  const view = (row: GuardianRequestsTable, status: GuardianRequest["status"]) => ({
    id: row.id,
    wallet: row.wallet,
    guardian: row.guardian,
    asked: guardianPurposesOf(BigInt(row.asked)),
    status,
    createdAt: row.created_at,
    change: {
      message: { wallet: row.wallet, purposes: row.purposes, nonce: row.nonce, deadline: BigInt(row.deadline).toString() },
      signature: row.signature,
    },
  });
  const views = async (rows: GuardianRequestsTable[], now: bigint) => {
    const chain = new Map<string, Promise<WalletNow>>();
    const of = (wallet: string) => {
      if (!chain.has(wallet)) chain.set(wallet, walletNow(wallet as Address));
      return chain.get(wallet)!;
    };
    return Promise.all(
      rows.map(async (row) => ({ row, chain: await of(row.wallet), status: statusOf(row, await of(row.wallet), now) })),
    );
  };
  const wrongChain = (chainId: number) => {
    if (chainId !== program.chainId)
      throw new ServerRefusal(
        422,
        "wrong_chain",
        `This was signed for chain ${chainId}, but this program is on chain ${program.chainId}: sign it again on the program's chain.`,
      );
  };

  // Not chained: the types of three chained routes are more than the server's app can compose.
  const routes = routeGroup();
  routes.openapi(serverRoute(askGuardianRoute, [requireJson]), async (c) => {
    const { message, signature } = c.req.valid("json").change;
    const wallet = getAddress(message.wallet);
    const now = await chainNow();
    if (message.deadline <= now)
      throw new ServerRefusal(422, "expired", `This request expired at ${time(message.deadline)}: sign a new one.`);
    if (message.deadline > now + MAX_GUARDIAN_REQUEST_LIFETIME_SECONDS)
      throw new ServerRefusal(
        422,
        "deadline_too_far",
        `This request lasts until ${time(message.deadline)}, more than 30 days ahead of the chain's clock (${time(now)}): sign one that ends sooner.`,
      );
    const chain = await walletNow(wallet);
    if (!chain.guardian)
      throw new ServerRefusal(
        422,
        "not_a_minor",
        `${wallet} is not linked as a minor in this program: only a minor's link has a guardian to ask.`,
      );
    const asked = message.purposes & GUARDIAN_MASK & ~chain.purposes;
    if (asked === 0n)
      throw new ServerRefusal(
        422,
        "no_approval_needed",
        "This change grants no purpose that needs the guardian (marketing or partner sharing not yet allowed): change it yourself.",
      );
    if (message.nonce !== chain.nonce)
      throw new ServerRefusal(
        422,
        "stale_nonce",
        `This request carries nonce ${message.nonce}, but the wallet's consent is at ${chain.nonce}: it was used or replaced; sign a new one.`,
      );
    const typedData = { domain, types: purposesChangeTypes, primaryType: "PurposesChange", message } as const;
    if (!(await signedBy(client, wallet, typedData, signature)))
      throw new ServerRefusal(422, "bad_signature", `The signature is not wallet ${wallet}'s on this request: nothing was kept.`);

    const id = hashTypedData(typedData);
    const row: GuardianRequestsTable = {
      id,
      wallet,
      guardian: chain.guardian,
      purposes: message.purposes.toString(),
      asked: asked.toString(),
      nonce: message.nonce.toString(),
      deadline: message.deadline.toString(),
      signature,
      status: "pending",
      created_at: new Date().toISOString(),
      answered_at: null,
    };
    const kept = await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom("guardian_requests")
        .where("deadline", "<", (now - KEEP_AFTER_DEADLINE_SECONDS).toString())
        .execute();
      // The same request sent again (a replay) is the one kept, as it is: a declined request stays declined.
      const same = await trx.selectFrom("guardian_requests").selectAll().where("id", "=", id).executeTakeFirst();
      if (same) return same;
      // One live request per wallet: the guardian is asked once, not flooded (the same nonce is the live one).
      const waiting = await trx
        .selectFrom("guardian_requests")
        .select(["deadline"])
        .where("wallet", "=", wallet)
        .where("nonce", "=", row.nonce)
        .where("status", "=", "pending")
        .where("deadline", ">", now.toString())
        .executeTakeFirst();
      if (waiting)
        throw new ServerRefusal(
          409,
          "request_pending",
          `Another request of this wallet is waiting for its guardian until ${time(BigInt(waiting.deadline))}: wait for the answer.`,
        );
      await trx.insertInto("guardian_requests").values(row).execute();
      return row;
    });
    return c.json(view(kept, statusOf(kept, chain, now)), 200);
  });
  routes.openapi(serverRoute(guardianRequestsRoute, [requireJson]), async (c) => {
    const { message, signature, chainId } = c.req.valid("json");
    wrongChain(chainId);
    const now = await chainNow();
    if (message.deadline <= now)
      throw new ServerRefusal(422, "expired", `This read expired at ${time(message.deadline)}: sign a new one.`);
    if (message.deadline > now + MAX_GUARDIAN_REQUESTS_READ_LIFETIME_SECONDS)
      throw new ServerRefusal(
        422,
        "deadline_too_far",
        `This read lasts until ${time(message.deadline)}, more than an hour ahead of the chain's clock: sign one that expires sooner.`,
      );
    const reader = getAddress(message.reader);
    const typedData = { domain, types: guardianRequestsReadTypes, primaryType: "GuardianRequestsRead", message } as const;
    if (!(await signedBy(client, reader, typedData, signature)))
      throw new ServerRefusal(422, "bad_signature", `The signature is not wallet ${reader}'s on this read: nothing is shown.`);
    const [asGuardian, asMinor] = await Promise.all([
      db.selectFrom("guardian_requests").selectAll().where("guardian", "=", reader).where("status", "=", "pending").execute(),
      db
        .selectFrom("guardian_requests")
        .selectAll()
        .where("wallet", "=", reader)
        .orderBy("created_at", "desc")
        .limit(SENT_LISTED)
        .execute(),
    ]);
    // A guardian sees a request only while the chain still names them the minor's guardian.
    const toAnswer = (await views(asGuardian, now)).filter(
      (v) => v.status === "pending" && v.chain.guardian !== undefined && isAddressEqual(v.chain.guardian, reader),
    );
    const sent = await views(asMinor, now);
    return c.json({ toAnswer: toAnswer.map((v) => view(v.row, v.status)), sent: sent.map((v) => view(v.row, v.status)) }, 200);
  });
  routes.openapi(serverRoute(declineGuardianRequestRoute, [requireJson]), async (c) => {
    const { message, signature, chainId } = c.req.valid("json");
    wrongChain(chainId);
    const guardian = getAddress(message.guardian);
    const typedData = { domain, types: guardianRequestDeclineTypes, primaryType: "GuardianRequestDecline", message } as const;
    if (!(await signedBy(client, guardian, typedData, signature)))
      throw new ServerRefusal(
        422,
        "bad_signature",
        `The signature is not wallet ${guardian}'s on this decline: nothing changed.`,
      );
    const id: Hex = message.request;
    const row = await db.selectFrom("guardian_requests").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new ServerRefusal(404, "not_found", `No guardian request ${id} is kept here.`);
    const now = await chainNow();
    const chain = await walletNow(row.wallet as Address);
    if (!chain.guardian || !isAddressEqual(chain.guardian, guardian))
      throw new ServerRefusal(
        403,
        "not_guardian",
        `${guardian} is not the guardian of this request's minor: only their guardian answers it.`,
      );
    const status = statusOf(row, chain, now);
    if (status === "declined") return c.json(view(row, status), 200);
    if (status !== "pending")
      throw new ServerRefusal(409, "not_pending", `This request is ${status}: there is nothing to decline.`);
    const answeredAt = new Date().toISOString();
    const updated = await db
      .updateTable("guardian_requests")
      .set({ status: "declined", answered_at: answeredAt })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if ((updated.numUpdatedRows ?? 0n) === 0n) {
      const again = await db.selectFrom("guardian_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      return c.json(view(again, statusOf(again, chain, now)), 200);
    }
    return c.json(view({ ...row, status: "declined", answered_at: answeredAt }, "declined"), 200);
  });
  return routes;
}
