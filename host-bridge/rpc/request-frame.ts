/**
 * Request frames, host → strap, as the RPC client sends them: the layout is
 * protocols/strap-rpc/frame.ts; here a frame that cannot be sent is an
 * RpcUsageError, and the frame keeps its id and method for the request queue.
 */
import { encodeRequest as encodeRequestFrame } from '../../protocols/strap-rpc/frame';
import { RpcUsageError } from './rpc-errors';

export interface RequestFrame {
  id: string;
  method: string;
  /** The frame text (what the firmware checks). */
  frame: string;
  /** The console statement that delivers it. */
  statement: string;
}

export function encodeRequest(id: string, method: string, params?: unknown): RequestFrame {
  const encoded = encodeRequestFrame(id, method, params);
  if ('problem' in encoded) throw new RpcUsageError(encoded.problem);
  return { id, method, ...encoded };
}
