/** One region's figures in a report. */
export interface RegionSummary {
  region: string;
  sales: number;
  totalCents: number;
  meanCents: number;
  p95Cents: number;
}

/**
 * The report's CPU work, in slices so the worker's event loop (leases, other attempts) keeps
 * running: generates `rows` sales (seeded, so a retry computes the same report), then sums and
 * ranks them per region. `onSlice` is called after each slice with the share done (0–1).
 */
export async function buildReport(
  rows: number,
  regions: readonly string[],
  seed: number,
  onSlice: (done: number) => Promise<void>,
  sliceRows = 50_000,
): Promise<RegionSummary[]> {
  const random = mulberry32(seed);
  const amounts = regions.map(() => [] as number[]);
  for (let start = 0; start < rows; start += sliceRows) {
    const end = Math.min(rows, start + sliceRows);
    for (let i = start; i < end; i++)
      amounts[Math.floor(random() * regions.length)].push(Math.floor(random() * 100_000));
    await onSlice(end / rows);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return regions.map((region, i) => {
    const sorted = Float64Array.from(amounts[i]).sort();
    const total = sorted.reduce((sum, v) => sum + v, 0);
    return {
      region,
      sales: sorted.length,
      totalCents: total,
      meanCents: sorted.length ? Math.round(total / sorted.length) : 0,
      p95Cents: sorted.length
        ? sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]
        : 0,
    };
  });
}

export function reportCsv(title: string, summaries: readonly RegionSummary[]): string {
  const lines = [
    `# ${title.replace(/[\r\n]/g, ' ')}`,
    'region,sales,total_cents,mean_cents,p95_cents',
  ];
  for (const s of summaries)
    lines.push(`${s.region},${s.sales},${s.totalCents},${s.meanCents},${s.p95Cents}`);
  return `${lines.join('\n')}\n`;
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
