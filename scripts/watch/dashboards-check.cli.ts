/**
 * `npm run dashboards:check -- [--prometheus=URL] [--group=<consumer group>] [--service=<regex>]`:
 * runs every query of every panel of infra/grafana/dashboards against a Prometheus, as Grafana
 * would (variables filled in, $__rate_interval 1m), and prints what each returns. Exits 1 when a
 * query is rejected. Default URL: http://127.0.0.1:$TROUPE_PROMETHEUS_PORT (9090); default group:
 * the one with the most lag.
 */
import { dashboardQueries, resolveQuery } from '../../infra/src/grafana-dashboards';

async function query(
  url: string,
  expr: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const body = (await (
    await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`)
  ).json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
  if (body.status !== 'success') throw new Error(body.error);
  if (body.data!.resultType === 'scalar')
    return [{ metric: {}, value: body.data!.result as [number, string] }];
  return body.data!.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
}

async function main(argv: string[]): Promise<number> {
  const flag = (name: string) =>
    argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=');
  const url =
    flag('prometheus') ?? `http://127.0.0.1:${Number(process.env.TROUPE_PROMETHEUS_PORT) || 9090}`;
  const group =
    flag('group') ??
    (await query(url, 'topk(1, max by (group) (kafka_consumergroup_group_sum_lag))'))[0]?.metric
      .group ??
    '';
  const service = flag('service') ?? '.*';
  console.log(`dashboard queries against ${url} (group=${group}, service=~${service})`);
  let failed = 0;
  let empty = 0;
  let dashboard = '';
  for (const q of dashboardQueries()) {
    if (q.dashboard !== dashboard) console.log(`\n${(dashboard = q.dashboard)}`);
    const expr = resolveQuery(q.expr, { group, service });
    try {
      const result = await query(url, expr);
      if (result.length === 0) empty++;
      const shown = result
        .slice(0, 3)
        .map((r) => {
          const labels = Object.entries(r.metric)
            .filter(([k]) => !['__name__', 'job', 'instance'].includes(k))
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
          return `${labels ? `{${labels}} ` : ''}${Number(r.value[1])
            .toPrecision(4)
            .replace(/\.?0+$/, '')}`;
        })
        .join('; ');
      console.log(
        `  ${result.length === 0 ? 'NO DATA' : `${String(result.length).padStart(3)} series`}  ${q.panel} [${q.refId}]${shown ? `: ${shown}${result.length > 3 ? '; …' : ''}` : ''}`,
      );
    } catch (error) {
      failed++;
      console.log(`  REJECTED ${q.panel} [${q.refId}]: ${(error as Error).message}`);
    }
  }
  console.log(`\n${dashboardQueries().length} queries: ${empty} without data, ${failed} rejected`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`dashboards:check: ${error.message}`);
    process.exit(1);
  },
);
