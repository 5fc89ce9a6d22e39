import { Observable } from "rxjs";
import type { SensorSource, SourceEvent } from "@spinewatch/protocol";

/**
 * A SensorSource's events as an rxjs Observable (protocol keeps its Subscribable shape free of
 * rxjs). Cold like the source: subscribing starts it, unsubscribing stops it.
 */
export function sourceEvents$(source: SensorSource): Observable<SourceEvent> {
  return new Observable<SourceEvent>((subscriber) => {
    const sub = source.events().subscribe({
      next: (ev) => subscriber.next(ev),
      error: (err) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    return () => sub.unsubscribe();
  });
}
