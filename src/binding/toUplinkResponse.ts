// LwM2M Transport TS 1.1.1 sections 6.2, 6.3 and 6.5, server side: the success responses to
// uplinks (Register 2.01 Created with Location-Path rd/{id}, Update 2.04, De-register 2.02,
// Send 2.04, Bootstrap-Request 2.04). Failures are thrown errors the router renders.
import { Code, OptionNumber } from '../coap/CoapMessage.js';
import type { OutgoingResponse } from '../coap/Router.js';
import { REGISTRATION_PATH } from './uriPath.js';

const utf8 = new TextEncoder();

/** 2.01 Created with Location-Path `rd`, `{id}` (Core TS 6.2.1). */
export function registeredResponse(registrationId: string): OutgoingResponse {
  return {
    code: Code.CREATED,
    options: [REGISTRATION_PATH, registrationId].map((s) => ({
      number: OptionNumber.LOCATION_PATH,
      value: utf8.encode(s),
    })),
  };
}

/** 2.04 Changed: the Update was applied. */
export const updatedResponse = (): OutgoingResponse => ({ code: Code.CHANGED });

/** 2.02 Deleted: the registration was removed. */
export const deregisteredResponse = (): OutgoingResponse => ({ code: Code.DELETED });

/** 2.04 Changed: the Send data was accepted. */
export const sendAcceptedResponse = (): OutgoingResponse => ({ code: Code.CHANGED });

/** 2.04 Changed: the Bootstrap-Request was accepted; bootstrap requests follow. */
export const bootstrapAcceptedResponse = (): OutgoingResponse => ({ code: Code.CHANGED });
