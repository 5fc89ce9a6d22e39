/**
 * The connection lifecycle of one sensor as an explicit transition table (the shape worth
 * keeping from xsens_dot_server's sensorServer.js, STYLE-MODELS.md): every state change goes
 * through `nextPhase`, so the lifecycle is readable in one place and testable without noble.
 */
export type LinkPhase = "idle" | "connecting" | "configuring" | "streaming" | "lost" | "reconnecting" | "failed";

export type LinkTrigger =
  /** The source was subscribed (or a failed link is started again). */
  | "start"
  /** LE connection established. */
  | "connected"
  /** Discovery and every setup step done. */
  | "configured"
  /** A connect, discovery or setup step failed or timed out, or the stream went silent. */
  | "error"
  /** The peripheral reported a disconnect. */
  | "disconnect"
  /** The backoff timer ran out: try again. */
  | "retry"
  /** Attempts exhausted. */
  | "give-up"
  /** The source was unsubscribed. */
  | "stop";

export interface LinkTransition {
  from: LinkPhase;
  on: LinkTrigger;
  to: LinkPhase;
}

const row = (from: LinkPhase, on: LinkTrigger, to: LinkPhase): LinkTransition => ({ from, on, to });

export const LINK_TRANSITIONS: readonly LinkTransition[] = [
  row("idle", "start", "connecting"),
  row("connecting", "connected", "configuring"),
  row("connecting", "error", "lost"),
  row("configuring", "configured", "streaming"),
  row("configuring", "error", "lost"),
  row("configuring", "disconnect", "lost"),
  row("streaming", "disconnect", "lost"),
  row("streaming", "error", "lost"),
  // While lost, a backoff timer is pending; its end is `retry`.
  row("lost", "retry", "reconnecting"),
  row("lost", "give-up", "failed"),
  row("reconnecting", "connected", "configuring"),
  row("reconnecting", "error", "lost"),
  row("failed", "start", "connecting"),
  ...(["connecting", "configuring", "streaming", "lost", "reconnecting", "failed"] as const).map((from) => row(from, "stop", "idle")),
];

const TABLE = new Map(LINK_TRANSITIONS.map((t) => [`${t.from}|${t.on}`, t.to]));

/**
 * The phase after `trigger` in `phase`, or undefined when the table has no such row: the trigger
 * is stale (e.g. a `disconnect` that our own disconnect caused while already lost) and is ignored.
 */
export function nextPhase(phase: LinkPhase, trigger: LinkTrigger): LinkPhase | undefined {
  return TABLE.get(`${phase}|${trigger}`);
}

export interface BackoffOptions {
  /** Wait before the first retry, ms (default 500). */
  initialMs: number;
  /** Each retry waits this factor longer (default 2). */
  factor: number;
  /** Cap on the wait, ms (default 8000). */
  maxMs: number;
  /** Failed attempts in a row before the link is `failed` (default 10). */
  maxAttempts: number;
}

/**
 * Our choice, not a source's: the first retry comes quickly (a sensor briefly shadowed by the
 * body reappears within a second), later ones every 8 s. With the 10 s connect timeout
 * (sensor-link.ts) a sensor switched off is retried for about 2.5 minutes, then ends as `failed`
 * instead of retrying for ever.
 */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, factor: 2, maxMs: 8000, maxAttempts: 10 };

/** Wait before retry number `attempt` (1-based): initialMs · factor^(attempt-1), capped at maxMs. */
export function backoffDelayMs(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.min(o.maxMs, o.initialMs * o.factor ** Math.max(0, attempt - 1));
}
