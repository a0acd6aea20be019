/** Which HTTP status answers which RPC outcome, so API clients can act on the status alone. */
import { RpcError } from '../rpc/rpc-errors';
import { HttpError } from './http-json';

const BY_CODE: Record<string, number> = {
  usage: 400,
  'bad-params': 400,
  'unknown-method': 404,
  'not-found': 404,
  timeout: 504,
  corrupted: 502,
  closed: 503,
};

/** An RpcError as an HttpError: the client's mistakes are 4xx, the strap's or the link's 5xx. */
export function httpErrorFor(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof RpcError) return new HttpError(BY_CODE[error.code] ?? 502, error.code, error.message);
  return new HttpError(500, 'internal', error instanceof Error ? error.message : String(error));
}
