import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { GatewayConnection } from "./gateway-connection.js";
import { frameLoop } from "../util/frame-loop.js";

export interface ConnectionControllerOptions {
  /** Also update the host once per animation frame when new angle frames arrived. */
  frames?: boolean;
}

/**
 * Binds an element to the gateway connection (STYLE-MODELS.md §4, Lit's ReactiveController):
 * subscribes while the host is connected, unsubscribes when it is removed, and asks the host to
 * re-render on state changes; with `frames`, at most once per animation frame for new angles.
 */
export class ConnectionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: ConnectionControllerOptions;
  #conn: GatewayConnection | null = null;
  #stopFrames: (() => void) | null = null;
  #seenRevision = -1;

  constructor(host: ReactiveControllerHost, options: ConnectionControllerOptions = {}) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Set by the host when its `connection` property changes. */
  set connection(conn: GatewayConnection | null) {
    if (conn === this.#conn) return;
    this.#unbind();
    this.#conn = conn;
    if (this.#attached) this.#bind();
  }

  get connection(): GatewayConnection | null {
    return this.#conn;
  }

  #attached = false;

  hostConnected(): void {
    this.#attached = true;
    this.#bind();
  }

  hostDisconnected(): void {
    this.#attached = false;
    this.#unbind();
  }

  readonly #onChange = (): void => this.#host.requestUpdate();

  #bind(): void {
    const conn = this.#conn;
    if (!conn) return;
    conn.state.addEventListener("change", this.#onChange);
    conn.addEventListener("link", this.#onChange);
    if (this.#options.frames) {
      this.#stopFrames = frameLoop.add(() => {
        const rev = conn.state.ring.revision;
        if (rev === this.#seenRevision) return;
        this.#seenRevision = rev;
        this.#host.requestUpdate();
      });
    }
    this.#host.requestUpdate();
  }

  #unbind(): void {
    this.#conn?.state.removeEventListener("change", this.#onChange);
    this.#conn?.removeEventListener("link", this.#onChange);
    this.#stopFrames?.();
    this.#stopFrames = null;
  }
}
