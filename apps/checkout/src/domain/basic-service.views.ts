/**
 * What checkout reads from the basic services' APIs. Only the fields checkout relies on are
 * named; the rest of each answer is passed through unchanged.
 */
export interface OrderLineView {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderView {
  orderId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  [field: string]: unknown;
}

export interface PaymentView {
  orderId: string;
  status: 'AUTHORIZED' | 'FAILED' | 'REFUNDED';
  [field: string]: unknown;
}

export interface ReservationView {
  orderId: string;
  status: 'RESERVED' | 'REJECTED' | 'RELEASED';
  [field: string]: unknown;
}

export interface ShipmentView {
  orderId: string;
  status: string;
  [field: string]: unknown;
}

/** The order placement request, as the orders API takes it. */
export interface PlaceOrderCommand {
  customerId: string;
  items: OrderLineView[];
}
