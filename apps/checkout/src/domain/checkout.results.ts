import { OrderView, PaymentView, ReservationView, ShipmentView } from './basic-service.views';

/** POST /checkout accepted the order; the choreography runs on from here. */
export interface CheckoutAccepted {
  orderId: string;
  status: OrderView['status'];
  links: { self: string; order: string; feed: string };
}

/** The orders service refused the order (a 4xx); its problem description is passed on. */
export interface CheckoutRefused {
  status: number;
  problem: {
    title?: string;
    detail?: string;
    errors?: Array<{ field: string; problems: string[] }>;
  };
}

/** Everything known about one checkout, each part from the service that owns it. */
export interface CheckoutState {
  orderId: string;
  order: OrderView;
  /** null: no payment yet (or its service did not answer, see `unavailable`). */
  payment: PaymentView | null;
  stock: ReservationView | null;
  shipment: ShipmentView | null;
  /** Services that did not answer; their parts are null. */
  unavailable: string[];
}
