export type ShipmentStatus = 'WAITING' | 'SCHEDULED';

export interface ShipmentReadiness {
  status: ShipmentStatus;
  paymentSeen: boolean;
  stockSeen: boolean;
}

/**
 * Whether to schedule the order's shipment now: once both its payment is authorized and its
 * stock reserved, whichever came last, and only if it is not scheduled already.
 */
export function shouldSchedule(readiness: ShipmentReadiness): boolean {
  return readiness.status === 'WAITING' && readiness.paymentSeen && readiness.stockSeen;
}
