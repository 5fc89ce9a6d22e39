import type { SourceEvent } from "@spinewatch/protocol";
import { Observable } from "rxjs";
import { BatchUnpacker } from "./packed-batch.js";
import { ParseThread, type ParseThreadOptions } from "./parse-thread.js";

export interface WorkerReplayOptions extends ParseThreadOptions {
  /** Called with each played line's tMs, batch by batch (a progress display). */
  onPlayed?: (tMs: number) => void;
}

/**
 * A recording's source events as fast as possible, read and parsed on a second thread
 * (parse-thread.ts, parse-worker.ts) while the subscriber works on this one: the same events,
 * in the same order, as `createReplaySource(path, { rate: Infinity, sharedPacketBytes: true })`
 * without `onTruth` gives (tested). Parsing was about a fifth of `analyze`'s time
 * (docs/BENCHMARKS.md, analyze). Packet bytes are views into a shared buffer (honour
 * `byteOffset`). No pacing, pausing or seeking: that is the replay source's job. Check the
 * header first (createReplaySource or openRecording); a file that fails to open here errors the
 * observable with a RecordingError.
 *
 * `source`: a path (a thread starts at each subscription) or a thread already started, which
 * its one subscription then owns (stopped when the subscription ends early).
 */
export function replayInWorker(source: string | ParseThread, options: WorkerReplayOptions = {}): Observable<SourceEvent> {
  return new Observable<SourceEvent>((subscriber) => {
    // A thread already started serves one subscription (a second one errors: ParseThread.listen).
    const thread = typeof source === "string" ? new ParseThread(source, options) : source;
    const unpacker = new BatchUnpacker();
    const emit = (event: SourceEvent): boolean => {
      subscriber.next(event);
      return !subscriber.closed;
    };
    thread.listen((msg) => {
      if (msg.kind === "batch") {
        unpacker.unpack(msg.batch, emit);
        if (subscriber.closed) return;
        options.onPlayed?.(unpacker.lastTMs);
        thread.consumed();
      } else if (msg.kind === "end") subscriber.complete();
      else subscriber.error(msg.error);
    });
    return () => thread.stop();
  });
}
