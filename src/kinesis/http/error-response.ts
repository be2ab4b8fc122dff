/**
 * Errors on the wire the way the AWS SDK reads them (rest-json, `aws.protocols#restJson1`): the
 * SDK takes the error's name from the `x-amzn-ErrorType` header first, then a `code` member,
 * then `__type` in the JSON body (`loadRestJsonErrorCode` in `@smithy/core/protocols`), looks
 * the name up among the service's modelled exceptions and raises that class, with `Message`
 * from the body. The status code is only metadata to the SDK, but plain HTTP clients, proxies
 * and logs read it, so it is the one the service model gives each exception (the library's
 * exception classes carry it as `$httpStatus`).
 */

/** What goes on the wire for a failure: the exception's name, its HTTP status, the message. */
export interface WireFault {
  /** The exception name, e.g. `InvalidArgumentException`. */
  readonly name: string;
  readonly $httpStatus: number;
  readonly message: string;
}

/**
 * An operation the endpoint does not serve (a path or method other than `POST /getImages`):
 * 404, named like AWS's answer to an unknown operation. Not in the model, so the SDK raises its
 * generic service exception with this name.
 */
export function unknownOperation(method: string, path: string): WireFault {
  return { name: 'UnknownOperationException', $httpStatus: 404, message: `No operation at ${method} ${path}; this endpoint serves POST /getImages.` };
}

/**
 * A failure of the server itself (a bug, not the request): 500, which the SDK's retry strategy
 * treats as transient. The message says nothing of the cause, which is logged instead.
 */
export function internalFailure(requestId: string): WireFault {
  return { name: 'InternalFailure', $httpStatus: 500, message: `The server failed to process the request (request id ${requestId}).` };
}

/** A fresh request id, sent as `x-amzn-RequestId` (the SDK's `$metadata.requestId`). */
export function newRequestId(): string {
  return crypto.randomUUID();
}

/**
 * The response for `fault`: its status, `x-amzn-ErrorType: <name>`, and the JSON body
 * `{ "__type": name, "Message": message }` (`Message` is the member the model's exceptions
 * carry; `__type` serves clients that read the body only).
 */
export function faultResponse(fault: WireFault, requestId: string): Response {
  return new Response(JSON.stringify({ __type: fault.name, Message: fault.message }), {
    status: fault.$httpStatus,
    headers: {
      'content-type': 'application/json',
      'x-amzn-ErrorType': fault.name,
      'x-amzn-RequestId': requestId,
    },
  });
}
