/** An order as the orders API shows it (the fields the scheduler reads). */
export interface OrderView {
  orderId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  cancelReason: string | null;
  totalCents: number;
  createdAt: string;
  updatedAt: string;
}

/** A payment as the payments API shows it. */
export interface PaymentView {
  orderId: string;
  paymentId: string;
  status: 'AUTHORIZED' | 'FAILED' | 'REFUNDED';
  amountCents: number;
}

/** A page of a list API. */
export interface Page<T> {
  items: T[];
  next: string | null;
}
