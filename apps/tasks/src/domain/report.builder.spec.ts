import { buildReport, reportCsv } from './report.builder';

describe('buildReport', () => {
  it('counts every row once, in slices, the same for the same seed', async () => {
    const slices: number[] = [];
    const summaries = await buildReport(
      10_000,
      ['north', 'south', 'east'],
      7,
      async (done) => void slices.push(done),
      3000,
    );
    expect(summaries.reduce((n, s) => n + s.sales, 0)).toBe(10_000);
    expect(slices).toEqual([0.3, 0.6, 0.9, 1]);
    for (const s of summaries) {
      expect(s.meanCents).toBeGreaterThan(40_000);
      expect(s.meanCents).toBeLessThan(60_000);
      expect(s.p95Cents).toBeGreaterThan(s.meanCents);
    }
    expect(await buildReport(10_000, ['north', 'south', 'east'], 7, async () => undefined)).toEqual(
      summaries,
    );
    expect(
      await buildReport(10_000, ['north', 'south', 'east'], 8, async () => undefined),
    ).not.toEqual(summaries);
  });

  it('writes a CSV with one line per region', () => {
    const csv = reportCsv('Q3\nsales', [
      { region: 'north', sales: 2, totalCents: 10, meanCents: 5, p95Cents: 7 },
    ]);
    expect(csv).toBe('# Q3 sales\nregion,sales,total_cents,mean_cents,p95_cents\nnorth,2,10,5,7\n');
  });
});
