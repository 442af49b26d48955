/**
 * @module requestFrames — the requester's side of one request on an open stream: one
 * length-prefixed frame out, capped frames back, each checked as it arrives so that a bad or
 * oversized answer is cut off at its first bad frame rather than held whole in memory.
 */
import type { Stream } from '@libp2p/interface';
import * as lp from 'it-length-prefixed';
import { pipe } from 'it-pipe';
import { NetworkError, type RequestOptions } from './Network';

/** Sends `request` on `stream` and reads the answer's frames; `label` names it in errors. */
export async function requestFrames(
  stream: Stream,
  request: Uint8Array,
  options: RequestOptions,
  signal: AbortSignal,
  label: string,
): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  const maxFrames = options.maxFrames ?? Infinity;
  const maxTotalBytes = options.maxTotalBytes ?? Infinity;
  let total = 0;
  let cutShort = false;
  // A failure of this side's own rules, kept apart from the stream errors it causes.
  let failure: NetworkError | undefined;

  const read = async (): Promise<void> => {
    const source = lp.decode(stream.source, { maxDataLength: options.maxFrameBytes });
    for await (const chunk of source) {
      const frame = chunk.subarray();
      if (total + frame.byteLength > maxTotalBytes) {
        if (frames.length === 0) {
          throw (failure = new NetworkError('tooLarge', 'The peer sent more than allowed.', {
            details: `${label}: a frame of ${frame.byteLength} bytes, ${maxTotalBytes} allowed`,
          }));
        }
        cutShort = true;
        return;
      }
      try {
        options.check?.(frame, frames.length);
      } catch (cause) {
        throw (failure = new NetworkError('invalid', 'The peer sent something invalid.', {
          details: `${label}: frame ${frames.length}`,
          cause,
        }));
      }
      total += frame.byteLength;
      frames.push(frame);
      if (frames.length >= maxFrames) return;
    }
  };

  const onAbort = (): void => stream.abort(new Error('timed out'));
  signal.addEventListener('abort', onAbort);
  try {
    await Promise.all([
      pipe([request], (s) => lp.encode(s, { maxDataLength: options.maxRequestBytes }), stream.sink),
      read(),
    ]);
    // Cut short: the rest is not wanted, and the server should stop making it.
    if (cutShort) stream.abort(new Error('enough'));
    else await stream.close().catch(() => undefined);
  } catch (cause) {
    stream.abort(cause instanceof Error ? cause : new Error(String(cause)));
    if (failure) throw failure;
    // Out of time with some frames in: each was checked, so they are an answer cut short (a
    // slow link still makes progress) rather than nothing.
    if (signal.aborted && frames.length > 0) return frames;
    if (signal.aborted)
      throw new NetworkError('timeout', 'The peer did not answer in time.', { cause });
    const tooLarge = (cause as { name?: string }).name === 'InvalidDataLengthError';
    throw new NetworkError(
      tooLarge ? 'tooLarge' : 'closed',
      tooLarge ? 'The peer sent more than allowed.' : 'The peer closed the request.',
      { details: label, cause },
    );
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return frames;
}
