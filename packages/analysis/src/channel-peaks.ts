import type { AngleFrame } from "@spinewatch/protocol";

/** Running extremes of the other channels over a stretch of frames. */
export class ChannelPeaks {
  maxPelvisDeg = -Infinity;
  maxFlexionDeg = -Infinity;
  lateralPeakDeg = 0;

  restart(frame: AngleFrame): void {
    this.maxPelvisDeg = frame.pelvisTiltDeg;
    this.maxFlexionDeg = frame.flexionDeg;
    this.lateralPeakDeg = frame.lateralBendDeg;
  }

  add(frame: AngleFrame): void {
    if (frame.pelvisTiltDeg > this.maxPelvisDeg) this.maxPelvisDeg = frame.pelvisTiltDeg;
    if (frame.flexionDeg > this.maxFlexionDeg) this.maxFlexionDeg = frame.flexionDeg;
    if (Math.abs(frame.lateralBendDeg) > Math.abs(this.lateralPeakDeg)) this.lateralPeakDeg = frame.lateralBendDeg;
  }

  copyFrom(o: ChannelPeaks): void {
    this.maxPelvisDeg = o.maxPelvisDeg;
    this.maxFlexionDeg = o.maxFlexionDeg;
    this.lateralPeakDeg = o.lateralPeakDeg;
  }
}
