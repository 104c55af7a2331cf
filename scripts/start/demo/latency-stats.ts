/** End-to-end latencies of finished orders; keeps the most recent `capacity` samples. */
export class LatencyStats {
  private readonly samples: number[] = [];

  constructor(private readonly capacity = 100_000) {}

  add(ms: number): void {
    this.samples.push(ms);
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  get count(): number {
    return this.samples.length;
  }

  /** Nearest-rank percentile (0 < p ≤ 100); undefined without samples. */
  percentile(p: number): number | undefined {
    if (this.samples.length === 0) return undefined;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  max(): number | undefined {
    return this.samples.length === 0 ? undefined : Math.max(...this.samples);
  }
}
