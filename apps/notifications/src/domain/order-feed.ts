import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject, filter } from 'rxjs';
import { OrderStatusChange } from './order-status-change';

/**
 * The live order status changes this replica sees, fanned out to every subscriber. Nothing is
 * kept: a subscriber gets the changes from the moment it subscribes.
 */
@Injectable()
export class OrderFeed implements OnModuleDestroy {
  private readonly changes = new Subject<OrderStatusChange>();

  publish(change: OrderStatusChange): void {
    this.changes.next(change);
  }

  /** The changes from now on, of one order when `orderId` is given. */
  watch(orderId?: string): Observable<OrderStatusChange> {
    const all = this.changes.asObservable();
    return orderId ? all.pipe(filter((change) => change.orderId === orderId)) : all;
  }

  /** Ends every open stream before the HTTP server closes, which would otherwise wait for SSE clients to leave. */
  onModuleDestroy(): void {
    this.changes.complete();
  }
}
