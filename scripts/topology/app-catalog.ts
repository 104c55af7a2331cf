import { checkoutTopology } from '../../apps/checkout/src/checkout.topology';
import { compensationTopology } from '../../apps/compensation/src/compensation.topology';
import { inventoryTopology } from '../../apps/inventory/src/inventory.topology';
import { notificationsTopology } from '../../apps/notifications/src/notifications.topology';
import { ordersTopology } from '../../apps/orders/src/orders.topology';
import { paymentsTopology } from '../../apps/payments/src/payments.topology';
import { schedulerTopology } from '../../apps/scheduler/src/scheduler.topology';
import { tasksTopology } from '../../apps/tasks/src/tasks.topology';
import { shippingTopology } from '../../apps/shipping/src/shipping.topology';
import { DeployedApp } from './deployed-app';

/**
 * Every deployed app, one entry each: `npm run topology` turns these into KafkaTopics,
 * KafkaUsers with their ACLs, KEDA ScaledObjects, the apps' Deployments, Services, ConfigMaps,
 * budgets and network policies, and the AsyncAPI document. Adding an app: its
 * `<app>.topology.ts`, a Nest project in nest-cli.json, an entry here, `npm run topology`.
 */
export const DEPLOYED_APPS: readonly DeployedApp[] = [
  { name: 'orders', topology: ordersTopology, database: true },
  {
    name: 'payments',
    topology: paymentsTopology,
    database: true,
    config: { PAYMENT_DECLINE_ABOVE_CENTS: '100000' },
  },
  { name: 'inventory', topology: inventoryTopology, database: true },
  { name: 'shipping', topology: shippingTopology, database: true },
  { name: 'notifications', topology: notificationsTopology, database: true },
  {
    name: 'checkout',
    topology: checkoutTopology,
    database: false,
    public: true,
    calls: ['orders', 'payments', 'inventory', 'shipping', 'notifications'],
    config: {
      ORDERS_URL: 'http://orders',
      PAYMENTS_URL: 'http://payments',
      INVENTORY_URL: 'http://inventory',
      SHIPPING_URL: 'http://shipping',
      NOTIFICATIONS_URL: 'http://notifications',
    },
  },
  {
    name: 'scheduler',
    topology: schedulerTopology,
    database: true,
    calls: ['orders', 'payments', 'compensation'],
    config: {
      ORDERS_URL: 'http://orders',
      PAYMENTS_URL: 'http://payments',
      COMPENSATION_URL: 'http://compensation',
    },
  },
  { name: 'tasks', topology: tasksTopology, database: true },
  {
    name: 'compensation',
    topology: compensationTopology,
    database: true,
    // Traces, the outbox view, replay, redrive and gaps ask every service (/troupe/admin).
    calls: ['orders', 'payments', 'inventory', 'shipping', 'notifications', 'scheduler', 'tasks'],
    config: {
      LAG_BROADCAST_GROUPS: 'notifications-feed',
      SERVICE_ADMIN_URLS: [
        'orders',
        'payments',
        'inventory',
        'shipping',
        'notifications',
        'scheduler',
        'tasks',
      ]
        .map((service) => `${service}=http://${service}`)
        .join(','),
    },
  },
];
