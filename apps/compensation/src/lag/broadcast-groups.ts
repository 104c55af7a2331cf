/** What the exporter knows of a group's delivery: a `broadcast` replica group is `<declared>.<instance>`. */
export interface GroupDelivery {
  delivery: 'once' | 'broadcast';
  /** The group as the handlers declare it (the replica group's prefix for broadcast). */
  declared: string;
}

/**
 * Broadcast groups of replicas that are gone: each replica of a service with broadcast handlers
 * has a group of its own (`<declared>.<instance id>`), and a replica that stops leaves it
 * behind, committed offsets and all, until the broker's offset retention ends it (7 days by
 * default). Meanwhile its lag grows without bound. This keeps, per replica group, the last time
 * it had members or its committed offsets moved; one idle for `expiryMs` is expired: the
 * exporter deletes it (a broadcast replica starts at the latest offset anyway) and stops
 * reporting it. `once` groups never expire here: a once group without members is an outage.
 */
export class BroadcastGroups {
  private readonly lastActive = new Map<string, { at: number; offsets: string }>();

  constructor(
    /** The declared broadcast groups (e.g. `notifications-feed`). */
    private readonly declared: readonly string[],
    private readonly expiryMs: number,
  ) {}

  deliveryOf(group: string): GroupDelivery {
    const declared = this.declared.find(
      (d) => group.length > d.length + 1 && group.startsWith(`${d}.`),
    );
    return declared ? { delivery: 'broadcast', declared } : { delivery: 'once', declared: group };
  }

  /**
   * Records a poll's view of a group; true when it is a replica group that has been idle (no
   * members, committed offsets unchanged) for the expiry time.
   */
  observe(group: string, members: number, offsetsFingerprint: string, now: number): boolean {
    if (this.deliveryOf(group).delivery !== 'broadcast') return false;
    const last = this.lastActive.get(group);
    if (!last || members > 0 || last.offsets !== offsetsFingerprint) {
      this.lastActive.set(group, { at: now, offsets: offsetsFingerprint });
      return false;
    }
    return now - last.at >= this.expiryMs;
  }

  forget(group: string): void {
    this.lastActive.delete(group);
  }

  /** Forgets groups the cluster no longer lists. */
  retain(groups: ReadonlySet<string>): void {
    for (const group of this.lastActive.keys())
      if (!groups.has(group)) this.lastActive.delete(group);
  }
}
