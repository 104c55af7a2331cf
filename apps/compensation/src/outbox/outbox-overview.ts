import type {
  OutboxAdminView,
  QuarantineReleaseRequest,
  QuarantineReleaseView,
} from '@troupe/messaging';
import { ServiceAdminClient, ServiceAnswer } from '../services/service-admin.client';

/** One service's outbox in the overview: its figures, or why there are none. */
export type ServiceOutbox =
  (OutboxAdminView & { reachable: true }) | { service: string; reachable: false; problem: string };

export interface OutboxOverviewView {
  services: ServiceOutbox[];
  /** Sums over the services that answered. */
  totals: { unpublished: number; quarantined: number; oldestUnpublishedAgeSeconds: number };
}

/** Every service's outbox (backlog, oldest row's age, quarantine), and release of quarantined rows of one service. */
export class OutboxOverview {
  constructor(private readonly services: ServiceAdminClient) {}

  async view(limit: number): Promise<OutboxOverviewView> {
    const answers = await this.services.all<OutboxAdminView>(
      'GET',
      () => `/troupe/admin/outbox?limit=${limit}`,
    );
    const services: ServiceOutbox[] = answers.map((a) =>
      a.ok
        ? { ...a.body, service: a.service, reachable: true }
        : { service: a.service, reachable: false, problem: a.problem },
    );
    const up = services.filter((s): s is OutboxAdminView & { reachable: true } => s.reachable);
    return {
      services,
      totals: {
        unpublished: up.reduce((n, s) => n + s.unpublished, 0),
        quarantined: up.reduce((n, s) => n + s.quarantined, 0),
        oldestUnpublishedAgeSeconds: Math.max(0, ...up.map((s) => s.oldestUnpublishedAgeSeconds)),
      },
    };
  }

  /** Undefined when the service is not configured. */
  release(
    service: string,
    selection: QuarantineReleaseRequest,
  ): Promise<ServiceAnswer<QuarantineReleaseView>> | undefined {
    if (!this.services.has(service)) return undefined;
    return this.services.request<QuarantineReleaseView>(
      service,
      'POST',
      '/troupe/admin/outbox/quarantine/release',
      selection,
    );
  }

  configured(): string[] {
    return this.services.services();
  }
}
