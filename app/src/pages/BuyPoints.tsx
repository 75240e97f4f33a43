import { pointsAbi, ProgramServerError, type PaymentPackages } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address, Hex } from "viem";
import { getBlock, getBlockNumber, getContractEvents, readContract } from "viem/actions";
import { usePublicClient } from "wagmi";
import { localTime } from "../components/LocalTime.js";
import { QueryError } from "../components/QueryError.js";
import { useProgramServer } from "../components/useProgramServer.js";
import { useAppConfig } from "../context.js";
import { errorSentence } from "../errors.js";
import { formatAmountIn, formatPrice } from "../i18n/format.js";

/** What the page remembers across the trip to the checkout: which package, for whom, from which block. */
interface StartedPurchase {
  member: Address;
  points: string;
  fromBlock: string;
}
const STARTED = "punchcard.buyPoints";

/** How the checkout ended, as the test checkout (or the brand's return URL) says it: `?purchase=paid|cancelled`. */
const returned = () => new URLSearchParams(location.search).get("purchase");

/**
 * "Buy points": the brand's packages with points and price in its currency, bought for the connected wallet through
 * the provider's checkout (the program server answers its URL; the package and the wallet travel as the payment's
 * metadata). Back from the checkout, the purchase is followed on chain: waiting for the credit, then pending until
 * the time the Points contract releases it (the receipt's `releaseAt`), then spendable.
 */
export function BuyPoints({ member }: { member: Address }) {
  const app = useAppConfig();
  const { t } = useTranslation();
  const server = useProgramServer();
  const client = usePublicClient();
  const [starting, setStarting] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const packages = useQuery({
    queryKey: ["paymentPackages", app.serverUrl],
    enabled: Boolean(server),
    queryFn: () => server!.paymentPackages(),
  });
  const named = app.testAccounts?.find((a) => a.address.toLowerCase() === member.toLowerCase())?.name;
  const points = (amount: bigint) => formatAmountIn(amount, app.units.pointsDecimals, app.units.pointsSymbol);

  async function buy(pack: PaymentPackages["packages"][number]) {
    setStarting(pack.id);
    setProblem(undefined);
    try {
      const fromBlock = await getBlockNumber(client!);
      const answer = await server!.checkout({ package: pack.id, wallet: member });
      const started: StartedPurchase = { member, points: answer.points.toString(), fromBlock: fromBlock.toString() };
      sessionStorage.setItem(STARTED, JSON.stringify(started));
      location.assign(answer.url);
    } catch (error) {
      setProblem(errorSentence(error));
      setStarting(undefined);
    }
  }

  const outcome = returned();
  const started = JSON.parse(sessionStorage.getItem(STARTED) ?? "null") as StartedPurchase | null;
  return (
    <>
      <h1>{t("buy.title")}</h1>
      {outcome === "cancelled" && <p className="message pending">{t("buy.cancelled")}</p>}
      {outcome === "paid" && started?.member.toLowerCase() === member.toLowerCase() && (
        <PurchaseProgress started={started} format={points} />
      )}
      {!server || (packages.error instanceof ProgramServerError && packages.error.status === 404) ? (
        <p>{t("buy.off", { brand: app.brand })}</p>
      ) : packages.isPending ? (
        <p role="status">{t("buy.reading")}</p>
      ) : packages.isError ? (
        <QueryError what="the price list" error={packages.error} retry={() => void packages.refetch()} />
      ) : !packages.data.checkout || packages.data.packages.length === 0 ? (
        <p>{t("buy.off", { brand: packages.data.brand })}</p>
      ) : (
        <section aria-labelledby="packages-title">
          <p id="packages-title">{t("buy.intro", { brand: packages.data.brand, wallet: named ?? t("buy.thisWallet") })}</p>
          <ul className="accounts">
            {packages.data.packages.map((pack) => (
              <li key={pack.id} className="card" data-testid="package">
                <button type="button" className="primary" disabled={starting !== undefined} onClick={() => void buy(pack)}>
                  {t("buy.buyButton", { points: points(pack.points), price: formatPrice(pack.amount, pack.currency) })}
                </button>
              </li>
            ))}
          </ul>
          <div role="status" aria-live="polite">
            {starting !== undefined && <p className="message pending">{t("buy.starting")}</p>}
            {problem && (
              <p className="message failed" data-testid="buy-problem">
                {t("buy.refused", { reason: problem })}
              </p>
            )}
          </div>
        </section>
      )}
    </>
  );
}

/**
 * The purchase back from the checkout, as the chain tells it: the member's newest `PointsCredited` of the package's
 * points since the checkout started, then its receipt's release time against the chain's clock. Read every second
 * until spendable.
 */
function PurchaseProgress({ started, format }: { started: StartedPurchase; format: (amount: bigint) => string }) {
  const app = useAppConfig();
  const { t } = useTranslation();
  const client = usePublicClient();
  const { program } = app;
  const progress = useQuery({
    queryKey: ["purchase", program.points, started.member, started.fromBlock],
    enabled: Boolean(client),
    refetchInterval: (query) => (query.state.data?.state === "spendable" ? false : 1_000),
    queryFn: async () => {
      const credits = await getContractEvents(client!, {
        address: program.points,
        abi: pointsAbi,
        eventName: "PointsCredited",
        args: { member: started.member },
        fromBlock: BigInt(started.fromBlock),
      });
      const credit = credits.filter((log) => log.args.amount === BigInt(started.points)).at(-1);
      if (!credit) return { state: "waiting" as const };
      const [, , amount, releaseAt] = await readContract(client!, {
        address: program.points,
        abi: pointsAbi,
        functionName: "receiptOf",
        args: [credit.args.receiptId as Hex],
      });
      const { timestamp } = await getBlock(client!);
      return { state: releaseAt > timestamp ? ("pending" as const) : ("spendable" as const), amount, releaseAt };
    },
  });
  const data = progress.data;
  return (
    <p className={`message ${data?.state === "spendable" ? "confirmed" : "pending"}`} role="status" data-testid="purchase">
      {!data || data.state === "waiting"
        ? t("buy.waiting", { brand: app.brand })
        : data.state === "pending"
          ? t("buy.pending", { points: format(data.amount), time: localTime(new Date(Number(data.releaseAt) * 1000)) })
          : t("buy.spendable", { points: format(data.amount) })}
    </p>
  );
}
