import { testInfra } from '@troupe/testing';
import { Client } from 'pg';

/**
 * What the orders service's own table holds for customers whose id starts with `prefix`: the
 * number of orders and of distinct Idempotency-Keys among them. Read as the superuser (the test
 * checks the service's effects; no app reads another app's tables).
 */
export async function ordersTableCounts(prefix: string): Promise<{ orders: number; keys: number }> {
  const client = new Client({ connectionString: testInfra.databaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ orders: number; keys: number }>(
      `SELECT count(*)::int AS orders, count(DISTINCT idempotency_key)::int AS keys
         FROM orders.orders WHERE starts_with(customer_id, $1)`,
      [prefix],
    );
    return rows[0];
  } finally {
    await client.end();
  }
}
