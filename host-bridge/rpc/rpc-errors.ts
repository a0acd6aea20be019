/**
 * What a call can end with besides a result. Every error names the method;
 * `code` is stable for programs (the HTTP API maps it to a status).
 */
export type RpcErrorCode =
  | 'usage'
  | 'timeout'
  | 'corrupted'
  | 'closed'
  | 'link'
  /** A reply that does not fit the contract (RpcReplyError). */
  | 'protocol'
  /** Codes the strap answers with (firmware/console/console-rpc.ts, rpc-methods.ts). */
  | 'unknown-method'
  | 'bad-params'
  | 'not-found'
  | 'failed'
  | (string & {});

export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly method?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The call could not be framed: bad method name, params not JSON, frame too long. Nothing was sent. */
export class RpcUsageError extends RpcError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** No reply within the timeout, on every attempt. */
export class RpcTimeoutError extends RpcError {
  constructor(method: string, readonly attempts: number, timeoutMs: number) {
    super('timeout', `${method}: no reply from the strap after ${attempts} attempt(s) of ${timeoutMs} ms`, method);
  }
}

/** Every attempt ended in a damaged frame (the strap refused ours or we refused its reply). */
export class RpcCorruptedError extends RpcError {
  constructor(method: string, readonly attempts: number, detail: string) {
    super('corrupted', `${method}: the console link damaged every attempt (${attempts}); last: ${detail}`, method);
  }
}

/** The strap answered with an error. */
export class RpcRemoteError extends RpcError {
  constructor(method: string, code: string, readonly detail?: string) {
    super(code, `${method}: the strap answered ${code}${detail ? `: ${detail}` : ''}`, method);
  }
}

/** The client was closed, or the console could not send. */
export class RpcClosedError extends RpcError {
  constructor(method: string, reason: string) {
    super('closed', `${method}: ${reason}`, method);
  }
}

/** The strap answered, but its result does not fit the contract (protocols/strap-rpc/contract.ts); `field` is the first misfit. */
export class RpcReplyError extends RpcError {
  constructor(
    method: string,
    readonly field: string,
    detail: string,
  ) {
    super('protocol', `${method}: the strap's reply does not fit the contract: ${detail}`, method);
  }
}
