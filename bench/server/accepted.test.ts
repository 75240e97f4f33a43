import { expect } from "chai";
import { assertAccepted } from "./accepted";

describe("bench:server: a posts run that was mostly refused", () => {
  it("throws, naming every status and the first refusal's body", () => {
    // The run committed on 2026-12-07 before its caps were lifted: 40 stored, 7,977 refused by the book's caps.
    const statuses = new Map([
      [201, 40],
      [422, 7_977],
    ]);
    const body = '{"error":{"code":"too_many_orders_for_stamp","message":"Stamp 1 is offered in 20 open orders"}}';
    expect(() => assertAccepted("POST /orders (SQLite)", { statuses, firstRefusal: { status: 422, body } })).to.throw(
      /40 of 8017 answers were 2xx \(40 × 201, 7977 × 422\).*first refusal: 422 .*too_many_orders_for_stamp/,
    );
  });

  it("throws when nothing was answered at all", () => {
    expect(() => assertAccepted("POST /orders", { statuses: new Map() })).to.throw(/0 of 0 answers were 2xx \(no answer\)/);
  });

  it("passes a run of 2xx answers (201 new, 200 already stored) with a few refusals under a tenth", () => {
    const statuses = new Map([
      [201, 900],
      [200, 50],
      [503, 50],
    ]);
    expect(() => assertAccepted("POST /orders", { statuses, firstRefusal: { status: 503, body: "{}" } })).not.to.throw();
  });
});
