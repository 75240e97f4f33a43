/**
 * The test checkout: a stand-in for a payment provider's hosted page, used only by `npm run app` and the tests. It
 * reads the order from its URL as `hostedCheckout` writes it (package, wallet, program, points, amount, currency,
 * return), shows the amount, and on "Pay" does what a provider does: sends the program server a signed
 * `payment.succeeded` webhook (the generic format of docs/payments.md, `Punchcard-Signature` over the exact body)
 * and sends the member back to the wallet. "Cancel" sends them back with nothing paid. It charges what its URL says,
 * as a real checkout charges what its session says: the webhook is where the price is checked.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { webhookSignature } from "@punchcard/sdk/server";

export interface TestCheckout {
  /** The page members are sent to: `hostedCheckout({ url })` takes it. */
  url: string;
  /** Where the webhooks go: the program server's `/payments/webhook` (set once the server is up). */
  setWebhookUrl(url: string): void;
  /** The payments it made, oldest first (their provider payment ids). */
  payments: string[];
  close(): Promise<void>;
}

const ORDER_FIELDS = ["package", "wallet", "program", "points", "amount", "currency", "return"] as const;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The minor units of a currency as a price ("9.99 EUR" in the page's language: English). */
function price(amount: string, currency: string): string {
  const code = currency.toUpperCase();
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat("en", { style: "currency", currency: code }).format(Number(amount) / 10 ** digits);
}

/** The return URL with `purchase=<outcome>` added before its #fragment, so the wallet knows how the checkout ended. */
function back(returnUrl: string, outcome: string): string {
  const target = new URL(returnUrl);
  target.searchParams.set("purchase", outcome);
  return target.toString();
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem}</style></head><body><main>${body}</main></body></html>`;
}

/**
 * Starts the test checkout on a free loopback port, signing webhooks as provider `secret` holds.
 *
 * @example
 * const checkout = await startTestCheckout({ secret });
 * checkout.setWebhookUrl(`${server.url}/payments/webhook`);
 */
export async function startTestCheckout({ secret, port = 0 }: { secret: string; port?: number }): Promise<TestCheckout> {
  let webhookUrl = "";
  const payments: string[] = [];

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const answer = (status: number, html: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
      response.end(html);
    };
    if (request.method === "GET" && url.pathname === "/checkout") {
      const order = Object.fromEntries(ORDER_FIELDS.map((f) => [f, url.searchParams.get(f) ?? ""]));
      if (ORDER_FIELDS.some((f) => order[f] === "") || !/^[0-9]+$/.test(order.amount!) || !/^[a-z]{3}$/i.test(order.currency!))
        return answer(400, page("Test checkout", "<h1>Test checkout</h1><p>This checkout link is incomplete.</p>"));
      const hidden = ORDER_FIELDS.map((f) => `<input type="hidden" name="${f}" value="${escape(order[f]!)}">`).join("");
      return answer(
        200,
        page(
          "Test checkout",
          `<h1>Test checkout</h1><p>A stand-in for the card payment page: no card is charged.</p>
<p data-testid="checkout-amount">Pay <strong>${escape(price(order.amount!, order.currency!))}</strong> for ${escape(
            Number(order.points).toLocaleString("en"),
          )} points.</p>
<form method="post" action="/pay">${hidden}<button type="submit" name="outcome" value="paid">Pay</button>
<button type="submit" name="outcome" value="cancelled">Cancel</button></form>`,
        ),
      );
    }
    if (request.method === "POST" && url.pathname === "/pay") {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        const form = new URLSearchParams(body);
        const returnUrl = form.get("return") ?? "";
        if (!URL.canParse(returnUrl)) return answer(400, page("Test checkout", "<p>No way back to the wallet.</p>"));
        if (form.get("outcome") !== "paid") return answer(303, "", { location: back(returnUrl, "cancelled") });
        const paymentId = `testpay_${randomUUID()}`;
        const rawBody = JSON.stringify({
          id: `ev_${paymentId}`,
          type: "payment.succeeded",
          paymentId,
          amount: form.get("amount"),
          currency: form.get("currency"),
          wallet: form.get("wallet"),
          package: form.get("package"),
          program: form.get("program"),
        });
        const t = Math.floor(Date.now() / 1000);
        fetch(webhookUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "punchcard-signature": `t=${t},v1=${webhookSignature({ secret, timestamp: t, rawBody })}`,
          },
          body: rawBody,
        })
          .then(async (sent) => {
            if (sent.ok) {
              payments.push(paymentId);
              return answer(303, "", { location: back(returnUrl, "paid") });
            }
            const reason = ((await sent.json().catch(() => ({}))) as { error?: { message?: string } }).error?.message;
            answer(
              502,
              page(
                "Test checkout",
                `<h1>Payment refused</h1><p>${escape(reason ?? `The program server answered ${sent.status}.`)}</p>`,
              ),
            );
          })
          .catch(() => answer(502, page("Test checkout", "<h1>Payment not sent</h1><p>The program server did not answer.</p>")));
      });
      return;
    }
    answer(404, page("Test checkout", "<p>Not found.</p>"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/checkout`,
    setWebhookUrl: (url) => (webhookUrl = url),
    payments,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
