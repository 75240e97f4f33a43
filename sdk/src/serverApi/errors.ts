import { PunchcardError } from "../errors.js";
import type { RevertRefusal } from "./schemas.js";

/**
 * The program server refused a request (4xx) or failed (5xx): `code` is the server's reason for programs
 * (`bad_signature`, `stamp_moved`, `quota_exceeded`...), the message its sentence for people, and `revert`, on a
 * `would_revert`, the contract's error the action would have met when the program's ABIs name it. The typed client
 * also throws it, with status 400 and code `invalid_request`, for a request it cannot write (nothing is sent).
 *
 * @example
 * try {
 *   await server.relay("redeemVoucher", body);
 * } catch (e) {
 *   // would_revert StampsSeriesSoldOut ["1", "500"]
 *   if (e instanceof ProgramServerError) console.log(e.code, e.revert?.errorName, e.revert?.args);
 * }
 */
export class ProgramServerError extends PunchcardError {
  override name = "ProgramServerError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly revert?: RevertRefusal,
  ) {
    super(message);
  }
}
