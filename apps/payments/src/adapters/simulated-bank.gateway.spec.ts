import { SimulatedBankGateway } from './simulated-bank.gateway';

describe('SimulatedBankGateway', () => {
  const request = (amountCents: number) => ({ orderId: 'o-1', amountCents });

  it('approves amounts up to the limit, the limit included', async () => {
    const bank = new SimulatedBankGateway({ declineAboveCents: 100_000, failureRate: 0 });
    await expect(bank.authorize(request(0))).resolves.toEqual({ approved: true });
    await expect(bank.authorize(request(100_000))).resolves.toEqual({ approved: true });
  });

  it('declines amounts above the limit, saying why', async () => {
    const bank = new SimulatedBankGateway(
      { declineAboveCents: 100_000, failureRate: 0 },
      () => 0.99,
    );
    await expect(bank.authorize(request(100_001))).resolves.toEqual({
      approved: false,
      reason: 'amount 100001 is above the limit of 100000 cents',
    });
  });

  it('declines the configured share at random', async () => {
    const draws = [0.1, 0.29, 0.3, 0.9];
    const bank = new SimulatedBankGateway({ declineAboveCents: 100_000, failureRate: 0.3 }, () =>
      draws.shift()!,
    );
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await bank.authorize(request(500))).approved);
    expect(results).toEqual([false, false, true, true]);
  });

  it('never declines at random with rate 0 and always with rate 1', async () => {
    const never = new SimulatedBankGateway({ declineAboveCents: 100_000, failureRate: 0 }, () => 0);
    const always = new SimulatedBankGateway(
      { declineAboveCents: 100_000, failureRate: 1 },
      () => 0.999999,
    );
    await expect(never.authorize(request(1))).resolves.toEqual({ approved: true });
    await expect(always.authorize(request(1))).resolves.toEqual({
      approved: false,
      reason: 'declined by the bank',
    });
  });
});
