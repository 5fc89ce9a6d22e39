import { LitElement, type PropertyValues } from "lit";
import { ConnectionController, type ConnectionControllerOptions } from "../connection/connection-controller.js";
import type { GatewayConnection } from "../connection/gateway-connection.js";
import type { SessionState } from "../state/session-state.js";

/**
 * Base of the dashboard's elements: a `connection` property (set by sw-app) wired to a
 * ConnectionController. Static `properties` rather than decorators, so any TS transform builds it.
 */
export abstract class ConnectedElement extends LitElement {
  static override properties = { connection: { attribute: false } };
  declare connection: GatewayConnection | null;
  protected readonly link: ConnectionController;

  constructor(options: ConnectionControllerOptions = {}) {
    super();
    this.connection = null;
    this.link = new ConnectionController(this, options);
  }

  protected get session(): SessionState | null {
    return this.connection?.state ?? null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("connection")) this.link.connection = this.connection;
  }
}
