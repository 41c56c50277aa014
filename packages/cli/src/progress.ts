import { SingleBar } from "cli-progress";

/** Wall-clock milliseconds a run must last before its progress bar appears. */
const PROGRESS_DELAY_MS = 1000;

/**
 * A run's progress bar on a terminal: it appears only once the run has taken PROGRESS_DELAY_MS of
 * wall time (a quick run prints nothing), then follows the share done, by the workload's work or by
 * the time cap, whichever is further (runWorkload's onProgress).
 */
export class RunProgress {
  private bar: SingleBar | null = null;
  private shown = -1;
  private readonly start: number;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly now: () => number = Date.now,
    private readonly delayMs = PROGRESS_DELAY_MS,
  ) {
    this.start = now();
  }

  /** The run is `fraction` done at `seconds` of simulated time. */
  update(fraction: number, seconds: number): void {
    const pct = Math.floor(fraction * 1000) / 10;
    if (pct === this.shown) return;
    if (!this.bar) {
      if (this.now() - this.start < this.delayMs) return;
      this.bar = new SingleBar({
        format: "simulating [{bar}] {percentage}% | {seconds} simulated s",
        hideCursor: true,
        stream: this.stream,
        noTTYOutput: true,
        notTTYSchedule: 0,
      });
      this.bar.start(100, 0, { seconds: "0.0" });
    }
    this.shown = pct;
    this.bar.update(pct, { seconds: seconds.toFixed(1) });
    // Drawn at once: at most once per 0.1% of the run, which bounds the rate of redraws.
    this.bar.render();
  }

  /** The run is over: fill the bar (if it was shown) and release the terminal line. */
  stop(): void {
    if (!this.bar) return;
    this.bar.update(100);
    this.bar.stop();
  }
}
