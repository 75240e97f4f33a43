import { expect } from "chai";
import {
  BaseError,
  CallExecutionError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  HttpRequestError,
  InternalRpcError,
  RpcRequestError,
  TimeoutError,
} from "viem";
import { marketAbi } from "../generated/abis.js";
import { faultOf } from "../utils/faults.js";
import { describeForLog, redactUrls } from "./faults.js";

const url = "https://user:secret@rpc.example.com/v2/KEY123?apikey=KEY456";

/** A readContract failure as viem builds it: the contract call, wrapping the call, wrapping what the node said. */
function readFailure(cause: BaseError, revert?: boolean) {
  const call = new CallExecutionError(cause, {});
  const inner = revert ? new ContractFunctionRevertedError({ abi: marketAbi, functionName: "nonces", cause: call }) : call;
  return new ContractFunctionExecutionError(inner, { abi: marketAbi, functionName: "nonces", args: [] });
}

describe("server: faultOf, a transport fault told from a verdict by its shape", () => {
  it("the chain did not answer: a fetch that failed, a timeout, -32603 with no revert data", () => {
    for (const cause of [
      new HttpRequestError({ url, details: "fetch failed" }),
      new TimeoutError({ body: {}, url }),
      new InternalRpcError(new RpcRequestError({ body: {}, url, error: { code: -32603, message: "Internal error" } })),
    ])
      expect(faultOf(readFailure(cause)), cause.name).to.deep.equal({
        source: "chain",
        message: "The chain's RPC did not answer.",
      });
    // viem reads a -32603 with no data as a revert of no reason: still the node's fault, not the contract's.
    const bare = new InternalRpcError(new RpcRequestError({ body: {}, url, error: { code: -32603, message: "Internal error" } }));
    expect(faultOf(readFailure(bare, true))?.source).to.equal("chain");
    expect(faultOf(new TypeError("fetch failed"))?.source).to.equal("chain");
  });

  it("a verdict: revert data (even under -32603, as Hardhat answers), execution reverted (3), no code at the address", () => {
    const withData = new InternalRpcError(
      new RpcRequestError({ body: {}, url, error: { code: -32603, message: "reverted", data: { data: "0x12345678" } } }),
    );
    expect(faultOf(readFailure(withData, true))).to.equal(undefined);
    expect(faultOf(Object.assign(new Error("execution reverted"), { code: 3, data: "0x" }))).to.equal(undefined);
    expect(faultOf(new ContractFunctionZeroDataError({ functionName: "balanceOf" }))).to.equal(undefined);
    expect(faultOf(new Error("a bug"))).to.equal(undefined);
    expect(faultOf(undefined)).to.equal(undefined);
  });

  it("the database did not answer: a refused connection, Postgres restarting or dropping us, SQLite busy", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    for (const error of [
      refused,
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      Object.assign(new Error("the database system is starting up"), { code: "57P03" }),
      Object.assign(new Error("too many clients"), { code: "53300" }),
      new Error("Connection terminated unexpectedly"),
      Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }),
      new Error("failed", { cause: refused }),
    ])
      expect(faultOf(error), error.message).to.deep.equal({ source: "database", message: "The database did not answer." });
    // A constraint the query broke is a bug or a verdict, not a fault.
    expect(faultOf(Object.assign(new Error("duplicate key"), { code: "23505" }))).to.equal(undefined);
    expect(faultOf(Object.assign(new Error("UNIQUE constraint failed"), { code: "SQLITE_CONSTRAINT_PRIMARYKEY" }))).to.equal(
      undefined,
    );
  });

  it("redacts every URL to its host for the log: no credentials, path key or query key", () => {
    expect(redactUrls(`URL: ${url} then wss://k@ws.example.com/ws/KEY789 end`)).to.equal(
      "URL: https://rpc.example.com/… then wss://ws.example.com/… end",
    );
    const logged = describeForLog(readFailure(new HttpRequestError({ url, details: "fetch failed" })));
    expect(logged).to.not.match(/KEY123|KEY456|secret/);
    expect(logged).to.contain("HTTP request failed");
  });
});
