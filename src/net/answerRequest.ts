/**
 * @module answerRequest — the server's side of one request on an open stream: one capped request
 * frame in, the handler's frames out, within the serving budget. Over budget the handler is not
 * run at all, and an answer stops at the frame that spends the budget, so a flood of requests
 * costs this node little more than reading them.
 */
import type { Stream } from '@libp2p/interface';
import * as lp from 'it-length-prefixed';
import { pipe } from 'it-pipe';
import type { RequestHandler, ServeOptions } from './Network';
import type { ServeBudget } from './serveBudget';

/** Points an oversized request costs its sender. */
const OVERSIZED_POINTS = 10;
/** Points a request over budget costs: a nudge, since an honest node may overrun in a burst. */
const OVER_BUDGET_POINTS = 1;
/** An answer still under way after this long is cut off: a reader that stalls frees its slot. */
const ANSWER_MS = 60_000;

export async function answerRequest(
  stream: Stream,
  peer: string,
  handler: RequestHandler,
  options: ServeOptions,
  budget: ServeBudget,
  penalise: (peer: string, points: number, reason: string) => void,
): Promise<void> {
  const fail = (error: unknown): void =>
    stream.abort(error instanceof Error ? error : new Error(String(error)));
  let request: Uint8Array | undefined;
  try {
    const source = lp.decode(stream.source, { maxDataLength: options.maxRequestBytes });
    for await (const frame of source) {
      request = frame.subarray();
      break;
    }
  } catch (error) {
    // Only a request over its limit is the requester's fault; a reset or a closed stream is not.
    if ((error as { name?: string }).name === 'InvalidDataLengthError')
      penalise(peer, OVERSIZED_POINTS, 'oversized request');
    return fail(error);
  }
  if (!request) return void (await stream.close().catch(() => undefined));

  const admitted = budget.admit(peer);
  if (admitted !== 'ok') {
    // Only a peer over its own budget is at fault; the shared one may be spent by others.
    if (admitted === 'peer') penalise(peer, OVER_BUDGET_POINTS, 'requests over the budget');
    if (!options.busyFrame) return fail(new Error('over the serving budget'));
    return pipe([options.busyFrame], (s) => lp.encode(s), stream.sink).catch(fail);
  }

  const deadline = setTimeout(() => fail(new Error('the answer took too long')), ANSWER_MS);
  try {
    await pipe(
      handler(request, peer),
      async function* (frames) {
        for await (const f of frames) {
          if (f.byteLength > options.maxFrameBytes)
            throw new Error('response frame over the limit');
          const more = budget.spend(peer, f.byteLength);
          yield f;
          // Returning ends the handler before it makes (and spends CPU on) another frame.
          if (!more) return;
        }
      },
      // The protocol's own frame limit: it-length-prefixed's default (4 MiB) is below a block.
      (s) => lp.encode(s, { maxDataLength: options.maxFrameBytes }),
      stream.sink,
    );
  } catch (error) {
    fail(error);
  } finally {
    clearTimeout(deadline);
    budget.done(peer);
  }
}
