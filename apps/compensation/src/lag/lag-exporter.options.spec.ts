import { resolveLagExporterOptions } from './lag-exporter.options';

describe('resolveLagExporterOptions', () => {
  it('derives the status window from the poll interval', () => {
    expect(resolveLagExporterOptions({ pollIntervalMs: 1000 }).statusWindowMs).toBe(12_000);
  });

  it.each([
    [{ pollIntervalMs: 0 }, 'pollIntervalMs'],
    [{ pollIntervalMs: 5000, broadcastGroupExpiryMs: 1000 }, 'broadcastGroupExpiryMs'],
    [{ historyPoints: 2 }, 'historyPoints'],
    [{ clusterName: '' }, 'clusterName'],
    [{ broadcastGroups: ['ok', 'not ok'] }, 'broadcastGroups'],
  ])('rejects %j naming %s', (options, name) => {
    expect(() => resolveLagExporterOptions(options)).toThrow(name);
  });
});
