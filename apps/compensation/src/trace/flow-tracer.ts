import type { KeyFlowsView, ServiceTraceView } from '@troupe/messaging';
import { ServiceAdminClient } from '../services/service-admin.client';
import { DeadLetterScan } from './dead-letter.scan';
import { FlowTrace, assembleFlowTrace, flowFound } from './flow-trace';

/** GET /trace?key=: the flows in which events of a key were published. */
export interface KeyFlows {
  key: string;
  flows: Array<{
    correlationId: string;
    firstAt: string;
    services: string[];
    eventTypes: string[];
  }>;
  unreachable: Array<{ service: string; problem: string }>;
}

/** Event ids per look-up request: keeps the request line well under Node's 16 KiB header limit. */
const IDS_PER_REQUEST = 150;

/**
 * Traces one flow across the system: asks every service for its part (twice: first for what it
 * published and parked, then for which of all the flow's events its groups handled), reads the
 * groups' dead-letter topics for the flow's dead letters, and assembles the chain.
 */
export class FlowTracer {
  constructor(
    private readonly services: ServiceAdminClient,
    private readonly deadLetters: DeadLetterScan,
  ) {}

  /** The flow's trace, or undefined when no service (and no dead-letter topic) knows the id. */
  async trace(correlationId: string): Promise<{
    trace?: FlowTrace;
    unreachable: FlowTrace['services']['unreachable'];
    deadLettersUnread: FlowTrace['deadLetters']['unread'];
  }> {
    const path = (query = '') => `/troupe/admin/trace/${encodeURIComponent(correlationId)}${query}`;
    const first = await this.services.all<ServiceTraceView>('GET', () => path());
    const unreachable = first.flatMap((a) =>
      a.ok ? [] : [{ service: a.service, problem: a.problem }],
    );
    const views = first.flatMap((a) => (a.ok ? [a.body] : []));
    const ids = [
      ...new Set(
        views.flatMap((v) => [
          ...v.published.map((p) => p.eventId),
          ...v.parked.map((p) => p.eventId),
        ]),
      ),
    ];
    const topics = views.flatMap((v) => v.groups.map((g) => g.deadLetterTopic));
    const [handled, dead] = await Promise.all([
      this.handled(views, ids, path),
      this.deadLetters.find(topics, correlationId),
    ]);
    const complete = views.map((v) => ({ ...v, handled: handled.get(v.service) ?? v.handled }));
    if (!flowFound(complete, dead)) return { unreachable, deadLettersUnread: dead.unread };
    return {
      trace: assembleFlowTrace(correlationId, complete, unreachable, dead),
      unreachable,
      deadLettersUnread: dead.unread,
    };
  }

  /** The flows with events of one key (e.g. an order id) in any service's outbox, newest first. */
  async flowsOfKey(key: string): Promise<KeyFlows> {
    const answers = await this.services.all<KeyFlowsView>(
      'GET',
      () => `/troupe/admin/trace?key=${encodeURIComponent(key)}`,
    );
    const flows = new Map<string, KeyFlows['flows'][number]>();
    for (const answer of answers) {
      if (!answer.ok) continue;
      for (const f of answer.body.flows) {
        const known = flows.get(f.correlationId) ?? {
          correlationId: f.correlationId,
          firstAt: f.firstAt,
          services: [],
          eventTypes: [],
        };
        if (f.firstAt < known.firstAt) known.firstAt = f.firstAt;
        known.services.push(answer.service);
        known.eventTypes = [...new Set([...known.eventTypes, ...f.eventTypes])];
        flows.set(f.correlationId, known);
      }
    }
    return {
      key,
      flows: [...flows.values()].sort((a, b) => b.firstAt.localeCompare(a.firstAt)),
      unreachable: answers.flatMap((a) =>
        a.ok ? [] : [{ service: a.service, problem: a.problem }],
      ),
    };
  }

  /** Each service's inbox rows for the flow's event ids (asked of the services that handle anything). */
  private async handled(views: ServiceTraceView[], ids: string[], path: (query: string) => string) {
    const handled = new Map<string, ServiceTraceView['handled']>();
    const chunks = Array.from({ length: Math.ceil(ids.length / IDS_PER_REQUEST) }, (_, i) =>
      ids.slice(i * IDS_PER_REQUEST, (i + 1) * IDS_PER_REQUEST),
    );
    await Promise.all(
      views
        .filter((v) => v.groups.length > 0)
        .map(async (v) => {
          const rows: ServiceTraceView['handled'] = [];
          for (const chunk of chunks) {
            const answer = await this.services.request<ServiceTraceView>(
              v.service,
              'GET',
              path(`?events=${chunk.join(',')}`),
            );
            if (answer.ok) rows.push(...answer.body.handled);
          }
          handled.set(v.service, rows);
        }),
    );
    return handled;
  }
}
