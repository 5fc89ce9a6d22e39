/**
 * Audible range feedback with WebAudio (no audio files, works offline). A caution is one soft
 * low tone; a warning is three short high beeps, so the two are told apart without looking.
 * Browsers start audio only after a user gesture: `unlock()` is called from the first click.
 */
export class WarningTone {
  #ctx: AudioContext | null = null;
  muted = false;

  unlock(): void {
    if (!this.#ctx) {
      try {
        this.#ctx = new AudioContext();
      } catch {
        return; // no audio on this device: the banner still shows
      }
    }
    if (this.#ctx.state === "suspended") void this.#ctx.resume();
  }

  caution(): void {
    this.#beeps([{ hz: 440, atS: 0, durS: 0.25 }], 0.12);
  }

  warning(): void {
    this.#beeps(
      [
        { hz: 988, atS: 0, durS: 0.1 },
        { hz: 988, atS: 0.16, durS: 0.1 },
        { hz: 988, atS: 0.32, durS: 0.1 },
      ],
      0.25,
    );
  }

  #beeps(notes: { hz: number; atS: number; durS: number }[], gain: number): void {
    const ctx = this.#ctx;
    if (this.muted || !ctx || ctx.state !== "running") return;
    const t0 = ctx.currentTime + 0.01;
    for (const n of notes) {
      const osc = ctx.createOscillator();
      const g = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = n.hz;
      // Short attack and release: no clicks.
      g.gain.setValueAtTime(0, t0 + n.atS);
      g.gain.linearRampToValueAtTime(gain, t0 + n.atS + 0.01);
      g.gain.setValueAtTime(gain, t0 + n.atS + n.durS - 0.02);
      g.gain.linearRampToValueAtTime(0, t0 + n.atS + n.durS);
      osc.connect(g).connect(ctx.destination);
      osc.start(t0 + n.atS);
      osc.stop(t0 + n.atS + n.durS + 0.01);
    }
  }
}
