import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminTokenGuard, CorrelationIdParams, KeyFlowsQuery } from '@troupe/messaging';
import { FlowTrace } from './flow-trace';
import { FlowTracer, KeyFlows } from './flow-tracer';

/** `troupe trace`: the chain of one business flow across the services. */
@ApiTags('compensation')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller('trace')
export class TraceController {
  constructor(private readonly tracer: FlowTracer) {}

  @Get()
  @ApiOkResponse({
    description:
      'The flows in which events of the key (e.g. an order id) were published, newest first.',
  })
  @ApiNotFoundResponse({ description: 'No outbox holds events of the key.' })
  async flows(@Query() { key }: KeyFlowsQuery): Promise<KeyFlows> {
    const flows = await this.tracer.flowsOfKey(key);
    if (flows.flows.length > 0) return flows;
    throw new NotFoundException(
      `no flow has events of key ${key} in any outbox (outbox rows are kept for the relay's retention window)${silent(flows.unreachable)}`,
    );
  }

  @Get(':correlationId')
  @ApiOkResponse({
    description:
      'Events, steps in time order, where the flow stopped; services that did not answer are listed, not fatal.',
  })
  @ApiNotFoundResponse({
    description: 'No service, parking lot or dead-letter topic knows the correlation id.',
  })
  async trace(@Param() { correlationId }: CorrelationIdParams): Promise<FlowTrace> {
    const { trace, unreachable, deadLettersUnread } = await this.tracer.trace(correlationId);
    if (trace) return trace;
    const unread = deadLettersUnread.map((u) => `${u.topic} (${u.problem})`).join(', ');
    throw new NotFoundException(
      `no flow with correlation id ${correlationId}: no outbox, parking lot or dead-letter topic has it (outbox rows are kept for the relay's retention window)${silent(unreachable)}${unread ? `; dead-letter topics not read: ${unread}` : ''}`,
    );
  }
}

function silent(unreachable: ReadonlyArray<{ problem: string }>): string {
  return unreachable.length > 0
    ? `; not answering: ${unreachable.map((u) => u.problem).join('; ')}`
    : '';
}
