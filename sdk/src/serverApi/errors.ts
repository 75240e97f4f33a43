import { PunchcardError } from "../errors.js";

/**
 * The program server refused a request (4xx) or failed (5xx): `code` is the server's reason for programs
 * (`bad_signature`, `stamp_moved`, `quota_exceeded`...), the message its sentence for people. The typed client
 * also throws it, with status 400 and code `invalid_request`, for a request it cannot write (nothing is sent).
 *
 * @example
 * try { await server.postOrder({ listing }); } catch (e) { if (e instanceof ProgramServerError) console.log(e.code); }
 */
export class ProgramServerError extends PunchcardError {
  override name = "ProgramServerError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
