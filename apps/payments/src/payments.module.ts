import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { SimulatedBankGateway } from './adapters/simulated-bank.gateway';
import { PaymentQueriesController } from './api/payment-queries.controller';
import { PaymentsController } from './api/payments.controller';
import { BankGateway } from './domain/bank-gateway.port';
import { PaymentsConfig } from './payments.config';
import { paymentsTopology } from './payments.topology';
import { Payment } from './persistence/payment.entity';
import { paymentsDatabaseOptions } from './persistence/payments-database.options';

/** Payments: authorizes each placed order with the bank, and refunds it if the order is cancelled. */
@Module({})
export class PaymentsModule {
  static forRoot(config: PaymentsConfig): DynamicModule {
    const service = config.CONSUMER_GROUP;
    return {
      module: PaymentsModule,
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => paymentsDatabaseOptions(config) }),
        TypeOrmModule.forFeature([Payment]),
        TroupeModule.forRoot(
          config.troupeOptions(service, {
            publishes: paymentsTopology.publishes,
            log: jsonLogger(service, config.LOG_LEVEL),
          }),
        ),
      ],
      controllers: [PaymentsController, PaymentQueriesController],
      providers: [
        { provide: PaymentsConfig, useValue: config },
        {
          provide: BankGateway,
          useFactory: () =>
            new SimulatedBankGateway({
              declineAboveCents: config.PAYMENT_DECLINE_ABOVE_CENTS,
              failureRate: config.PAYMENT_FAILURE_RATE,
            }),
        },
        ...paymentsTopology.handlers,
      ],
    };
  }
}
