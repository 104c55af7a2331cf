// Real brokers and databases: a test may wait for rebalances and relays.
jest.setTimeout(120_000);
