// Errors for requests that cannot be built (STYLE.md 9: validate at construction).
import { Lwm2mError } from './errors.js';

/** A request whose path, node or arguments do not fit the operation; renders as 4.00. */
export class InvalidRequestError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_INVALID_REQUEST', 0x80);
  }
}
