import { MAX_CLIENT_BUFFERED_BYTES, type ServerMessage } from "@spinewatch/protocol";
import type { WebSocket } from "ws";

/**
 * Beyond this much unsent data even control messages stop: the client is disconnected
 * (close code 1013, "try again later") rather than letting its buffer grow without bound.
 */
export const MAX_CLIENT_BUFFERED_HARD_BYTES = 4 * 1024 * 1024;

/**
 * One connected dashboard. Frames are the only thing sent at a high rate, so they are what is
 * shed for a slow client: when more than MAX_CLIENT_BUFFERED_BYTES is waiting in its socket
 * (ws.bufferedAmount), frame batches are dropped and counted, and once it catches up it is
 * told how many (`dropped`). Everything else (acks, events, status) is small and always sent,
 * up to the hard cap.
 */
export class ClientLink {
  readonly ws: WebSocket;
  authenticated: boolean;
  /** Commands of this client run one after another (gateway.ts). */
  queue: Promise<void> = Promise.resolve();
  #droppedSinceNotice = 0;
  #droppedTotal = 0;

  constructor(ws: WebSocket, authenticated: boolean) {
    this.ws = ws;
    this.authenticated = authenticated;
  }

  get droppedTotal(): number {
    return this.#droppedTotal;
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(msg: ServerMessage): void {
    this.sendRaw(JSON.stringify(msg));
  }

  /** A pre-serialised control message (serialised once for all clients). */
  sendRaw(json: string): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > MAX_CLIENT_BUFFERED_HARD_BYTES) {
      this.ws.close(1013, "client too slow");
      // close() waits for the closing handshake, which a stalled client never completes.
      this.ws.terminate();
      return;
    }
    this.ws.send(json);
  }

  /** A pre-serialised `frames` message carrying `count` frames: sent, or dropped and counted. */
  sendFrames(json: string, count: number): boolean {
    if (!this.open) return false;
    if (this.ws.bufferedAmount > MAX_CLIENT_BUFFERED_BYTES) {
      this.#droppedSinceNotice += count;
      this.#droppedTotal += count;
      return false;
    }
    if (this.#droppedSinceNotice > 0) {
      this.send({ type: "dropped", frames: this.#droppedSinceNotice, total: this.#droppedTotal });
      this.#droppedSinceNotice = 0;
    }
    this.ws.send(json);
    return true;
  }
}
