import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { serviceDatabaseUrl } from '../../infra/src/service-databases';
import { loadSettings } from '../../infra/src/settings';
import { inventoryDatabaseOptions } from '../../apps/inventory/src/persistence/inventory-database.options';
import { ordersDatabaseOptions } from '../../apps/orders/src/persistence/orders-database.options';
import { paymentsDatabaseOptions } from '../../apps/payments/src/persistence/payments-database.options';
import { schedulerDatabaseOptions } from '../../apps/scheduler/src/persistence/scheduler-database.options';
import { shippingDatabaseOptions } from '../../apps/shipping/src/persistence/shipping-database.options';

/**
 * Each service logs in as its own role and owns its own schema; no service can read another's
 * tables. The apps' real migrations run first, as the apps would run them at start-up.
 */
describe('data isolation between services', () => {
  const settings = loadSettings();
  const services: Record<
    string,
    {
      table: string;
      options: (config: { DATABASE_URL: string; DATABASE_SCHEMA: string }) => DataSourceOptions;
    }
  > = {
    orders: { table: 'orders', options: ordersDatabaseOptions },
    payments: { table: 'payments', options: paymentsDatabaseOptions },
    inventory: { table: 'stock', options: inventoryDatabaseOptions },
    shipping: { table: 'shipments', options: shippingDatabaseOptions },
    scheduler: { table: 'tasks', options: schedulerDatabaseOptions },
  };
  const clients = new Map<string, Client>();

  beforeAll(async () => {
    for (const [service, { options }] of Object.entries(services)) {
      // As the service's own role, into its own schema: exactly what start-up does.
      const dataSource = new DataSource(
        options({ DATABASE_URL: serviceDatabaseUrl(settings, service), DATABASE_SCHEMA: service }),
      );
      await dataSource.initialize();
      await dataSource.destroy();
      const client = new Client({ connectionString: serviceDatabaseUrl(settings, service) });
      await client.connect();
      clients.set(service, client);
    }
  });

  afterAll(async () => {
    for (const client of clients.values()) await client.end();
  });

  const as = (service: string) => clients.get(service)!;

  it('lets each service read its own tables, the outbox and inbox included', async () => {
    for (const [service, { table }] of Object.entries(services)) {
      for (const name of [table, 'outbox', 'inbox']) {
        const { rows } = await as(service).query(
          `SELECT count(*)::int AS n FROM "${service}"."${name}"`,
        );
        expect(rows[0].n).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('refuses the orders role any read of the payments tables', async () => {
    await expect(as('orders').query('SELECT * FROM payments.payments')).rejects.toThrow(
      /permission denied for schema payments/,
    );
    await expect(as('orders').query('SELECT * FROM payments.outbox')).rejects.toThrow(
      /permission denied for schema payments/,
    );
  });

  it('refuses every service the tables of every other service', async () => {
    for (const reader of Object.keys(services)) {
      for (const [owner, { table }] of Object.entries(services)) {
        if (owner === reader) continue;
        await expect(
          as(reader).query(`SELECT 1 FROM "${owner}"."${table}" LIMIT 1`),
        ).rejects.toMatchObject({ code: '42501' });
      }
    }
  });

  it('refuses writes and new tables in another service’s schema', async () => {
    await expect(
      as('payments').query(
        "INSERT INTO orders.orders (id) VALUES ('00000000-0000-0000-0000-000000000000')",
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      as('shipping').query('CREATE TABLE inventory.sneaky (id int)'),
    ).rejects.toMatchObject({ code: '42501' });
  });
});
